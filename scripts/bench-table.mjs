// The criterion results (target/criterion/*/*/new/estimates.json) as one table: the mean time
// of each benchmark at each size, and the time per node, so linear cost shows as a constant
// last column. Writes target/bench/rust.md and prints it. Run by `make bench` after cargo bench.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CRITERION = resolve(ROOT, 'target', 'criterion');
const OUT = resolve(ROOT, 'target', 'bench');

function* results(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = resolve(dir, entry.name);
    const meta = resolve(path, 'new', 'benchmark.json');
    if (existsSync(meta)) {
      yield { meta: JSON.parse(readFileSync(meta, 'utf8')), est: JSON.parse(readFileSync(resolve(path, 'new', 'estimates.json'), 'utf8')) };
    } else {
      yield* results(path);
    }
  }
}

const human = (ns) =>
  ns >= 1e9 ? `${(ns / 1e9).toFixed(2)} s` : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;

if (!existsSync(CRITERION)) {
  console.error('no criterion results: run `cargo bench` first');
  process.exit(1);
}
const rows = new Map();
const sizes = new Set();
for (const { meta, est } of results(CRITERION)) {
  const size = Number(meta.value_str ?? meta.function_id);
  const name = `${meta.group_id}/${meta.value_str ? meta.function_id ?? '' : ''}`.replace(/\/$/, '');
  if (!Number.isFinite(size)) continue;
  sizes.add(size);
  if (!rows.has(name)) rows.set(name, new Map());
  rows.get(name).set(size, est.mean.point_estimate);
}
const cols = [...sizes].sort((a, b) => a - b);
const lines = [
  '# Rust benchmarks (criterion, mean)',
  '',
  `| benchmark | ${cols.map((n) => `${n} nodes`).join(' | ')} | ${cols.map((n) => `per node @${n}`).join(' | ')} |`,
  `| --- | ${cols.map(() => '---:').join(' | ')} | ${cols.map(() => '---:').join(' | ')} |`,
];
for (const [name, bySize] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  const t = cols.map((n) => (bySize.has(n) ? human(bySize.get(n)) : '–'));
  const per = cols.map((n) => (bySize.has(n) ? human(bySize.get(n) / n) : '–'));
  lines.push(`| ${name} | ${t.join(' | ')} | ${per.join(' | ')} |`);
}
const md = lines.join('\n') + '\n';
mkdirSync(OUT, { recursive: true });
writeFileSync(resolve(OUT, 'rust.md'), md);
process.stdout.write(md);
