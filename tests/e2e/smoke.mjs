// Smoke test of the built page in headless Chromium.
// Run: `make e2e` (builds dist/ and serves it), or `node --test tests/e2e/*.mjs`
// after `trunk build --release` (serves dist/ itself).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, pageServer, screenshot } from './lib/browser.mjs';

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

test('home page mounts the app with a canvas and no errors', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  try {
    const response = await page.goto(server.url, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, 'index.html is served');

    const canvas = page.locator('[data-testid=canvas]');
    await canvas.waitFor({ state: 'visible', timeout: 20_000 });
    // The canvas holds the grid and the drawn layer, each an <svg>.
    assert.deepEqual(await canvas.evaluate((el) => [...el.children].map((c) => `${c.tagName.toLowerCase()}.${c.getAttribute('class')}`).slice(0, 2)), ['svg.canvas-grid', 'svg.canvas-layer']);

    assert.equal(await page.title(), 'Infracanvas');
    assert.equal((await page.locator('[data-testid=product-name]').textContent())?.trim(), 'Infracanvas');
    assert.ok(await page.locator('[role=toolbar]').isVisible(), 'toolbar is shown');

    const shot = await screenshot(page, 'home.png');
    console.log(`# screenshot: ${shot}`);

    assert.deepEqual(problems, [], 'no console errors, page errors or external requests');
  } finally {
    await context.close();
  }
});

test('the grid toggle is reactive', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    // The start screen offers templates first; start from an empty design.
    await page.click('[data-testid=template-empty]');
    const toggle = page.locator('[data-testid=toggle-grid]');
    const grid = page.locator('[data-testid=grid]');
    await toggle.waitFor({ state: 'visible', timeout: 20_000 });

    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.doesNotMatch((await grid.getAttribute('class')) ?? '', /\bhidden\b/);

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.match((await grid.getAttribute('class')) ?? '', /\bhidden\b/);

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
