#!/usr/bin/env bash
# Fuzzes the library with cargo fuzz (nightly; the project itself stays on stable).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets (fuzz/fuzz_targets/, their checks in fuzz/src/lib.rs): share_decode, load_design,
# exports, importers; all four when none is named. Each runs for SECONDS_PER_TARGET (default 60;
# `scripts/fuzz.sh 10` is a smoke run). Steps:
#   1. installs cargo-fuzz if missing (`cargo install cargo-fuzz --locked`);
#   2. builds the targets (`cargo +nightly fuzz build`, release with overflow checks);
#   3. writes the seeds (fuzz/target/seed/): the five templates (the CLI's `template show` and
#      `link`), generated designs (`examples/bench_designs`), a version-0 design file that
#      must migrate and an empty design;
#   4. runs each target and prints libFuzzer's final line, `#N DONE cov: … exec/s: …`.
# Runs of 60 s and more use and grow fuzz/corpus/<target>/ (seeded when empty). Shorter runs
# (smoke) start from the seeds alone in a scratch corpus, so their time stays bounded however
# large fuzz/corpus has grown (libFuzzer first runs every input of its corpus).
# Crash inputs land in fuzz/artifacts/<target>/; keep each one as a regression test under
# tests/fuzz_regressions/<target>/ (tests/fuzz_regressions.rs runs them). Logs: fuzz/logs/.
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(share_decode load_design exports importers)
if ! [[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] || [ "$SECONDS_PER_TARGET" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
export PATH=$HOME/.cargo/bin:$PATH

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Release with overflow checks; no sanitizer: the library is safe Rust, and ASan would halve
# the executions without finding anything a panic does not.
BUILD_FLAGS=(-O --debug-assertions --sanitizer none)
echo "fuzz: building the targets (cargo +nightly fuzz build ${BUILD_FLAGS[*]})"
cargo +nightly fuzz build "${BUILD_FLAGS[@]}"

seed() {
  local bin=$ROOT/target/debug/infracanvas
  local work=$ROOT/fuzz/target/seed
  cargo build --locked --quiet --bin infracanvas --example bench_designs
  rm -rf "$work" && mkdir -p "$work/json" "$work/links"
  for slug in $("$bin" template list); do
    "$bin" template show "$slug" >"$work/json/template-$slug.json"
    "$bin" link "$work/json/template-$slug.json" >"$work/links/template-$slug.link"
    "$bin" link --base "https://infracanvas.example/app/?x=1" "$work/json/template-$slug.json" \
      | sed 's/.*#d=//' >"$work/links/template-$slug.payload"
  done
  "$ROOT/target/debug/examples/bench_designs" "$work/synth" 2 16 40 120 >/dev/null
  cp "$work"/synth/*.json "$work/json/"
  for f in "$work"/synth/*.payload; do cp "$f" "$work/links/synth-$(basename "$f")"; done
  # Format 0 (the preview): `type` for the kind, positions on the nodes.
  cat >"$work/json/version-0.json" <<'EOF'
{"version":0,"name":"old","nodes":[
  {"id":"p","name":"AWS","type":"provider","props":{"cloud":"aws"},"position":{"x":40,"y":80}},
  {"id":"r","name":"eu","type":"region","parent":"p","position":{"x":60.5,"y":-3}},
  {"id":"w","name":"api","type":"workload","parent":"r","props":{"image":"api","ports":[{"port":80}]}}],
 "edges":[{"id":"e1","from":"w","to":"r","kind":"depends_on"}]}
EOF
  printf '%s' '{"version":1,"name":"empty"}' >"$work/json/empty.json"
  # The importers: the import fixtures and the exports of the templates.
  mkdir -p "$work/import"
  find "$ROOT/tests/fixtures/import" -type f | while read -r f; do
    cp "$f" "$work/import/fixture-$(echo "${f#"$ROOT"/tests/fixtures/import/}" | tr '/' '-')"
  done
  for slug in $("$bin" template list); do
    for format in k8s compose terraform; do
      "$bin" export "$format" "$work/json/template-$slug.json" -o "$work/export-$slug-$format" >/dev/null 2>&1 || true
    done
  done
  find "$work"/export-* -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.tf' \) | while read -r f; do
    cp "$f" "$work/import/$(echo "${f#"$work"/}" | tr '/' '-')"
  done
  printf '%s' '#x=1&d=1.' >"$work/links/empty-payload.link"
}

seed
seeds_of() {
  case $1 in
    share_decode) echo "$ROOT/fuzz/target/seed/links" ;;
    importers) echo "$ROOT/fuzz/target/seed/import" ;;
    *) echo "$ROOT/fuzz/target/seed/json" ;;
  esac
}
SMOKE=$([ "$SECONDS_PER_TARGET" -lt 60 ] && echo 1 || echo 0)
corpus_of() {
  if [ "$SMOKE" = 1 ]; then echo "$ROOT/fuzz/target/smoke-corpus/$1"; else echo "$ROOT/fuzz/corpus/$1"; fi
}
for t in "${TARGETS[@]}"; do
  corpus=$(corpus_of "$t")
  [ "$SMOKE" = 0 ] || rm -rf "$corpus"
  mkdir -p "$corpus"
  if [ -z "$(ls -A "$corpus")" ]; then
    cp "$(seeds_of "$t")"/* "$corpus/"
    echo "fuzz: seeded ${corpus#"$ROOT"/} with $(ls "$corpus" | wc -l) inputs"
  fi
done

mkdir -p "$ROOT/fuzz/logs"
failed=()
summary=()
for t in "${TARGETS[@]}"; do
  log=$ROOT/fuzz/logs/$t.log
  args=(-max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=4096 -max_len=262144
    -print_final_stats=1)
  [ "$t" = share_decode ] || args+=(-dict="$ROOT/fuzz/design.dict")
  echo "fuzz: $t for ${SECONDS_PER_TARGET}s (log: ${log#"$ROOT"/})"
  if cargo +nightly fuzz run "${BUILD_FLAGS[@]}" "$t" "$(corpus_of "$t")" -- "${args[@]}" >"$log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed+=("$t")
  fi
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  runs=$(grep -E '^Done [0-9]+ runs in' "$log" | tail -n 1 || true)
  summary+=("$t: $status; ${done_line:-no DONE line (see the log)}; ${runs}")
  echo "  ${done_line:-$(tail -n 5 "$log")}"
done

echo "fuzz: summary (${SECONDS_PER_TARGET}s per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}: inputs in fuzz/artifacts/<target>/" >&2
  exit 1
fi
