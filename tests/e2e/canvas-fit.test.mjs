// The canvas as a person drawing by hand meets it (issue "Editor core", the habits found while
// drawing seed 000): names that fit their boxes, a design title that ends with an ellipsis,
// drops that land beside what is there and on screen, an export drawer whose header stays in
// sight, an Image tab that shows the picture; and a wheel zoom or pan that moves the drawn
// picture and redraws it where it ends. Screenshots go to target/e2e/fit-*.png.
//
// Run: `make build`, then `node --test --test-reporter=spec tests/e2e/canvas-fit.test.mjs`.

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

const LONG = 'Payment reconciliation batch processor for the European region';

/** A region with two VMs named alike, a long-named workload and a subnet, small enough to show at 100 %. */
const DESIGN = {
  version: 1,
  name: 'OpenVPN gateways for the offices in Berlin, Amsterdam, Warsaw and Helsinki (staging)',
  nodes: [
    { id: 'r1', kind: 'region', name: 'Region A' },
    { id: 'vm1', kind: 'vpn_gateway', name: 'OpenVPN VM (Yandex)', parent: 'r1' },
    { id: 'vm2', kind: 'vpn_gateway', name: 'OpenVPN VM (AWS)', parent: 'r1' },
    { id: 'vm3', kind: 'vpn_gateway', name: LONG, parent: 'r1' },
  ],
  edges: [],
  layout: {
    r1: [0, 0, 420, 280],
    vm1: [24, 48, 160, 56],
    vm2: [220, 48, 160, 56],
    vm3: [24, 180, 160, 56],
  },
};

async function openDesign(design = DESIGN) {
  const opened = await openEditorAt(browser, server.url);
  const { page } = opened;
  await page.setInputFiles('[data-testid=file-input]', {
    name: 'fit.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(design)),
  });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, design.nodes.length);
  await page.waitForTimeout(300);
  return opened;
}

/** What a leaf shows as its name: its lines, as drawn. */
async function shownName(page, id) {
  return page
    .locator(`[data-testid=node][data-id="${id}"] > .node-body text.leaf-name tspan`)
    .evaluateAll((ts) => ts.map((t) => t.textContent));
}

const boxOf = (page, id) => page.locator(`[data-testid=node][data-id="${id}"] > .node-body > rect.box`).boundingBox();
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('names fit their boxes at 100 %: alike names stay apart, only a really long one is cut, the tooltip has it whole; the title ends with an ellipsis', async () => {
  const { context, page, problems } = await openDesign();
  try {
    assert.equal((await page.locator('[data-testid=zoom-level]').textContent()).trim(), '100%');
    const yandex = await shownName(page, 'vm1');
    const aws = await shownName(page, 'vm2');
    assert.deepEqual(yandex, ['OpenVPN VM', '(Yandex)']);
    assert.deepEqual(aws, ['OpenVPN VM', '(AWS)']);
    assert.notEqual(yandex.join(' '), aws.join(' '));
    const long = await shownName(page, 'vm3');
    assert.equal(long.length, 2);
    assert.ok(long[1].endsWith('…'), `${long}`);
    assert.ok(LONG.startsWith(long.join(' ').replace('…', '').trim()), `${long}`);
    // Every drawn line stays inside its box.
    for (const id of ['vm1', 'vm2', 'vm3']) {
      const box = await boxOf(page, id);
      const lines = await page.locator(`[data-testid=node][data-id="${id}"] > .node-body text`).evaluateAll((ts) =>
        ts.map((t) => {
          const r = t.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
      for (const l of lines) {
        assert.ok(l.right <= box.x + box.width + 0.5 && l.left >= box.x, `${id}: a line runs out of its box`);
        assert.ok(l.top >= box.y - 0.5 && l.bottom <= box.y + box.height + 0.5, `${id}: a line runs out of its box`);
      }
    }
    // The whole name is the box's tooltip.
    assert.equal(await page.locator('[data-testid=node][data-id="vm3"] > .node-body > title').textContent(), LONG);

    // The design's name: cut with an ellipsis in the toolbar, whole in its tooltip.
    const title = page.locator('[data-testid=design-name]');
    const looks = await title.evaluate((el) => ({
      overflow: getComputedStyle(el).textOverflow,
      cut: el.scrollWidth > el.clientWidth,
      tip: el.title,
    }));
    assert.equal(looks.overflow, 'ellipsis');
    assert.ok(looks.cut, 'the name is longer than the field');
    assert.ok(looks.tip.startsWith(DESIGN.name), looks.tip);
    await screenshot(page, 'fit-names.png');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a drop onto a child lands beside it in the container; a second drop at the same spot does not hide the first; a container dropped at the edge lands on screen', async () => {
  const { context, page, problems } = await openDesign();
  try {
    const item = (kind) => page.locator(`[data-testid=palette-item][data-kind=${kind}]`);
    const count = () => page.locator('[data-testid=node]').count();
    // Onto the Yandex VM, inside the region.
    const vm1 = await boxOf(page, 'vm1');
    const spot = { x: vm1.x + vm1.width / 2 + 20, y: vm1.y + vm1.height / 2 };
    let n = await count();
    await drag(page, await center(item('vpn_gateway')), spot);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, n + 1);
    const first = await page.locator('[data-testid=node].selected').getAttribute('data-id');
    assert.equal(await node(page, first).getAttribute('data-parent'), 'r1', 'dropped into the region');
    const a = await boxOf(page, first);
    assert.ok(!overlap(a, await boxOf(page, 'vm1')), 'not on the VM it was dropped on');
    assert.deepEqual(await boxOf(page, 'vm1'), vm1, 'the VM stays where it was');

    // Again at the same spot: a third VM, on neither.
    n = await count();
    await drag(page, await center(item('vpn_gateway')), spot);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, n + 1);
    const second = await page.locator('[data-testid=node].selected').getAttribute('data-id');
    assert.notEqual(second, first);
    const b = await boxOf(page, second);
    assert.ok(!overlap(b, await boxOf(page, first)) && !overlap(b, vm1), 'not stacked on the first drop');
    const region = await boxOf(page, 'r1');
    assert.ok(b.x + b.width <= region.x + region.width && b.y + b.height <= region.y + region.height, 'the region grew to hold it');

    // A region dropped 8 px from the canvas's right edge lands whole on screen.
    const canvas = await page.locator('[data-testid=canvas]').boundingBox();
    n = await count();
    await drag(page, await center(item('provider')), { x: canvas.x + canvas.width - 8, y: canvas.y + canvas.height - 8 });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, n + 1);
    const provider = await page.locator('[data-testid=node].selected').getAttribute('data-id');
    const p = await boxOf(page, provider);
    assert.ok(p.x >= canvas.x && p.y >= canvas.y, `${JSON.stringify(p)} in ${JSON.stringify(canvas)}`);
    assert.ok(p.x + p.width <= canvas.x + canvas.width && p.y + p.height <= canvas.y + canvas.height, `${JSON.stringify(p)} in ${JSON.stringify(canvas)}`);
    await screenshot(page, 'fit-drops.png');
    const design = await designJson(page);
    assert.equal(design.nodes.length, DESIGN.nodes.length + 3);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the export drawer keeps its header in sight, shows the picture on the Image tab and closes with Escape', async () => {
  const { context, page, problems } = await openDesign();
  try {
    await page.click('[data-testid=toggle-export]');
    await page.click('[data-testid=export-tab-image]');
    const picture = page.locator('[data-testid=export-picture]');
    await picture.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=export-picture]');
      return img && img.complete && img.naturalWidth > 0;
    });
    // The picture, not its source: the SVG text is not on screen.
    assert.equal(await page.locator('[data-testid=export-preview]').isVisible(), false);
    const pic = await picture.boundingBox();
    assert.ok(pic.width > 100 && pic.height > 50, JSON.stringify(pic));

    // Every header button is on screen, inside the drawer, and the topmost thing at its centre.
    const sidebar = await page.locator('aside.sidebar').boundingBox();
    for (const id of ['export-zip', 'export-close', 'export-png', 'export-copy', 'export-download']) {
      const b = await page.locator(`[data-testid=${id}]`).boundingBox();
      assert.ok(b, `${id} shows`);
      assert.ok(b.x + b.width <= sidebar.x, `${id} does not run under the inspector`);
      const hit = await page.evaluate(([x, y, id]) => document.elementFromPoint(x, y)?.closest(`[data-testid=${id}]`) !== null, [b.x + b.width / 2, b.y + b.height / 2, id]);
      assert.ok(hit, `${id} is not covered`);
    }
    await screenshot(page, 'fit-export-image.png');

    // Escape closes it (the focus on the canvas, as after a click on the background).
    await page.locator('[data-testid=canvas]').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=export-panel].open').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid=export-panel]').isVisible(), false);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a wheel zoom and a pan move the drawn picture, then redraw it where it ends: nothing jumps', async () => {
  const { context, page, problems } = await openDesign();
  try {
    const viewport = page.locator('[data-testid=viewport]');
    const layer = page.locator('[data-testid=canvas-layer]');
    const canvas = await page.locator('[data-testid=canvas]').boundingBox();
    const before = await boxOf(page, 'vm2');
    const drawnAt = await viewport.getAttribute('transform');

    // Two wheel steps: the picture is scaled by a transform; the drawing waits.
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.mouse.wheel(0, -100);
    await page.mouse.wheel(0, -100);
    const during = await boxOf(page, 'vm2');
    assert.ok(during.width > before.width * 1.1, 'zoomed in at once');
    // Once the wheel is still, the picture is redrawn at the new zoom, where it showed.
    await page.waitForFunction((t) => document.querySelector('[data-testid=viewport]').getAttribute('transform') !== t, drawnAt);
    await page.waitForFunction(() => !document.querySelector('[data-testid=canvas-layer]').getAttribute('style'));
    const settled = await boxOf(page, 'vm2');
    for (const k of ['x', 'y', 'width', 'height']) {
      assert.ok(Math.abs(settled[k] - during[k]) < 1, `${k}: ${during[k]} while zooming, ${settled[k]} redrawn`);
    }

    // A pan: the layer moves with the pointer, and is redrawn in place on release.
    // From the empty background (no node, no edge under the pointer).
    const from = await page.evaluate((c) => {
      for (let y = c.y + c.height - 20; y > c.y; y -= 10) {
        for (let x = c.x + c.width - 20; x > c.x; x -= 10) {
          const el = document.elementFromPoint(x, y);
          if (el && el.closest('[data-testid=canvas]') && !el.closest('[data-testid=node], [data-testid=edge]')) return { x, y };
        }
      }
      return null;
    }, canvas);
    assert.ok(from, 'an empty spot to pan from');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x - 60, from.y - 40, { steps: 4 });
    const panning = await boxOf(page, 'vm2');
    assert.ok(Math.abs(panning.x - (settled.x - 60)) < 1 && Math.abs(panning.y - (settled.y - 40)) < 1, `follows the pointer: ${JSON.stringify(settled)} then ${JSON.stringify(panning)}`);
    assert.match((await layer.getAttribute('style')) ?? '', /translate/, 'moved by a transform while panning');
    const t = await viewport.getAttribute('transform');
    await page.mouse.up();
    await page.waitForFunction((t) => document.querySelector('[data-testid=viewport]').getAttribute('transform') !== t, t);
    const released = await boxOf(page, 'vm2');
    assert.ok(Math.abs(released.x - panning.x) < 1 && Math.abs(released.y - panning.y) < 1, 'redrawn where it was');
    assert.equal((await layer.getAttribute('style')) ?? '', '');

    // A click at once after a wheel step (the picture not yet redrawn) still selects the box.
    const vm1 = await boxOf(page, 'vm1');
    await page.mouse.move(vm1.x + vm1.width / 2, vm1.y + vm1.height / 2);
    await page.mouse.wheel(0, 40);
    await page.mouse.down();
    await page.mouse.up();
    await page.locator('[data-testid=node][data-id="vm1"].selected').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
