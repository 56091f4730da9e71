// Canvas habits, as a draw.io or Excalidraw user expects them: renaming in place
// (double-click, F2), the context menu (duplicate, delete, move into a container, keyboard),
// snapping with alignment guides while dragging, the minimap, and containers that push their
// neighbours aside when they grow. Screenshots go to target/e2e/canvas-*.png.
//
// Run: `make build`, then `node --test --test-reporter=spec tests/e2e/canvas-habits.test.mjs`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, pageServer, screenshot } from './lib/browser.mjs';
import { center, designJson, drag, node, openEditor as openEditorAt } from './lib/editor.mjs';

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

/** Two regions side by side (40 apart), two databases in the first, a subnet in the second. */
const DESIGN = {
  version: 1,
  name: 'Canvas habits',
  nodes: [
    { id: 'r1', kind: 'region', name: 'Region A' },
    { id: 'r2', kind: 'region', name: 'Region B' },
    { id: 'db', kind: 'database', name: 'orders', parent: 'r1' },
    { id: 'db2', kind: 'database', name: 'billing', parent: 'r1' },
    { id: 'sn', kind: 'subnet', name: 'Private', parent: 'r2' },
  ],
  edges: [],
  layout: {
    r1: [0, 0, 420, 320],
    r2: [460, 0, 420, 320],
    db: [24, 48, 160, 56],
    db2: [220, 200, 160, 56],
    sn: [484, 48, 300, 200],
  },
};

async function openDesign(design = DESIGN) {
  const opened = await openEditorAt(browser, server.url);
  const { page } = opened;
  await page.setInputFiles('[data-testid=file-input]', {
    name: 'habits.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(design)),
  });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, design.nodes.length);
  await page.waitForTimeout(300);
  return opened;
}

const byId = (design, id) => design.nodes.find((n) => n.id === id);
const nameText = (page, id) => page.locator(`[data-testid=node][data-id="${id}"] > .node-body > text`).first();
/** The middle of a node's name (the text lets the pointer through to the box below it). */
async function onName(page, id) {
  const b = await nameText(page, id).boundingBox();
  return { x: b.x + Math.min(b.width / 2, 30), y: b.y + b.height / 2 };
}
/** The rename box takes the focus on the frame after it is drawn: keys typed before that
 * would go to the page. */
async function renameFocused(page) {
  await page.waitForFunction(() => document.activeElement?.dataset?.testid === 'rename-input');
}
async function dblclickName(page, id) {
  const p = await onName(page, id);
  await page.mouse.dblclick(p.x, p.y);
}
async function rightClickName(page, id) {
  const p = await onName(page, id);
  await page.mouse.click(p.x, p.y, { button: 'right' });
}
const overlap = (a, b) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];

test('rename in place: double-click, Escape cancels, Enter commits, undo reverts, F2, empty refused', async () => {
  const { context, page, problems } = await openDesign();
  try {
    // Double-click the leaf's name: a box over it, pre-filled and all selected.
    await dblclickName(page, 'db');
    const input = page.locator('[data-testid=rename-input]');
    await input.waitFor();
    await renameFocused(page);
    assert.equal(await input.inputValue(), 'orders');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid=rename-input]');
      return el === document.activeElement && el.selectionStart === 0 && el.selectionEnd === 6;
    });
    // Escape keeps the old name.
    await page.keyboard.type('Отмена');
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'detached' });
    assert.equal(await node(page, 'db').getAttribute('data-name'), 'orders');
    assert.equal(await page.locator('[data-testid=node][data-id=db].selected').count(), 1, 'Escape in the box keeps the selection');

    // Enter commits a Cyrillic name with quotes.
    const cyr = 'Заказы "prod" — основная';
    await dblclickName(page, 'db');
    await input.waitFor();
    await renameFocused(page);
    await page.keyboard.type(cyr);
    await screenshot(page, 'canvas-rename.png');
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'detached' });
    assert.equal(await node(page, 'db').getAttribute('data-name'), cyr);
    assert.equal(byId(await designJson(page), 'db').name, cyr);

    // One undo step reverts it.
    await page.keyboard.press('Control+z');
    assert.equal(await node(page, 'db').getAttribute('data-name'), 'orders');
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await node(page, 'db').getAttribute('data-name'), cyr);

    // A container's title, by F2 on the selected container; Shift+Enter makes a second line.
    await page.locator('[data-testid=node][data-id=r2] > .node-body > rect.box-header').click();
    await page.keyboard.press('F2');
    await input.waitFor();
    await renameFocused(page);
    assert.equal(await input.inputValue(), 'Region B');
    await page.keyboard.type('eu-west');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type("l'été");
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'detached' });
    assert.equal(byId(await designJson(page), 'r2').name, "eu-west\nl'été");

    // Clicking elsewhere keeps what was typed.
    await dblclickName(page, 'db2');
    await input.waitFor();
    await renameFocused(page);
    await page.keyboard.type('Счета');
    const c = await page.locator('[data-testid=canvas]').boundingBox();
    await page.mouse.click(c.x + c.width - 30, c.y + 30);
    await input.waitFor({ state: 'detached' });
    assert.equal(await node(page, 'db2').getAttribute('data-name'), 'Счета');

    // An empty name is refused with a message; the box stays for another try.
    await dblclickName(page, 'db2');
    await input.waitFor();
    await renameFocused(page);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    const toast = page.locator('[data-testid=toast][data-level=error]');
    await toast.waitFor();
    assert.match(await toast.textContent(), /name can't be empty/);
    assert.equal(await input.count(), 1, 'still renaming');
    await page.keyboard.press('Escape');
    assert.equal(await node(page, 'db2').getAttribute('data-name'), 'Счета');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('context menu: duplicate, delete, move into a container and out, background items, keyboard', async () => {
  const { context, page, problems } = await openDesign();
  try {
    const menu = page.locator('[data-testid=context-menu]');
    const count = () => page.locator('[data-testid=node]').count();

    // Right-click a node: its menu, the node selected, the first row focused.
    await rightClickName(page, 'db');
    await menu.waitFor();
    assert.equal(await menu.getAttribute('role'), 'menu');
    assert.equal(await page.locator('[data-testid=node][data-id=db].selected').count(), 1);
    const labels = await menu.locator(':scope > [role=menuitem] .menu-label, :scope > .menu-sub > [role=menuitem] .menu-label').allTextContents();
    assert.deepEqual(labels, ['Rename', 'Duplicate', 'Delete', 'Move into']);
    // The first row takes the focus on the frame after the menu is drawn.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'menu-rename');
    await screenshot(page, 'canvas-menu.png');

    // Duplicate: one more node, in the same region.
    await page.click('[data-testid=menu-duplicate]');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await count(), DESIGN.nodes.length + 1);
    const copy = (await designJson(page)).nodes.find((n) => !DESIGN.nodes.some((o) => o.id === n.id));
    assert.equal(copy.parent, 'r1');

    // Delete the copy from its own menu.
    await rightClickName(page, copy.id);
    await page.click('[data-testid=menu-delete]');
    assert.equal(await count(), DESIGN.nodes.length);

    // Move into ▸ lists the containers a database may go in: the other region and the subnet,
    // not its own region.
    await rightClickName(page, 'db');
    await page.hover('[data-testid=menu-move-into]');
    const list = page.locator('[data-testid=menu-move-into-list]');
    await list.waitFor();
    const targets = await list.locator('[role=menuitem]').evaluateAll((els) => els.map((e) => e.dataset.testid));
    assert.deepEqual(targets.sort(), ['menu-into-r2', 'menu-into-sn']);
    await screenshot(page, 'canvas-menu-move-into.png');
    await page.click('[data-testid=menu-into-sn]');
    await menu.waitFor({ state: 'detached' });
    let d = await designJson(page);
    assert.equal(byId(d, 'db').parent, 'sn');
    const [sx, sy, sw, sh] = d.layout.sn;
    const [x, y, w, h] = d.layout.db;
    assert.ok(x >= sx && y >= sy && x + w <= sx + sw && y + h <= sy + sh, 'placed inside the subnet');
    assert.equal(await node(page, 'db').getAttribute('data-parent'), 'sn');

    // Move out to the region (keyboard this time: Shift+F10 on the selection, arrows, Enter).
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    // The first row takes the focus on the frame after the menu is drawn.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'menu-rename');
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-move-out');
    assert.match(await page.locator('[data-testid=menu-move-out]').textContent(), /Move out to Region B/);
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    d = await designJson(page);
    assert.equal(byId(d, 'db').parent, 'r2');
    for (const a of d.nodes) {
      for (const b of d.nodes) {
        if (a.id < b.id && a.parent === b.parent) assert.ok(!overlap(d.layout[a.id], d.layout[b.id]), `${a.id} and ${b.id} overlap`);
      }
    }
    // One undo step puts it back in the subnet.
    await page.keyboard.press('Control+z');
    assert.equal(byId(await designJson(page), 'db').parent, 'sn');

    // The submenu by keyboard: → opens it, ← closes it, Escape closes the menu.
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    // The first row takes the focus on the frame after the menu is drawn.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'menu-rename');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-move-into');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.activeElement?.closest('.submenu') !== null);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-move-into');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid=node][data-id=db].selected').count(), 1, 'Escape closed only the menu');

    // The background: select all, fit; a click elsewhere closes it.
    const c = await page.locator('[data-testid=canvas]').boundingBox();
    await page.mouse.click(c.x + c.width - 30, c.y + 30, { button: 'right' });
    await menu.waitFor();
    assert.equal(await page.locator('[data-testid=menu-fit]').count(), 1);
    await page.click('[data-testid=menu-select-all]');
    assert.equal(await page.locator('[data-testid=node].selected').count(), DESIGN.nodes.length);
    // Near the window's bottom edge the menu stays on screen.
    await page.mouse.click(c.x + c.width - 100, c.y + c.height - 5, { button: 'right' });
    await menu.waitFor();
    const mb = await menu.boundingBox();
    const vp = page.viewportSize();
    assert.ok(mb.x + mb.width <= vp.width && mb.y + mb.height <= vp.height, 'on screen');
    await page.mouse.click(c.x + 40, c.y + c.height / 2);
    await menu.waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('dragging snaps to a neighbour and shows a guide; Alt drags freely', async () => {
  const { context, page, problems } = await openDesign();
  try {
    const a = (await center(page.locator('[data-testid=node][data-id=db] > .node-body > rect.box'))).box;
    const b = (await center(page.locator('[data-testid=node][data-id=db2] > .node-body > rect.box'))).box;
    // Drag db2 so that its left edge lands 4 screen pixels right of db's.
    const from = { x: b.x + 60, y: b.y + b.height / 2 };
    const to = { x: from.x + (a.x + 4 - b.x), y: from.y + 20 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    const guide = page.locator('[data-testid=snap-guide]');
    // A line has no area: attached, not "visible" to the test driver.
    await guide.first().waitFor({ state: 'attached' });
    assert.ok((await guide.count()) >= 1);
    await screenshot(page, 'canvas-snap.png');
    await page.mouse.up();
    await guide.first().waitFor({ state: 'detached' });
    let d = await designJson(page);
    assert.equal(d.layout.db2[0], d.layout.db[0], 'left edges aligned');

    // With Alt held: no guide, no snap.
    const b2 = (await center(page.locator('[data-testid=node][data-id=db2] > .node-body > rect.box'))).box;
    const f2 = { x: b2.x + 60, y: b2.y + b2.height / 2 };
    await page.keyboard.down('Alt');
    await page.mouse.move(f2.x, f2.y);
    await page.mouse.down();
    await page.mouse.move(f2.x + 2, f2.y + 10, { steps: 3 });
    await page.mouse.move(f2.x + 4, f2.y + 20, { steps: 3 });
    assert.equal(await guide.count(), 0);
    await page.mouse.up();
    await page.keyboard.up('Alt');
    d = await designJson(page);
    assert.notEqual(d.layout.db2[0], d.layout.db[0], 'moved freely');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the minimap shows when the design does not fit, and a click on it pans', async () => {
  const { context, page, problems } = await openDesign();
  try {
    const minimap = page.locator('[data-testid=minimap]');
    // The whole design is in view: no minimap until pinned.
    assert.equal(await minimap.count(), 0);
    await page.click('[data-testid=minimap-toggle]');
    await minimap.waitFor();
    await page.click('[data-testid=minimap-toggle]');
    await minimap.waitFor({ state: 'detached' });

    // Zoomed in, the design no longer fits: it shows.
    await page.locator('[data-testid=canvas]').hover();
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await minimap.waitFor();
    const viewRect = page.locator('[data-testid=minimap-viewport]');
    const before = await viewRect.boundingBox();
    const transform = () => page.locator('[data-testid=viewport]').getAttribute('transform');
    const t0 = await transform();
    await screenshot(page, 'canvas-minimap.png');

    // A click near its bottom-right corner brings that part of the design into view.
    const m = await minimap.boundingBox();
    await page.mouse.click(m.x + m.width - 20, m.y + m.height - 30);
    assert.notEqual(await transform(), t0);
    const afterClick = await viewRect.boundingBox();
    assert.ok(afterClick.x > before.x, 'the view rectangle moved right');
    // Dragging on it pans along.
    await drag(page, { x: m.x + m.width - 20, y: m.y + m.height - 30 }, { x: m.x + 30, y: m.y + 30 });
    const afterDrag = await viewRect.boundingBox();
    assert.ok(afterDrag.x < afterClick.x, 'the view rectangle followed the drag');
    // The picture is a few paths, not one element per node.
    assert.ok((await minimap.locator('*').count()) <= 4);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a container resized into its neighbour pushes it aside; undo puts it back', async () => {
  const { context, page, problems } = await openDesign();
  try {
    const before = await designJson(page);
    await page.locator('[data-testid=node][data-id=r1] > .node-body > rect.box-header').click();
    const handle = await center(page.locator('[data-testid=node][data-id=r1] > [data-testid=resize-handle]'));
    const r2 = (await center(page.locator('[data-testid=node][data-id=r2] > .node-body > rect.box'))).box;
    // Well into the second region.
    await drag(page, handle, { x: r2.x + 120, y: handle.y + 30 });
    await page.waitForTimeout(100);
    await screenshot(page, 'canvas-push.png');
    const d = await designJson(page);
    const [x1, , w1] = d.layout.r1;
    assert.ok(w1 > before.layout.r1[2] + 100, 'the region grew');
    assert.ok(!overlap(d.layout.r1, d.layout.r2), 'no overlap');
    assert.ok(d.layout.r2[0] >= x1 + w1, 'pushed right');
    // What the pushed region holds came along.
    assert.equal(d.layout.sn[0] - d.layout.r2[0], before.layout.sn[0] - before.layout.r2[0]);
    // One undo step restores both.
    await page.keyboard.press('Control+z');
    const back = await designJson(page);
    assert.deepEqual(back.layout, before.layout);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
