// Tidy, driven in headless Chromium: on every template the toolbar's Tidy lays the design out
// again in the export worker (the same layout as `infracanvas tidy`), no two sibling boxes
// overlap on the canvas afterwards, the nodes and links are untouched, and one Ctrl+Z brings
// back every box exactly. A design file without positions opens tidied. Before and after
// screenshots go to target/e2e/tidy-<slug>-{before,after}.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, pageServer, REPO_ROOT, screenshot } from './lib/browser.mjs';
import { designJson, loadTemplate, openEditor as openEditorAt } from './lib/editor.mjs';

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


/** Every drawn node's box on screen, with the id of the node drawn around it (or ''). */
function drawnBoxes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=node]')].map((g) => {
      const r = g.querySelector(':scope > .node-body > rect.box').getBoundingClientRect();
      const parent = g.parentElement.closest('[data-testid=node]');
      return {
        id: g.dataset.id,
        parent: parent ? parent.dataset.id : '',
        box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      };
    }),
  );
}

/** Pairs of sibling boxes whose insides overlap on screen (half a pixel of slack). */
function siblingOverlaps(boxes) {
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.parent !== b.parent) continue;
      const e = 0.5;
      if (a.box.left < b.box.right - e && b.box.left < a.box.right - e && a.box.top < b.box.bottom - e && b.box.top < a.box.bottom - e) {
        out.push(`${a.id} × ${b.id}`);
      }
    }
  }
  return out;
}

const signature = (boxes) => JSON.stringify(boxes.map((b) => [b.id, b.box]));

test('Tidy lays out every template without overlaps, as one undo step', async () => {
  const slugs = execFileSync(cli, ['template', 'list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  assert.equal(slugs.length, 5);
  const { context, page, problems } = await openEditorAt(browser, server.url);
  try {
    const tidy = page.locator('[data-testid=tidy]');
    assert.equal(await tidy.getAttribute('title'), 'Tidy: lay out by traffic');
    for (const slug of slugs) {
      await loadTemplate(page, slug);
      const before = await designJson(page);
      const shown = await drawnBoxes(page);
      assert.equal(shown.length, before.nodes.length, slug);
      await screenshot(page, `tidy-${slug}-before.png`);

      await tidy.click();
      await page.waitForFunction(
        (old) => {
          const now = [...document.querySelectorAll('[data-testid=node]')].map((g) => {
            const r = g.querySelector(':scope > .node-body > rect.box').getBoundingClientRect();
            return [g.dataset.id, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }];
          });
          return JSON.stringify(now) !== old;
        },
        signature(shown),
        { timeout: 20_000 },
      );
      await page.locator('[data-testid=tidy]:not([disabled])').waitFor();
      await page.click('[data-testid=zoom-fit]');
      await page.waitForTimeout(150);
      const boxes = await drawnBoxes(page);
      assert.deepEqual(siblingOverlaps(boxes), [], `${slug}: siblings overlap after Tidy`);
      await screenshot(page, `tidy-${slug}-after.png`);

      const tidied = await designJson(page);
      assert.deepEqual(tidied.nodes, before.nodes, `${slug}: nodes unchanged`);
      assert.deepEqual(tidied.edges, before.edges, `${slug}: links unchanged`);
      assert.notDeepEqual(tidied.layout, before.layout, `${slug}: the layout changed`);
      // The same layout as the CLI's `infracanvas tidy`.
      const fromCli = JSON.parse(execFileSync(cli, ['tidy', '-'], { input: JSON.stringify(before), encoding: 'utf8' }));
      assert.deepEqual(tidied.layout, fromCli.layout, `${slug}: same layout as the CLI`);

      // One undo step brings every box back exactly.
      await page.locator('[data-testid=canvas]').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      assert.deepEqual(await designJson(page), before, `${slug}: Ctrl+Z restores the design`);
    }
    assert.equal(await page.locator('[data-testid=error-banner]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a design file without positions opens tidied, and Undo gives the auto layout', async () => {
  const design = JSON.parse(execFileSync(cli, ['template', 'show', 'aws-multiregion-dr'], { encoding: 'utf8' }));
  delete design.layout;
  design.name = 'No positions';
  const expected = JSON.parse(execFileSync(cli, ['tidy', '-'], { input: JSON.stringify(design), encoding: 'utf8' }));
  const { context, page, problems } = await openEditorAt(browser, server.url);
  try {
    await loadTemplate(page, 'empty');
    await page.setInputFiles('[data-testid=file-input]', {
      name: 'no-positions.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(design)),
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=design-name]').value === 'No positions');
    // Tidied in the worker: one undo step after opening.
    await page.locator('[data-testid=undo]:not([disabled])').waitFor({ timeout: 20_000 });
    const opened = await designJson(page);
    assert.deepEqual(opened.layout, expected.layout);
    assert.deepEqual(siblingOverlaps(await drawnBoxes(page)), []);
    await screenshot(page, 'tidy-opened-without-positions.png');
    await page.click('[data-testid=undo]');
    const auto = await designJson(page);
    assert.equal(Object.keys(auto.layout).length, design.nodes.length);
    assert.notDeepEqual(auto.layout, expected.layout);
    assert.deepEqual(siblingOverlaps(await drawnBoxes(page)), []);
    assert.equal(await page.locator('[data-testid=error-banner]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the canvas's right-click menu tidies too", async () => {
  const { context, page, problems } = await openEditorAt(browser, server.url);
  try {
    await loadTemplate(page, 'microservices-platform');
    const before = await designJson(page);
    const expected = JSON.parse(execFileSync(cli, ['tidy', '-'], { input: JSON.stringify(before), encoding: 'utf8' }));
    // The background: a corner of the canvas, away from the design.
    await page.locator('[data-testid=canvas]').click({ button: 'right', position: { x: 8, y: 8 } });
    await page.click('[data-testid=menu-tidy]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=context-menu]'));
    let tidied = await designJson(page);
    for (let i = 0; i < 50 && JSON.stringify(tidied.layout) === JSON.stringify(before.layout); i++) {
      await page.waitForTimeout(100);
      tidied = await designJson(page);
    }
    assert.deepEqual(tidied.layout, expected.layout);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
