#!/usr/bin/env bash
# Checks SVG exports (`infracanvas export svg FILE`) with real consumers:
#
#   scripts/check-svg.sh DIR
#
# For every DIR/*.svg:
#   1. `xmllint --noout` (libxml2) parses it: well-formed XML;
#   2. `rsvg-convert` (librsvg, the renderer of GNOME and many converters) renders it to
#      DIR/png/<name>.png at the size the SVG declares, failing on anything it cannot draw;
#   3. `infracanvas import` reads the design back, and it equals DIR/<name>.json when that
#      file exists (the design the SVG was drawn from).
# The tools come from Debian (scripts/setup.sh svgtools, idempotent); when they cannot be
# installed the check fails, it never skips. Prints one line per file.
set -euo pipefail

die() { printf 'check-svg: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: scripts/check-svg.sh DIR"
DIR="$1"
[ -d "$DIR" ] || die "no such directory: $DIR"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

"$ROOT/scripts/setup.sh" svgtools >/dev/null || die "could not install xmllint and rsvg-convert"
command -v xmllint >/dev/null 2>&1 || die "xmllint not found (Debian: libxml2-utils)"
command -v rsvg-convert >/dev/null 2>&1 || die "rsvg-convert not found (Debian: librsvg2-bin)"
B="${INFRACANVAS:-$ROOT/target/debug/infracanvas}"
[ -x "$B" ] || die "no CLI at $B (cargo build --bin infracanvas)"

mkdir -p "$DIR/png"
count=0
for svg in "$DIR"/*.svg; do
  [ -e "$svg" ] || die "no .svg files in $DIR"
  name="$(basename "$svg" .svg)"
  xmllint --noout "$svg" || die "$svg: not well-formed XML"
  rsvg-convert --format png --output "$DIR/png/$name.png" "$svg" 2>"$DIR/png/$name.log" \
    || die "$svg: rsvg-convert cannot render it: $(cat "$DIR/png/$name.log")"
  [ -s "$DIR/png/$name.png" ] || die "$svg: rsvg-convert wrote an empty picture"
  "$B" import "$svg" > "$DIR/png/$name.design.json" || die "$svg: the design does not import back"
  if [ -f "$DIR/$name.json" ]; then
    cmp -s "$DIR/$name.json" "$DIR/png/$name.design.json" \
      || die "$svg: the imported design differs from $DIR/$name.json"
  fi
  printf '%-36s %8s bytes, rendered, design imported\n' "$name.svg" "$(wc -c < "$svg")"
  count=$((count + 1))
done
echo "check-svg: $count SVG file(s) parsed by xmllint, rendered by rsvg-convert and imported back"
