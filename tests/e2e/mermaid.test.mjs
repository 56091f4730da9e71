// The Mermaid export checked by the real Mermaid library (node_modules/mermaid, 11.x) in
// Debian's Chromium: every flowchart must parse and render, keep its subgraph nesting, show
// every label as text (Cyrillic, quotes, brackets, `<script>`… included) and run nothing.
//
// Run: `node --test tests/e2e/mermaid.test.mjs`
//   MERMAID_DIR=DIR   render every DIR/*.mmd instead of generating the inputs
//                     (default: `cargo run --example mermaid_dir -- target/e2e/mermaid-inputs`)
// tests/golden/mermaid_small.mmd is always rendered too; its picture is target/e2e/mermaid.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { REPO_ROOT, SHOTS_DIR, launchBrowser } from './lib/browser.mjs';

const MERMAID_JS = resolve(REPO_ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
const GOLDEN = resolve(REPO_ROOT, 'tests', 'golden', 'mermaid_small.mmd');

function inputFiles() {
  let dir = process.env.MERMAID_DIR;
  if (!dir) {
    dir = resolve(REPO_ROOT, 'target', 'e2e', 'mermaid-inputs');
    execFileSync('cargo', ['run', '--quiet', '--example', 'mermaid_dir', '--', dir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mmd'))
    .sort()
    .map((f) => resolve(dir, f));
  assert.ok(files.length > 0, `no .mmd files in ${dir}`);
  return [GOLDEN, ...files];
}

/** Mermaid entity codes back to text: `#quot;` → `"`, `#35;` → `#`. */
function decodeEntities(s) {
  const named = { quot: '"', lt: '<', gt: '>', amp: '&', nbsp: '\u00a0' };
  return s.replace(/#(\w+);/g, (m, code) =>
    /^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : (named[code] ?? m),
  );
}

/**
 * What the diagram text promises: the decoded lines of every quoted label, the leaf nodes,
 * the subgraphs, and each subgraph's direct members (from `subgraph … end` nesting).
 */
function expectations(text) {
  const labels = [];
  const leaves = [];
  const members = new Map();
  const stack = [];
  for (const raw of text.split('\n').slice(1)) {
    const line = raw.trim();
    const quoted = line.split('"');
    if (quoted.length === 3) {
      for (const part of quoted[1].split('<br/>')) labels.push(decodeEntities(part));
    }
    if (line === 'end') {
      stack.pop();
      continue;
    }
    const sub = /^subgraph (n\d+)\[/.exec(line);
    // A container an edge touches holds a port node (`n8_port`) where that edge ends.
    const leaf = /^(n\d+(?:_port)?)[[({>]/.exec(line);
    const id = sub?.[1] ?? leaf?.[1];
    if (!id) continue;
    if (stack.length) members.get(stack.at(-1)).push(id);
    if (sub) {
      members.set(id, []);
      stack.push(id);
    } else {
      leaves.push(id);
    }
  }
  return { labels, leaves, members };
}

async function shoot(name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = resolve(SHOTS_DIR, name);
  await page.locator('#out svg').screenshot({ path });
  return path;
}

const squash = (s) => s.replace(/\s+/g, '');

let browser;
let context;
let page;
const dialogs = [];
const problems = [];

before(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  // Nothing may leave the page: labels must not load images or scripts either.
  await context.route('**/*', (route) => {
    problems.push(`request: ${route.request().url()}`);
    return route.abort();
  });
  page = await context.newPage();
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  await page.setContent(
    '<!doctype html><html><head><meta charset="utf-8"><title>mermaid</title></head>' +
      '<body style="margin:0;background:#fff"><div id="out"></div></body></html>',
  );
  await page.addScriptTag({ path: MERMAID_JS });
  await page.evaluate(() => {
    // Canaries for code smuggled through labels.
    window.__ran = [];
    window.alert = (m) => window.__ran.push(`alert ${m}`);
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      // Large designs exceed the defaults (50,000 characters, 500 edges); see mermaid.rs.
      maxTextSize: 5_000_000,
      maxEdges: 20_000,
    });
  });
  const { version } = JSON.parse(readFileSync(resolve(REPO_ROOT, 'node_modules', 'mermaid', 'package.json'), 'utf8'));
  console.log(`# mermaid ${version}`);
});

after(async () => {
  await context?.close();
  await browser?.close();
});

const files = inputFiles();
const timings = [];

for (const file of files) {
  test(`mermaid parses and renders ${basename(file)}`, async () => {
    const text = readFileSync(file, 'utf8');
    const expected = expectations(text);
    const result = await page.evaluate(async (text) => {
      const out = document.getElementById('out');
      out.replaceChildren();
      const parsed = await window.mermaid.parse(text);
      let members = null;
      try {
        const diagram = await window.mermaid.mermaidAPI.getDiagramFromText(text);
        members = diagram.db.getSubGraphs().map((s) => [s.id, s.nodes]);
      } catch (e) {
        members = `unavailable: ${e}`;
      }
      const t0 = performance.now();
      const { svg } = await window.mermaid.render(`d${Date.now()}`, text);
      const ms = performance.now() - t0;
      // Insert it the way a page would, so any smuggled markup would get its chance to run.
      out.innerHTML = svg;
      await new Promise((r) => setTimeout(r, 50));
      const root = out.querySelector('svg');
      const onAttrs = [...out.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
      );
      return {
        parsed: parsed?.diagramType ?? parsed,
        ms,
        svgLength: svg.length,
        text: root?.textContent ?? '',
        leaves: out.querySelectorAll('g.node').length,
        clusters: out.querySelectorAll('g.cluster').length,
        foreign: [...out.querySelectorAll('foreignObject *')].map((el) => el.localName),
        scripts: out.querySelectorAll('script, img, iframe, object, embed').length +
          [...out.querySelectorAll('svg')].length - 1,
        onAttrs,
        members,
        ran: window.__ran.slice(),
      };
    }, text);
    timings.push(`${basename(file)}: ${result.ms.toFixed(0)} ms, ${text.length} chars in, ${result.svgLength} chars of SVG`);
    console.log(`# ${timings.at(-1)}`);

    assert.equal(result.parsed, 'flowchart-v2');
    // Mermaid draws an empty subgraph as a plain node.
    const empty = [...expected.members.values()].filter((kids) => kids.length === 0).length;
    assert.equal(result.leaves, expected.leaves.length + empty, 'one drawn node per leaf');
    assert.equal(result.clusters, expected.members.size - empty, 'one drawn box per subgraph');
    // Mermaid's own reading of the nesting matches the text's.
    assert.ok(Array.isArray(result.members), `subgraph members: ${result.members}`);
    const got = new Map(result.members);
    for (const [id, kids] of expected.members) {
      assert.deepEqual([...(got.get(id) ?? [])].sort(), [...kids].sort(), `members of ${id}`);
    }
    // Every label line is shown as text, whatever characters it holds.
    const shown = squash(result.text);
    const missing = expected.labels.filter((l) => !shown.includes(squash(l)));
    assert.deepEqual(missing, [], 'labels missing from the SVG text');
    // Labels became text, never markup.
    assert.deepEqual(result.onAttrs, [], 'no event-handler attributes');
    assert.equal(result.scripts, 0, 'no script/img/iframe/nested svg elements');
    const allowed = new Set(['div', 'span', 'p', 'br', 'strong', 'em', 'b', 'i']);
    assert.deepEqual([...new Set(result.foreign)].filter((t) => !allowed.has(t)), []);
    assert.deepEqual(result.ran, [], 'no script from a label ran');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.deepEqual(problems, [], 'no page errors, console errors or requests');

    if (basename(file) === 'hostile.mmd') {
      for (const s of [
        'Сосисочная',
        '"quoted" name',
        '</script><script>alert(1)</script>',
        '<svg onload=alert(1)>',
        '{{ moustache }} and ${template}',
        'hash # semi ; pipe | colon: x',
        '%%{init: {"theme": "dark"}}%%',
        'A --> B -.-> C ==> D',
        '&amp; & #quot; #35; ﬂ°°60¶ß',
        'style: #35; fill:#f00;',
        'fa:fa-car $$x^2$$',
        'literal <br/> tag and fab:fa-car',
        'end',
      ]) {
        // Word joiners (U+2060) are invisible; the export puts them where Mermaid would
        // otherwise read math, icons or its own entity markers.
        const visible = result.text.replaceAll('\u2060', '');
        assert.ok(visible.includes(s), `hostile label ${JSON.stringify(s)} shown as text`);
      }
    }
    if (file === GOLDEN) {
      const shot = await shoot('mermaid.png');
      console.log(`# screenshot: ${shot}`);
    }
    if (basename(file) === 'hostile.mmd') {
      await shoot('mermaid-hostile.png');
    }
  });
}
