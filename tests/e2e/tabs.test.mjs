// Never lose work, part 2, driven in headless Chromium: one design open in two tabs of one
// browser, edited one after the other and at the same time (in both orders), and a page that
// stops between writing a design and writing the list of designs. Screenshots in target/e2e/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, pageServer, screenshot } from './lib/browser.mjs';
import { loadTemplate, node } from './lib/editor.mjs';

let server;
let browser;

before(async () => {
  server = await pageServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const INDEX = 'infracanvas.index';

/** A page of `context` with the editor loaded, recording console errors. */
async function tab(context, problems) {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=canvas]').waitFor({ state: 'visible', timeout: 20_000 });
  return page;
}

async function saved(page) {
  await page.locator('[data-testid=save-status][data-state=saved]').waitFor({ timeout: 5_000 });
}

/** What local storage holds: the index and each design (its envelope's design file). */
async function stored(page) {
  return page.evaluate((indexKey) => {
    const index = JSON.parse(localStorage.getItem(indexKey) ?? 'null');
    const designs = {};
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('infracanvas.design.')) continue;
      const value = JSON.parse(localStorage.getItem(key));
      designs[key.slice('infracanvas.design.'.length)] = value;
    }
    return { index, designs };
  }, INDEX);
}

/** Ids of the nodes drawn in `page`. */
async function nodeIds(page) {
  return page.locator('[data-testid=node]').evaluateAll((els) => els.map((e) => e.dataset.id).sort());
}

/** Two leaf nodes (no children) of the design on `page`, to delete. */
async function twoLeaves(page) {
  return page.evaluate(() => {
    const leaves = [...document.querySelectorAll('[data-testid=node]')].filter(
      (g) => !g.querySelector(':scope > .children > [data-testid=node]'),
    );
    return [leaves[0].dataset.id, leaves[leaves.length - 1].dataset.id];
  });
}

async function select(page, id) {
  await page.click(`[data-testid=node][data-id="${id}"] > .node-body`);
  await page.locator(`[data-testid=node][data-id="${id}"].selected`).waitFor();
}

/** A context with the microservices template saved, open in tabs A and B. */
async function twoTabs() {
  const { context, page: a, problems } = await openPage(browser, server.url);
  await a.goto(server.url, { waitUntil: 'load' });
  await a.locator('[data-testid=canvas]').waitFor({ state: 'visible', timeout: 20_000 });
  await loadTemplate(a, 'microservices-platform');
  await saved(a);
  const b = await tab(context, problems);
  await b.locator('[data-testid=node]').first().waitFor();
  assert.deepEqual(await nodeIds(b), await nodeIds(a), 'tab B opens the same design');
  return { context, a, b, problems };
}

test('two tabs one after the other: the idle tab follows the other, and both deletions survive a reload', async () => {
  const { context, a, b, problems } = await twoTabs();
  try {
    const [x, y] = await twoLeaves(a);
    await select(a, x);
    await a.keyboard.press('Delete');
    await saved(a);
    // B had nothing unsaved: it takes A's version as it arrives, without asking.
    await node(b, x).waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await b.locator('[data-testid=conflict-bar]').count(), 0);
    await select(b, y);
    await b.keyboard.press('Delete');
    await saved(b);
    await node(a, y).waitFor({ state: 'detached', timeout: 5_000 });

    const c = await tab(context, problems);
    await c.locator('[data-testid=node]').first().waitFor();
    const ids = await nodeIds(c);
    assert.ok(!ids.includes(x) && !ids.includes(y), `both deletions kept: ${ids}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

for (const order of ['A then B', 'B then A']) {
  test(`two tabs at once (${order}): the later save is held back and the user chooses`, async () => {
    const { context, a, b, problems } = await twoTabs();
    try {
      const [first, second] = order === 'A then B' ? [a, b] : [b, a];
      const [x, y] = await twoLeaves(a);
      await select(first, x);
      await select(second, y);
      // Both delete within the autosave delay: each has a change the other has not seen.
      await first.keyboard.press('Delete');
      await second.keyboard.press('Delete');
      await saved(first);
      const bar = second.locator('[data-testid=conflict-bar]');
      await bar.waitFor({ timeout: 5_000 });
      assert.match(await bar.textContent(), /changed in another tab/);
      assert.equal(await second.locator('[data-testid=save-status]').getAttribute('data-state'), 'failed');
      assert.equal(await first.locator('[data-testid=conflict-bar]').count(), 0);
      await screenshot(second, `tabs-conflict-${order.replaceAll(' ', '-')}.png`);

      // Nothing of the first tab's was overwritten, and the second tab still shows its own.
      let s = await stored(first);
      const id = s.index.current;
      const kept = s.designs[id].design.nodes.map((n) => n.id);
      assert.ok(!kept.includes(x) && kept.includes(y), 'the stored design is the first tab’s');
      assert.ok((await nodeIds(second)).includes(x));
      // Waiting does not change that: the held-back tab saves nothing until the user chooses.
      await second.waitForTimeout(800);
      assert.deepEqual((await stored(first)).designs[id].design.nodes.map((n) => n.id), kept);

      if (order === 'A then B') {
        // Keep mine as a copy: both versions are in My designs.
        await second.click('[data-testid=conflict-keep-copy]');
        await bar.waitFor({ state: 'detached' });
        await saved(second);
        s = await stored(first);
        assert.equal(s.index.entries.length, 2, JSON.stringify(s.index.entries));
        const copy = s.index.entries.find((e) => e.id !== id);
        assert.match(copy.name, /\(copy\)$/);
        const copyNodes = s.designs[copy.id].design.nodes.map((n) => n.id);
        assert.ok(copyNodes.includes(x) && !copyNodes.includes(y), 'the copy is the second tab’s version');
        assert.deepEqual(s.designs[id].design.nodes.map((n) => n.id), kept);
      } else {
        // Reload theirs: the second tab shows the first tab's version, then its edit again
        // builds on it, and after a reload both deletions are there.
        await second.click('[data-testid=conflict-reload]');
        await bar.waitFor({ state: 'detached' });
        await node(second, x).waitFor({ state: 'detached' });
        await select(second, y);
        await second.keyboard.press('Delete');
        await saved(second);
        await second.reload({ waitUntil: 'load' });
        await second.locator('[data-testid=node]').first().waitFor();
        const ids = await nodeIds(second);
        assert.ok(!ids.includes(x) && !ids.includes(y), `both deletions kept: ${ids}`);
        assert.equal((await stored(second)).index.entries.length, 1);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test('a held-back tab that opens another design keeps its changes as a copy', async () => {
  const { context, a, b, problems } = await twoTabs();
  try {
    const [x, y] = await twoLeaves(a);
    await select(a, x);
    await select(b, y);
    await a.keyboard.press('Delete');
    await b.keyboard.press('Delete');
    await saved(a);
    await b.locator('[data-testid=conflict-bar]').waitFor({ timeout: 5_000 });
    // B goes on to a new design without choosing: its deletion is not dropped.
    await b.click('[data-testid=open-designs]');
    await b.click('[data-testid=design-new]');
    await b.locator('[data-testid=conflict-bar]').waitFor({ state: 'detached' });
    const s = await stored(a);
    assert.equal(s.index.entries.length, 2, JSON.stringify(s.index.entries));
    const copy = s.index.entries.find((e) => /\(copy\)$/.test(e.name));
    assert.match(copy.name, /\(copy\)$/);
    const nodes = s.designs[copy.id].design.nodes.map((n) => n.id);
    assert.ok(!nodes.includes(y) && nodes.includes(x), 'the copy is B’s version');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a page that stops between writing the design and the list loses neither', async () => {
  const { context, page: a, problems } = await openPage(browser, server.url);
  // The "crash": once armed, the page freezes for good when it is about to write the index,
  // right after it wrote the design; then the tab is closed without any unload handler.
  await context.addInitScript((indexKey) => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (window.__freezeBeforeIndex && key === indexKey) {
        for (;;) {}
      }
      return setItem.call(this, key, value);
    };
  }, INDEX);
  try {
    await a.goto(server.url, { waitUntil: 'load' });
    await a.locator('[data-testid=canvas]').waitFor({ state: 'visible', timeout: 20_000 });
    await loadTemplate(a, 'microservices-platform');
    await saved(a);
    const docId = (await stored(a)).index.current;

    // 1. An edit of a design already listed: renamed, then frozen between the two writes.
    await a.evaluate(() => (window.__freezeBeforeIndex = true));
    const name = a.locator('[data-testid=design-name]');
    await name.fill('Переименовано до сбоя');
    await name.press('Enter');
    await a.waitForTimeout(1_500);
    await a.close({ runBeforeUnload: false });

    let c = await tab(context, problems);
    let s = await stored(c);
    assert.equal(s.designs[docId].name, 'Переименовано до сбоя', 'the design was written');
    assert.notEqual(s.index.entries.find((e) => e.id === docId).name, 'Переименовано до сбоя', 'the list was not');
    await c.locator('[data-testid=node]').first().waitFor();
    assert.equal(await c.locator('[data-testid=design-name]').inputValue(), 'Переименовано до сбоя');
    await c.click('[data-testid=open-designs]');
    await c.locator('[data-testid=design-entry]', { hasText: 'Переименовано до сбоя' }).waitFor();
    await c.keyboard.press('Escape');

    // 2. A new design whose very first save stops before the list: found and opened again.
    await c.click('[data-testid=open-designs]');
    await c.click('[data-testid=design-new]');
    await c.evaluate(() => (window.__freezeBeforeIndex = true));
    await loadTemplate(c, 'site-builder');
    await c.waitForTimeout(1_500);
    await c.close({ runBeforeUnload: false });

    c = await tab(context, problems);
    s = await stored(c);
    const fresh = Object.entries(s.designs).find(([id]) => id !== docId);
    assert.ok(fresh, 'the new design was written');
    assert.ok(!s.index.entries.some((e) => e.id === fresh[0]), 'the list does not name it');
    await c.locator('[data-testid=node]').first().waitFor();
    assert.equal(await c.locator('[data-testid=design-name]').inputValue(), fresh[1].name);
    await c.click('[data-testid=open-designs]');
    const entries = c.locator('[data-testid=design-entry]');
    await entries.filter({ hasText: fresh[1].name }).waitFor();
    assert.equal(await entries.filter({ hasText: 'Переименовано до сбоя' }).count(), 1);
    await screenshot(c, 'tabs-after-crash.png');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
