// The editor, driven as a person would in headless Chromium: templates, palette drops into
// containers, links, the inspector and live rule checks, the export drawer, pan, zoom,
// rubber-band selection, delete and undo. Screenshots go to target/e2e/.
//
// Expected node counts come from the CLI (`infracanvas template show SLUG`), built here if
// missing, so nothing is hard-coded.
//
// Run: `make e2e`, or `scripts/e2e.sh` after `make build`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, pageServer, REPO_ROOT, screenshot } from './lib/browser.mjs';
import { body, center, drag, freeSpotIn, loadTemplate, node, openEditor as openEditorAt } from './lib/editor.mjs';

let server;
let browser;
let cli;

before(async () => {
  cli = resolve(REPO_ROOT, 'target', 'debug', 'infracanvas');
  if (!existsSync(cli)) {
    execFileSync('cargo', ['build', '--quiet', '--bin', 'infracanvas'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  server = await pageServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const openEditor = () => openEditorAt(browser, server.url);

function templateSlugs() {
  return execFileSync(cli, ['template', 'list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function templateDesign(slug) {
  return JSON.parse(execFileSync(cli, ['template', 'show', slug], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

test('every template opens with all its nodes; the empty design has none', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await screenshot(page, 'editor-start.png');
    for (const slug of templateSlugs()) {
      const expected = templateDesign(slug);
      await loadTemplate(page, slug);
      assert.equal(await page.locator('[data-testid=node]').count(), expected.nodes.length, `${slug}: nodes`);
      assert.equal(await page.locator('[data-testid=edge]').count(), expected.edges.length, `${slug}: edges`);
      // Every node sits inside its parent's <g>, so containers carry their children.
      const first = expected.nodes.find((n) => n.parent);
      assert.equal(await node(page, first.id).getAttribute('data-parent'), first.parent);
      if (slug === 'aws-multiregion-dr') await screenshot(page, 'editor-template-aws.png');
    }
    await loadTemplate(page, 'empty');
    assert.equal(await page.locator('[data-testid=node]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('build on a template: drop a database into a subnet, link it, edit replicas, export', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'site-builder');
    const before = await page.locator('[data-testid=node]').count();

    // Refused: a database dropped on a Kubernetes cluster (outside its namespaces).
    const inCluster = await freeSpotIn(page, 'prod');
    assert.ok(inCluster, 'free room in the prod cluster');
    const palette = await center(page.locator('[data-testid=palette-item][data-kind=database]'));
    await drag(page, palette, inCluster);
    const toast = page.locator('[data-testid=toast][data-level=error]');
    await toast.waitFor();
    assert.match(await toast.textContent(), /can't go inside a Kubernetes cluster: place it in a region/);
    assert.equal(await page.locator('[data-testid=node]').count(), before, 'nothing added');

    // Accepted: into the private subnet.
    const spot = await freeSpotIn(page, 'private');
    assert.ok(spot, 'free room in the private subnet');
    await drag(page, palette, spot);
    const dbs = page.locator('[data-testid=node][data-kind=database][data-parent=private]');
    await dbs.first().waitFor();
    assert.equal(await dbs.count(), 1);
    assert.equal(await page.locator('[data-testid=node]').count(), before + 1);
    const dbId = await dbs.getAttribute('data-id');

    // The new node is selected: name it in the inspector.
    const name = page.locator('[data-testid=inspector] [data-testid=field-name]');
    await name.fill('orders-db');
    assert.equal(await node(page, dbId).getAttribute('data-name'), 'orders-db');

    // Link the API gateway to it from the gateway's handle.
    const edgesBefore = await page.locator('[data-testid=edge]').count();
    await page.hover('[data-testid=node][data-id=prod-api] > .node-body');
    const handle = await center(page.locator('[data-testid=node][data-id=prod-api] > [data-testid=link-handle]'));
    const target = await center(body(page, dbId));
    await drag(page, handle, target);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=edge]').length === n, edgesBefore + 1);
    const newEdge = page.locator('[data-testid=edge].selected');
    assert.equal(await newEdge.getAttribute('data-kind'), 'traffic');
    assert.match(await page.locator('[data-testid=inspector]').textContent(), /API Gateway → orders-db/);
    await screenshot(page, 'editor-linked.png');

    // Replicas of a production workload: 1 raises IC-AVL-002, 3 clears it.
    await page.click('[data-testid=node][data-id=prod-frontend] > .node-body');
    const autoscaling = page.locator('[data-testid=inspector] [data-testid=field-autoscaling]');
    if (await autoscaling.isChecked()) await autoscaling.uncheck();
    const replicas = page.locator('[data-testid=inspector] [data-testid=field-replicas]');
    const avl = page.locator('[data-testid=diagnostic][data-rule=IC-AVL-002]');
    const mine = page.locator('[data-testid=diagnostic][data-rule=IC-AVL-002][data-targets~=prod-frontend]');
    await replicas.fill('1');
    await mine.waitFor();
    assert.equal(await mine.getAttribute('data-severity'), 'warning');
    assert.match(await node(page, 'prod-frontend').getAttribute('class'), /has-warning/);
    await screenshot(page, 'editor-replicas-warning.png');
    await replicas.fill('3');
    await mine.waitFor({ state: 'detached' });
    const countAfterFix = await avl.count();

    // Invalid entries show an inline error and change nothing.
    for (const bad of ['0', 'abc']) {
      await replicas.fill(bad);
      await page.locator('[data-testid=field-replicas-error]').waitFor();
      assert.equal(await replicas.getAttribute('aria-invalid'), 'true');
      assert.equal(await avl.count(), countAfterFix, `"${bad}" is not applied`);
    }
    await screenshot(page, 'editor-replicas-invalid.png');
    // The model kept 3: select something else and come back.
    await page.click(`[data-testid=node][data-id="${dbId}"] > .node-body`);
    await page.click('[data-testid=node][data-id=prod-frontend] > .node-body');
    assert.equal(await replicas.inputValue(), '3');

    // Any Unicode in names.
    await name.fill('Фронтенд «витрина» 🛒');
    assert.equal(await node(page, 'prod-frontend').getAttribute('data-name'), 'Фронтенд «витрина» 🛒');

    // The Kubernetes export reaches the new database through an ExternalName Service.
    await page.click('[data-testid=toggle-export]');
    const preview = page.locator('[data-testid=export-preview]');
    // The exports come from the export worker, loaded the first time the drawer opens.
    await page.locator('[data-testid=export-preview][data-state=ready]').waitFor();
    const files = page.locator('[data-testid=export-file][data-path$="base/backend/services.yaml"]');
    await files.first().waitFor();
    assert.ok((await files.count()) >= 1, 'a services.yaml for the backend namespace');
    let found = '';
    for (let i = 0; i < (await files.count()); i++) {
      await files.nth(i).click();
      const text = await preview.textContent();
      if (text.includes('orders-db')) {
        found = text;
        break;
      }
    }
    assert.match(found, /name: orders-db/);
    assert.match(found, /type: ExternalName/);
    assert.match(found, /externalName: orders-db\./);
    await screenshot(page, 'editor-export.png');

    // Other tabs.
    await page.click('[data-testid=export-tab-mermaid]');
    await page.waitForFunction(() => /^flowchart/m.test(document.querySelector('[data-testid=export-preview]').textContent));
    assert.match(await preview.textContent(), /^flowchart/m);
    await page.click('[data-testid=export-tab-json]');
    const json = JSON.parse(await preview.textContent());
    assert.equal(json.nodes.find((n) => n.id === dbId).parent, 'private');
    assert.ok(json.edges.some((e) => e.from === 'prod-api' && e.to === dbId));
    await page.click('[data-testid=export-tab-kubernetes]');
    const download = page.waitForEvent('download');
    await page.click('[data-testid=export-zip]');
    const zip = await download;
    assert.match(zip.suggestedFilename(), /\.zip$/);
    // The worker's archive holds exactly the files the drawer listed, with the same contents.
    const listed = await page.locator('[data-testid=export-file]').evaluateAll((els) => els.map((e) => e.dataset.path));
    const entries = execFileSync('python3', ['-c', `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))`, await zip.path()], { encoding: 'utf8' });
    const archived = JSON.parse(entries);
    assert.deepEqual(Object.keys(archived).sort(), listed.map((p) => `kubernetes/${p}`).sort());
    await page.click(`[data-testid=export-file][data-path="${listed[0]}"]`);
    assert.equal(archived[`kubernetes/${listed[0]}`], await preview.textContent());

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('move, resize, pan, zoom, rubber band, delete and undo', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'multicloud-shop');
    const total = await page.locator('[data-testid=node]').count();
    const viewport = page.locator('[data-testid=viewport]');
    const ids = await page.locator('[data-testid=node]').evaluateAll((els) =>
      els.filter((e) => e.classList.contains('leaf')).map((e) => e.dataset.id),
    );
    const [a, b] = [ids[0], ids[ids.length - 1]];

    // Pan by dragging the background: everything shifts together.
    const canvas = await page.locator('[data-testid=canvas]').boundingBox();
    const t0 = await viewport.getAttribute('transform');
    const a0 = await center(body(page, a));
    const b0 = await center(body(page, b));
    await drag(page, { x: canvas.x + 8, y: canvas.y + 8 }, { x: canvas.x + 108, y: canvas.y + 58 });
    assert.notEqual(await viewport.getAttribute('transform'), t0);
    const a1 = await center(body(page, a));
    const b1 = await center(body(page, b));
    assert.ok(Math.abs(a1.x - a0.x - 100) < 1.5 && Math.abs(a1.y - a0.y - 50) < 1.5, 'panned by the drag');
    assert.ok(Math.abs(b1.x - a1.x - (b0.x - a0.x)) < 1.5, 'relative positions kept');

    // Zoom with the button and the wheel: distances scale, order is kept.
    const zoom0 = await page.locator('[data-testid=zoom-level]').textContent();
    await page.click('[data-testid=zoom-in]');
    assert.notEqual(await page.locator('[data-testid=zoom-level]').textContent(), zoom0);
    const a2 = await center(body(page, a));
    const b2 = await center(body(page, b));
    const ratio = (b2.x - a2.x) / (b1.x - a1.x);
    assert.ok(Math.abs(ratio - 1.25) < 0.02, `button zooms by 1.25 (got ${ratio})`);
    const t2 = await viewport.getAttribute('transform');
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.mouse.wheel(0, 200);
    await page.waitForFunction((t) => document.querySelector('[data-testid=viewport]').getAttribute('transform') !== t, t2);
    const a3 = await center(body(page, a));
    const b3 = await center(body(page, b));
    assert.ok(b3.x - a3.x < b2.x - a2.x, 'wheel down zooms out');
    await page.click('[data-testid=zoom-fit]');

    // Move a leaf inside its container: it moves, its parent stays.
    const leaf = ids[0];
    const parent = await node(page, leaf).getAttribute('data-parent');
    const p0 = await center(body(page, leaf));
    const free = parent ? await freeSpotIn(page, parent) : null;
    if (free) {
      await drag(page, p0, free);
      const p1 = await center(body(page, leaf));
      assert.ok(Math.hypot(p1.x - p0.x, p1.y - p0.y) > 5, 'the node moved');
      assert.equal(await node(page, leaf).getAttribute('data-parent'), parent, 'same parent');
    }

    // Move a container: its children come along.
    const region = await page.locator('[data-testid=node][data-kind=region]').first().getAttribute('data-id');
    const child = await page
      .locator(`[data-testid=node][data-id="${region}"] > .children > [data-testid=node]`)
      .first()
      .getAttribute('data-id');
    const header = await center(page.locator(`[data-testid=node][data-id="${region}"] > .node-body > rect.box-header`));
    const c0 = await center(body(page, child));
    const r0 = await center(body(page, region));
    await drag(page, { x: header.box.x + 60, y: header.y }, { x: header.box.x + 60 + 30, y: header.y + 20 });
    const c1 = await center(body(page, child));
    const r1 = await center(body(page, region));
    assert.ok(Math.abs(c1.x - c0.x - (r1.x - r0.x)) < 1.5 && Math.abs(c1.y - c0.y - (r1.y - r0.y)) < 1.5, 'children follow');
    assert.ok(r1.x !== r0.x || r1.y !== r0.y, 'the container moved');

    // Resize a container by its corner.
    await page.click(`[data-testid=node][data-id="${region}"] > .node-body > rect.box-header`);
    const corner = await center(page.locator(`[data-testid=node][data-id="${region}"] > [data-testid=resize-handle]`));
    const w0 = (await body(page, region).boundingBox()).width;
    await drag(page, corner, { x: corner.x + 40, y: corner.y + 30 });
    const w1 = (await body(page, region).boundingBox()).width;
    assert.ok(w1 > w0 + 20, `resized (${w0} -> ${w1})`);

    // Rubber band over the whole design selects every node.
    await page.click('[data-testid=zoom-fit]');
    const cv = await page.locator('[data-testid=canvas]').boundingBox();
    await drag(page, { x: cv.x + 3, y: cv.y + 3 }, { x: cv.x + cv.width - 3, y: cv.y + cv.height - 3 }, { shift: true });
    assert.equal(await page.locator('[data-testid=node].selected').count(), total);
    assert.match(await page.locator('[data-testid=inspector]').textContent(), new RegExp(`${total} items selected`));
    await screenshot(page, 'editor-rubber-band.png');

    // Delete everything, then undo.
    await page.keyboard.press('Delete');
    assert.equal(await page.locator('[data-testid=node]').count(), 0);
    await page.click('[data-testid=undo]');
    assert.equal(await page.locator('[data-testid=node]').count(), total);

    // Dark theme.
    await page.click('[data-testid=toggle-theme]');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.click('[data-testid=zoom-fit]');
    await screenshot(page, 'editor-dark.png');

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a large design draws only what is near the view, and what comes into view is drawn', async () => {
  const dir = resolve(REPO_ROOT, 'target', 'e2e', 'designs');
  execFileSync('cargo', ['run', '--quiet', '--example', 'bench_designs', '--', dir, '1000'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const payload = readFileSync(resolve(dir, 'design-1000.payload'), 'utf8');
  const { context, page, problems } = await openEditor();
  try {
    await page.goto(`${server.url.replace(/\/$/, '')}/#d=${payload}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=node]').length === 1000, null, { timeout: 30_000 });
    const drawn = () => page.locator('[data-testid=node] > .node-body').count();
    await page.click('[data-testid=zoom-fit]');
    await page.waitForTimeout(100);
    const atFit = await drawn();
    // Zoomed in to 100 %: a small part is drawn, every node is still in the document.
    while (Number((await page.locator('[data-testid=zoom-level]').textContent()).replace('%', '')) < 100) {
      await page.click('[data-testid=zoom-in]');
    }
    await page.waitForTimeout(100);
    const near = await drawn();
    assert.ok(near > 0 && near < atFit / 3, `drawn at fit ${atFit}, zoomed in ${near}`);
    // A container far from view is an empty group, without its insides.
    const present = await page.locator('[data-testid=node]').count();
    assert.ok(present < 1000 && present >= near, `${present} nodes in the document`);
    // What is drawn covers the view: every node box overlapping the canvas is drawn.
    const missing = await page.evaluate(() => {
      const c = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid=node].leaf')].filter((g) => {
        const r = g.getBoundingClientRect();
        return !g.querySelector('.node-body') && r.width > 0 && r.right > c.left && r.left < c.right && r.bottom > c.top && r.top < c.bottom;
      }).length;
    });
    assert.equal(missing, 0);
    // Pan far: other nodes come into view and are drawn; the first ones are dropped.
    const before = await page.locator('[data-testid=node]:has(> .node-body)').evaluateAll((gs) => gs.map((g) => g.dataset.id));
    const canvas = await page.locator('[data-testid=canvas]').boundingBox();
    const spot = { x: canvas.x + canvas.width - 20, y: canvas.y + canvas.height / 2 };
    // Space+drag pans wherever the pointer is, over nodes too: two screens to the right.
    await page.mouse.move(spot.x, spot.y);
    await page.keyboard.down('Space');
    for (let i = 0; i < 2; i++) {
      await drag(page, spot, { x: canvas.x + 20, y: spot.y });
    }
    await page.keyboard.up('Space');
    await page.waitForTimeout(100);
    await screenshot(page, 'large-design-panned.png');
    const after = await page.locator('[data-testid=node]:has(> .node-body)').evaluateAll((gs) => gs.map((g) => g.dataset.id));
    assert.ok(after.length > 0, 'something is drawn after the pan');
    assert.ok(after.some((id) => !before.includes(id)), 'new nodes were drawn');
    assert.ok(before.some((id) => !after.includes(id)), 'nodes far from view were dropped');
    assert.deepEqual(problems.filter((p) => !/storage|Not saved/i.test(p)), []);
  } finally {
    await context.close();
  }
});

test('the palette filters as you type: products find their kind, Enter adds the first match', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'empty');
    const search = page.locator('[data-testid=palette-search]');
    const visible = () =>
      page.locator('[data-testid=palette-item]').evaluateAll((els) => els.filter((e) => e.offsetParent !== null).map((e) => e.dataset.kind));
    const all = await visible();
    assert.ok(all.length > 20, `${all.length} kinds`);
    await search.fill('postgres');
    assert.deepEqual(await visible(), ['database']);
    await search.fill('k8s');
    assert.deepEqual(await visible(), ['kubernetes_cluster']);
    await search.fill('zzz');
    assert.deepEqual(await visible(), []);
    await page.locator('.palette-none').waitFor();
    await screenshot(page, 'palette-search-none.png');
    // Typing in the search box is not an editor shortcut: Delete and letters stay in the field.
    await search.fill('yandex');
    assert.deepEqual(await visible(), ['provider']);
    await search.press('Enter');
    await page.locator('[data-testid=node][data-kind=provider]').waitFor();
    assert.equal(await page.locator('[data-testid=node]').count(), 1);
    await search.press('Backspace');
    assert.equal(await search.inputValue(), 'yande');
    assert.equal(await page.locator('[data-testid=node]').count(), 1, 'Backspace in the field deletes nothing');
    await search.press('Escape');
    assert.equal(await search.inputValue(), '');
    assert.deepEqual(await visible(), all);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('design settings: with nothing selected, objectives are edited and the disaster-recovery checks follow', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'aws-multiregion-dr');
    const design = JSON.parse(execFileSync(cli, ['template', 'show', 'aws-multiregion-dr'], { encoding: 'utf8' }));
    const form = page.locator('[data-testid=design-form]');
    await form.waitFor();
    const field = (name) => page.locator(`[data-testid=field-design-${name}]`);
    assert.equal(await field('rpo').inputValue(), String(design.objectives.rpo_minutes));
    assert.equal(await field('rto').inputValue(), String(design.objectives.rto_minutes));
    assert.equal(await field('slo').inputValue(), String(design.objectives.slo_percent));
    assert.equal(await field('throughput').inputValue(), String(design.objectives.throughput_per_minute));
    const count = (rule) => page.locator(`[data-testid=diagnostic][data-rule=${rule}]`).count();
    const waitCount = (rule, n) =>
      page.waitForFunction(([r, n]) => document.querySelectorAll(`[data-testid=diagnostic][data-rule=${r}]`).length === n, [rule, n]);
    assert.equal(await count('IC-DR-002'), 0, 'replication meets the RPO of 15 minutes');

    // A stricter RPO than the replication's: the replications break it.
    await field('rpo').fill('5');
    const replications = design.edges.filter((e) => e.kind === 'replication' && e.props?.mode !== 'sync').length;
    await waitCount('IC-DR-002', replications);
    // Bad entries are refused at the field and the design keeps its value.
    await field('rpo').fill('five');
    await page.locator('[data-testid=field-design-rpo-error]').waitFor();
    await field('slo').fill('101');
    await page.locator('[data-testid=field-design-slo-error]').waitFor();
    await field('slo').fill('99,95');
    await field('rto').fill('30');
    await page.click('[data-testid=toggle-export]');
    await page.click('[data-testid=export-tab-json]');
    let json = JSON.parse(await page.locator('[data-testid=export-preview]').textContent());
    assert.deepEqual(json.objectives, { ...design.objectives, rpo_minutes: 5, rto_minutes: 30, slo_percent: 99.95 });
    await page.click('[data-testid=toggle-export]');
    await field('rpo').fill('15');
    await waitCount('IC-DR-002', 0);
    await screenshot(page, 'design-settings.png');

    // A replication's own RPO, in the link's inspector: above the objective, then unstated.
    const rep = design.edges.find((e) => e.kind === 'replication' && e.from === 'rds');
    // Click the drawn line where it is not under a box, as a person would.
    const at = await page.evaluate((id) => {
      const path = document.querySelector(`[data-testid=edge][data-id="${id}"] .edge-hit`);
      const m = path.getScreenCTM();
      for (let f = 0.05; f < 1; f += 0.05) {
        const p = path.getPointAtLength(path.getTotalLength() * f);
        const x = p.x * m.a + p.y * m.c + m.e;
        const y = p.x * m.b + p.y * m.d + m.f;
        if (document.elementFromPoint(x, y)?.closest('[data-testid=edge]')?.dataset.id === id) return { x, y };
      }
      return null;
    }, rep.id);
    assert.ok(at, 'the replication line is visible somewhere');
    await page.mouse.click(at.x, at.y);
    await page.locator(`[data-testid=edge][data-id="${rep.id}"].selected`).waitFor();
    const rpo = page.locator('[data-testid=inspector] [data-testid=field-rpo]');
    await rpo.fill('30');
    await waitCount('IC-DR-002', 1);
    await rpo.fill('');
    await waitCount('IC-DR-002', 0);
    await waitCount('IC-DR-003', 1);
    // Undo walks it back to the template's 15 minutes.
    await page.keyboard.press('Escape');
    await page.click('[data-testid=undo]');
    await page.click('[data-testid=undo]');
    await waitCount('IC-DR-003', 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
