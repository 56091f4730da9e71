// Browser benchmark of the release page (dist/) in Debian's Chromium, headless; run by
// `make bench` (never by `make test`: figures, not pass/fail). For generated designs of each
// size (BENCH_SIZES, default 300,500,1000,2000,5000) it measures, as a user would meet them:
//
//   open      from navigating to `#d=<link>` to the first complete render: the diagnostics
//             counted and the nodes in view drawn (the same for three frames), that frame painted
//   edit      edit-to-diagnostics for 100 property edits (the Replicas field of a workload in
//             production, typed 1 ⟷ 3, which adds and removes a finding): from the input event
//             to the diagnostics panel updated (DOM), and to the next frame painted
//   drag      main-thread time per frame while dragging a workload for 2 s, and a container
//             with about 200 nodes inside for 2 s
//   zoom/pan  the same per frame while wheel-zooming for 2 s and panning for 2 s
//   mermaid   mermaid.render() of the same design's Mermaid export (node_modules/mermaid),
//             in the same browser, and the ratio open / mermaid
//
// A frame's main-thread time runs from the first input event or animation-frame callback of
// the frame to a message posted from that frame's last animation-frame callback, which is
// delivered once the frame's style, layout and paint are done. Frames are paced by Chromium
// at 60 Hz, so the budget is 16 ms of work a frame.
//
//   settle    after the wheel zoom and the pan: the longest frame while the canvas is redrawn
//             at the new view (once per gesture, when it ends: during the gesture the drawn
//             picture is moved by a transform)
//   history   the heap that 100 undo steps take on a 5,000-node design, against the design's
//             own (tests/history_memory.rs, a counting allocator; native)
//
// BENCH_PROFILE=1 also records a Chromium trace of each gesture and sums the renderer main
// thread's self time by kind of work (script, style, layout, paint, commit, GC) into
// target/bench/profile.md: where a frame's time goes. Tracing slows the page: the frame
// figures of a profiled run are not the bench's.
//
// Writes target/bench/browser.md (and browser.json) and prints the table.
//   node scripts/bench-browser.mjs            (dist/ must be built: `make build`)
//   BENCH_SIZES=500,5000 BENCH_LABEL=after node scripts/bench-browser.mjs

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, SHOTS_DIR, launchBrowser, openPage } from '../tests/e2e/lib/browser.mjs';
import { startStaticServer } from '../tests/e2e/lib/static-server.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '300,500,1000,2000,5000,20000').split(',').map(Number);
// Mermaid gives up (or takes minutes) on the largest designs: compared up to this size.
const MERMAID_MAX = Number(process.env.BENCH_MERMAID_MAX ?? 5000);
const PROFILE = process.env.BENCH_PROFILE === '1';
const OUT = resolve(REPO_ROOT, process.env.BENCH_OUT ?? 'target/bench');
const INPUTS = resolve(OUT, 'inputs');
const MERMAID_JS = resolve(REPO_ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
const MERMAID_TIMEOUT_MS = Number(process.env.BENCH_MERMAID_TIMEOUT_MS ?? 180_000);
const EDITS = 100;
// Above 5,000 nodes every edit revalidates the whole design: fewer edits keep the run short.
const editsFor = (n) => (n > 5000 ? 20 : EDITS);
const GESTURE_MS = 2_000;

function pct(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const stats = (v) => ({ n: v.length, p50: pct(v, 50), p95: pct(v, 95), max: Math.max(...v) });
const ms = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '–');

/** In the page: counts main-thread time per frame until `stop()` (see the header). */
function installFrameMeter() {
  window.__frames = { start: null, times: [], gaps: [], last: null, on: false };
  const f = window.__frames;
  const mark = () => {
    if (f.on && f.start === null) f.start = performance.now();
  };
  for (const type of ['pointermove', 'pointerdown', 'pointerup', 'wheel']) {
    window.addEventListener(type, mark, { capture: true, passive: true });
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    if (f.start !== null) f.times.push(performance.now() - f.start);
    f.start = null;
  };
  const tick = (t) => {
    if (!f.on) return;
    mark();
    if (f.last !== null) f.gaps.push(t - f.last);
    f.last = t;
    channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  };
  window.__meter = {
    begin() {
      Object.assign(f, { start: null, times: [], gaps: [], last: null, on: true });
      requestAnimationFrame(tick);
    },
    end() {
      f.on = false;
      return { times: f.times.slice(), gaps: f.gaps.slice() };
    },
  };
}

// Kinds of main-thread work in a Chromium trace, by event name (self time, so nested events
// are not counted twice). Wrappers that only schedule (RunTask …) are left out.
const KINDS = [
  ['script', /^(FunctionCall|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|v8\.|V8\.(?!GC)|EvaluateScript|FireIdleCallback|HandlePostMessage)/],
  ['gc', /^(MinorGC|MajorGC|V8\.GC|BlinkGC|ThreadState::)/],
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|StyleInvalidatorInvalidationTracking)/],
  ['layout', /^(Layout|UpdateLayerTree|IntersectionObserverController::computeIntersections|HitTest)$/],
  ['paint', /^(PrePaint|Paint|PaintImage|Layerize|UpdateLayer|PaintSetup)$/],
  ['commit', /^(Commit|CompositeLayers|ProxyMain::BeginMainFrame::commit)$/],
];

/** Self time per kind of work on the page's main thread, from Chromium trace events. */
function summarizeTrace(events) {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best = null;
  for (const m of mains) {
    const n = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').length;
    if (!best || n > best.n) best = { pid: m.pid, tid: m.tid, n };
  }
  if (!best) return null;
  const xs = events
    .filter((e) => e.pid === best.pid && e.tid === best.tid && e.ph === 'X' && e.dur > 0)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.child += Math.min(e.dur, parent.end - e.ts);
    const item = { e, end: e.ts + e.dur, child: 0 };
    stack.push(item);
    item.done = () => self.set(e.name, (self.get(e.name) ?? 0) + Math.max(0, e.dur - item.child));
    xs.__items = xs.__items ?? [];
    xs.__items.push(item);
  }
  for (const it of xs.__items ?? []) it.done();
  const kinds = Object.fromEntries(KINDS.map(([k]) => [k, 0]));
  const top = [];
  for (const [name, us] of self) {
    const kind = KINDS.find(([, re]) => re.test(name))?.[0];
    if (kind) kinds[kind] += us / 1000;
    top.push([name, us / 1000]);
  }
  top.sort((a, b) => b[1] - a[1]);
  return { kinds, top: top.slice(0, 8) };
}

/** Runs `fn`, recording a trace of it when BENCH_PROFILE=1; the summary goes to `into[label]`. */
async function profiled(browser, page, into, label, fn) {
  if (!PROFILE) return fn();
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc', 'gpu', 'v8'],
  });
  try {
    return await fn();
  } finally {
    const buf = await browser.stopTracing();
    into[label] = summarizeTrace(JSON.parse(buf.toString()).traceEvents ?? []);
  }
}

/**
 * The longest frame while the canvas settles after a view gesture (redrawn at the new view,
 * from a timer or the pointer's release): the frame meter's frames and Chromium's long
 * animation frames (which count the timer's script too), whichever is longer.
 */
async function measureSettle(page, end) {
  await page.evaluate(() => {
    window.__loaf = [];
    try {
      window.__loafObs = new PerformanceObserver((l) => window.__loaf.push(...l.getEntries().map((e) => e.duration)));
      window.__loafObs.observe({ type: 'long-animation-frame' });
    } catch {
      window.__loafObs = null;
    }
    window.__meter.begin();
  });
  if (end) await end();
  await page.waitForTimeout(800);
  const { times, loaf } = await page.evaluate(() => {
    window.__loafObs?.disconnect();
    return { ...window.__meter.end(), loaf: window.__loaf };
  });
  const all = [...times, ...loaf];
  return { n: times.length, max: all.length ? Math.max(...all) : 0 };
}

async function measureGesture(page, step) {
  await page.evaluate(() => window.__meter.begin());
  const t0 = Date.now();
  let i = 0;
  while (Date.now() - t0 < GESTURE_MS) {
    await step(i++);
  }
  // Let the last frames finish before reading.
  await page.waitForTimeout(100);
  const { times, gaps } = await page.evaluate(() => window.__meter.end());
  return { ...stats(times), gapP95: pct(gaps, 95), events: i };
}

/** Drags the element's box centre around a small circle for GESTURE_MS. */
async function dragFor(page, box) {
  const c = { x: box.x + Math.min(box.width / 2, 40), y: box.y + Math.min(box.height / 2, 10) };
  await page.mouse.move(c.x, c.y);
  await page.mouse.down();
  const r = await measureGesture(page, (i) =>
    page.mouse.move(c.x + 60 * Math.sin(i / 15) + 10, c.y + 40 * (1 - Math.cos(i / 15)) + 5),
  );
  await page.mouse.up();
  return r;
}

/**
 * Resolves when the design is on screen: the diagnostics counted and the drawn nodes the same
 * for three frames in a row (large designs draw only what is near the view, so "every node"
 * is not the measure). Returns when the first of those frames was painted, in
 * performance.now() time, which counts from the navigation.
 */
async function waitFullRender(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        let last = -1;
        let since = null;
        let same = 0;
        const frame = () => {
          const drawn = document.querySelectorAll('[data-testid=node] > .node-body').length;
          const counted = document.querySelector('[data-testid=count-error]');
          const now = performance.now();
          if (counted && drawn > 0 && drawn === last) {
            same++;
          } else {
            same = 0;
            since = now;
          }
          last = drawn;
          if (same >= 3) {
            resolve({ painted: since, drawn });
          } else {
            requestAnimationFrame(frame);
          }
        };
        requestAnimationFrame(frame);
      }),
  );
}

async function benchCanvas(browser, url, n) {
  const payload = readFileSync(resolve(INPUTS, `design-${n}.payload`), 'utf8');
  const design = JSON.parse(readFileSync(resolve(INPUTS, `design-${n}.json`), 'utf8'));
  const { context, page, problems } = await openPage(browser, url);
  const prof = {};
  try {
    await page.addInitScript(installFrameMeter);
    const { painted, drawn } = await profiled(browser, page, prof, 'open', async () => {
      await page.goto(`${url.replace(/\/$/, '')}/#d=${payload}`, { waitUntil: 'commit' });
      return waitFullRender(page);
    });
    const open = painted; // performance.now() counts from navigation start
    const phase = (what) => process.stderr.write(`${what}… `);
    phase(`open ${ms(open)} ms; edit`);
    const counts = async () =>
      page.evaluate(() =>
        ['error', 'warning', 'info'].map((s) => document.querySelector(`[data-testid=count-${s}]`)?.textContent.trim()).join('/'),
      );

    // A workload without autoscaling (its replicas count), reached as a user would: through a
    // finding about it in the list, or else by zooming in on it and clicking it.
    const plain = new Set(design.nodes.filter((x) => x.kind === 'workload' && !x.props?.autoscaling).map((x) => x.id));
    const flagged = await page.evaluate(
      (ids) => [...document.querySelectorAll('[data-testid=diagnostic]')].map((d) => d.dataset.targets.split(' ')).flat().find((t) => ids.includes(t)),
      [...plain],
    );
    await page.click('[data-testid=zoom-fit]');
    await page.waitForTimeout(100);
    // Else the one nearest the middle of the view (large designs do not fit at the least zoom).
    const central = await page.evaluate((ids) => {
      const c = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
      const [cx, cy] = [c.x + c.width / 2, c.y + c.height / 2];
      let best = null;
      for (const id of ids) {
        const r = document.querySelector(`[data-testid=node][data-id="${id}"] > .node-body > rect.box`)?.getBoundingClientRect();
        if (!r) continue;
        const d = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
        if (!best || d < best.d) best = { id, d };
      }
      return best?.id;
    }, [...plain]);
    const workload = design.nodes.find((x) => x.id === (flagged ?? central));
    const box = () => page.locator(`[data-testid=node][data-id="${workload.id}"] > .node-body > rect.box`).boundingBox();
    if (flagged) {
      await page.evaluate((id) => [...document.querySelectorAll('[data-testid=diagnostic]')].find((d) => d.dataset.targets.split(' ').includes(id)).click(), workload.id);
    } else {
      for (let i = 0; i < 40; i++) {
        const b = await box();
        if (b && b.width > 80) break;
        if (b) await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
        await page.mouse.wheel(0, -200);
        await page.waitForTimeout(30);
      }
      const b = await box();
      await page.mouse.click(b.x + 8, b.y + b.height / 2);
    }
    const field = page.locator('[data-testid=inspector] [data-testid=field-replicas]');
    await field.waitFor({ timeout: 10_000 }).catch(async (e) => {
      await page.screenshot({ path: resolve(OUT, `failed-${n}.png`) });
      throw new Error(`${n} nodes: no Replicas field for ${workload.id} (flagged: ${flagged}); see target/bench/failed-${n}.png\n${e.message}`);
    });
    const before = await counts();
    const edit = await profiled(browser, page, prof, 'edit', () => page.evaluate(async (edits) => {
      const input = document.querySelector('[data-testid=inspector] [data-testid=field-replicas]');
      const panel = document.querySelector('section.diagnostics');
      const dom = [];
      const paint = [];
      let flips = 0;
      for (let i = 0; i < edits; i++) {
        const was = panel.textContent;
        input.value = i % 2 === 0 ? '3' : '1';
        const t0 = performance.now();
        let seen = null;
        const obs = new MutationObserver(() => {
          if (seen === null) seen = performance.now();
        });
        obs.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // Every microtask (the reactive updates) has run by the next task.
        await new Promise((r) => setTimeout(r, 0));
        const settled = performance.now();
        await new Promise((r) =>
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = r;
            ch.port2.postMessage(0);
          }),
        );
        obs.disconnect();
        if (panel.textContent !== was) flips++;
        dom.push((seen ?? settled) - t0);
        paint.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
      return { dom, paint, flips };
    }, editsFor(n)));
    const after = await counts();

    phase('drag');
    // Drag the workload (now in view and selected).
    const leafBox = await page.locator(`[data-testid=node][data-id="${workload.id}"] > .node-body > rect.box`).boundingBox();
    const dragLeaf = await profiled(browser, page, prof, 'drag node', () => dragFor(page, leafBox));
    await page.keyboard.press('Control+z'); // put it back

    // Drag a container holding about 200 nodes, grabbed by its title bar.
    const big = containerNear(design, 200);
    await page.keyboard.press('Escape');
    await page.evaluate(() => document.querySelector('[data-testid=zoom-fit]')?.click());
    await page.waitForTimeout(200);
    let dragBig = null;
    if (big) {
      const box = await page.locator(`[data-testid=node][data-id="${big.id}"] > .node-body > rect.box`).boundingBox();
      if (box) dragBig = { ...(await dragFor(page, { ...box, height: 24 })), inside: big.count };
      await page.keyboard.press('Control+z');
    }

    phase('zoom, pan');
    // Zoom with the wheel about the canvas centre, in and out; then pan by dragging the grid.
    const canvas = await page.locator('[data-testid=canvas]').boundingBox();
    const mid = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
    await page.mouse.move(mid.x, mid.y);
    const zoom = await profiled(browser, page, prof, 'zoom', () =>
      measureGesture(page, (i) => page.mouse.wheel(0, Math.floor(i / 20) % 2 ? 60 : -60)),
    );
    const zoomSettle = await profiled(browser, page, prof, 'zoom settle', () => measureSettle(page));
    await page.evaluate(() => document.querySelector('[data-testid=zoom-fit]')?.click());
    await page.waitForTimeout(100);
    const spot = await emptySpot(page, canvas);
    await page.mouse.move(spot.x, spot.y);
    await page.mouse.down();
    const pan = await profiled(browser, page, prof, 'pan', () =>
      measureGesture(page, (i) => page.mouse.move(spot.x + 150 * Math.sin(i / 20), spot.y + 80 * Math.sin(i / 31))),
    );
    const panSettle = await profiled(browser, page, prof, 'pan settle', () => measureSettle(page, () => page.mouse.up()));

    mkdirSync(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: resolve(OUT, `browser-${n}.png`) });
    return {
      nodes: design.nodes.length,
      edges: design.edges.length,
      open,
      drawn,
      edit: { dom: stats(edit.dom), paint: stats(edit.paint), flips: edit.flips, before, after },
      dragLeaf,
      dragBig,
      zoom,
      zoomSettle,
      pan,
      panSettle,
      prof,
      problems: problems.filter((p) => !/storage/i.test(p)),
    };
  } finally {
    await context.close();
  }
}

/** The container whose subtree size is closest to `want`. */
function containerNear(design, want) {
  const kids = new Map();
  for (const x of design.nodes) {
    if (x.parent) (kids.get(x.parent) ?? kids.set(x.parent, []).get(x.parent)).push(x.id);
  }
  const size = (id) => (kids.get(id) ?? []).reduce((s, k) => s + 1 + size(k), 0);
  let best = null;
  for (const id of kids.keys()) {
    const count = size(id);
    if (!best || Math.abs(count - want) < Math.abs(best.count - want)) best = { id, count };
  }
  return best;
}

/** A canvas point over the grid, not over any node. */
async function emptySpot(page, canvas) {
  return page.evaluate((c) => {
    for (let y = c.y + c.height - 10; y > c.y; y -= 10) {
      for (let x = c.x + 10; x < c.x + c.width; x += 10) {
        const el = document.elementFromPoint(x, y);
        if (el && el.closest('[data-testid=canvas]') && !el.closest('[data-testid=node], [data-testid=edge]')) return { x, y };
      }
    }
    return { x: c.x + 5, y: c.y + 5 };
  }, canvas);
}

async function benchMermaid(browser, n) {
  const text = readFileSync(resolve(INPUTS, `design-${n}.mmd`), 'utf8');
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID_JS });
    return await page.evaluate(
      async ({ text, timeout }) => {
        window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 50_000_000, maxEdges: 100_000 });
        const t0 = performance.now();
        const done = window.mermaid.render('bench', text).then(
          ({ svg }) => {
            // Drawn, as the canvas is: into the page, and painted.
            document.getElementById('out').innerHTML = svg;
            return new Promise((r) => requestAnimationFrame(() => setTimeout(() => r({ ms: performance.now() - t0 }), 0)));
          },
          (e) => ({ error: String(e).slice(0, 200) }),
        );
        const late = new Promise((r) => setTimeout(() => r({ timedOut: true, ms: performance.now() - t0 }), timeout));
        return Promise.race([done, late]);
      },
      { text, timeout: MERMAID_TIMEOUT_MS },
    );
  } finally {
    await page.close();
  }
}

function table(rows, label) {
  const lines = [];
  lines.push(`# Browser benchmark${label ? ` (${label})` : ''}`);
  lines.push('');
  lines.push(`Release build (dist/), Chromium ${rows.chromium}, headless, ${new Date().toISOString().slice(0, 10)}. Times in ms.`);
  lines.push('Frame = main-thread time of one frame (input, animation frame, style, layout, paint); budget 16 ms.');
  lines.push('');
  lines.push('| nodes | open (first complete render) | edit→diagnostics p50 / p95 (DOM) | edit→painted p50 / p95 | drag node p50 / p95 / max | drag container (inside) p50 / p95 / max | zoom p50 / p95 / max | zoom settles (longest frame) | pan p50 / p95 / max | pan settles (longest frame) | Mermaid render | open / Mermaid |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const f3 = (s) => (s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}` : '–');
  for (const r of rows.results) {
    const m = r.mermaid;
    const mermaid = !m ? 'not run' : m.error ? `error: ${m.error.slice(0, 40)}` : m.timedOut ? `> ${ms(m.ms)}` : ms(m.ms);
    const ratio = !m || m.error ? '–' : m.timedOut ? `< ${(r.open / m.ms).toFixed(2)}` : (r.open / m.ms).toFixed(2);
    lines.push(
      `| ${r.nodes} | ${ms(r.open)} | ${ms(r.edit.dom.p50)} / ${ms(r.edit.dom.p95)} | ${ms(r.edit.paint.p50)} / ${ms(r.edit.paint.p95)} | ${f3(r.dragLeaf)} | ${r.dragBig ? `${f3(r.dragBig)} (${r.dragBig.inside})` : '–'} | ${f3(r.zoom)} | ${ms(r.zoomSettle?.max)} | ${f3(r.pan)} | ${ms(r.panSettle?.max)} | ${mermaid} | ${ratio} |`,
    );
  }
  lines.push('');
  for (const r of rows.results) {
    const notes = [];
    if (r.edit.flips !== editsFor(r.nodes)) notes.push(`${r.edit.flips}/${editsFor(r.nodes)} edits changed the diagnostics panel`);
    notes.push(`${r.drawn} nodes drawn at open`);
    notes.push(`counts ${r.edit.before} → ${r.edit.after}`);
    notes.push(`frames measured: drag ${r.dragLeaf.n}, container ${r.dragBig?.n ?? 0}, zoom ${r.zoom.n}, pan ${r.pan.n}`);
    if (r.problems.length) notes.push(`page problems: ${r.problems.slice(0, 3).join('; ')}`);
    lines.push(`- ${r.nodes} nodes, ${r.edges} edges: ${notes.join('; ')}`);
  }
  if (rows.history) {
    const h = rows.history;
    lines.push('');
    lines.push(
      `History (native, counting allocator, tests/history_memory.rs): a ${h.nodes}-node design takes ${h.design} KB; 100 undo steps take ${h.patches} KB as patches (${((100 * h.patches) / h.design).toFixed(1)} % of the design; budget: under 200 %), against ${h.copies} KB as whole copies.`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The profile table: main-thread self time (ms) per kind of work, per phase and size. */
function profileTable(rows) {
  const kinds = KINDS.map(([k]) => k);
  const lines = ['# Where the main thread\'s time goes (Chromium trace, self time in ms)', ''];
  lines.push('Traced runs are slower than the bench\'s: compare the kinds of work, not the totals.', '');
  lines.push(`| nodes | phase | ${kinds.join(' | ')} | top events |`);
  lines.push(`| ---: | --- | ${kinds.map(() => '---:').join(' | ')} | --- |`);
  for (const r of rows.results) {
    for (const [phase, p] of Object.entries(r.prof ?? {})) {
      if (!p) continue;
      const top = p.top.map(([n, v]) => `${n} ${ms(v)}`).join(', ');
      lines.push(`| ${r.nodes} | ${phase} | ${kinds.map((k) => ms(p.kinds[k])).join(' | ')} | ${top} |`);
    }
  }
  return lines.join('\n') + '\n';
}

/** 100 undo steps' heap against the design's, from the native test's figures (KB). */
function historyMemory() {
  const r = spawnSync('cargo', ['test', '--locked', '--quiet', '--test', 'history_memory', '--', '--nocapture'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return parseHistory(`${r.stdout ?? ''}${r.stderr ?? ''}`);
}

function parseHistory(text) {
  const m = /([\d,]+)-node design: (\d+) KB; 100 undo steps as copies: (\d+) KB; as patches: (\d+) KB/.exec(text);
  return m ? { nodes: m[1], design: +m[2], copies: +m[3], patches: +m[4] } : null;
}

async function main() {
  mkdirSync(INPUTS, { recursive: true });
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_designs', '--', INPUTS, ...SIZES.map(String)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = await startStaticServer(resolve(REPO_ROOT, process.env.E2E_DIST ?? 'dist'));
  const browser = await launchBrowser();
  const results = [];
  try {
    for (const n of SIZES) {
      process.stderr.write(`==> ${n} nodes: canvas… `);
      const r = await benchCanvas(browser, server.url, n);
      process.stderr.write('mermaid… ');
      r.mermaid = n <= MERMAID_MAX ? await benchMermaid(browser, n) : null;
      process.stderr.write(`${r.mermaid ? (r.mermaid.error ?? ms(r.mermaid.ms)) : 'not run'}\n`);
      results.push(r);
      // Written after each size: a run stopped later keeps what it measured.
      writeFileSync(resolve(OUT, 'browser.md'), table({ chromium: browser.version(), results }, process.env.BENCH_LABEL));
    }
    process.stderr.write('==> history memory (cargo test --test history_memory)\n');
    const rows = { chromium: browser.version(), results, history: historyMemory() };
    const md = table(rows, process.env.BENCH_LABEL);
    writeFileSync(resolve(OUT, 'browser.md'), md);
    writeFileSync(resolve(OUT, 'browser.json'), JSON.stringify(rows, null, 2));
    if (PROFILE) {
      const pt = profileTable(rows);
      writeFileSync(resolve(OUT, 'profile.md'), pt);
      process.stdout.write(pt);
    }
    process.stdout.write(md);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
