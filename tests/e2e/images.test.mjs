// Pictures of the design, driven in headless Chromium: the Image tab shows the same SVG as
// `infracanvas export svg` (light and dark, whole and selection), Download PNG rasterises it
// and the worker embeds the design, and opening either picture in the page (as Excalidraw
// does) restores exactly the design it was made from. The CLI reads the design back from
// both files too. Screenshots and the pictures go to target/e2e/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launchBrowser, pageServer, screenshot, SHOTS_DIR } from './lib/browser.mjs';
import { loadTemplate, node, openEditor as openEditorAt } from './lib/editor.mjs';

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

const CLI = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'target', 'debug', 'infracanvas');
const cli = (args, input) => execFileSync(CLI, args, { encoding: 'utf8', input, maxBuffer: 1 << 26 });

async function designJson(page) {
  await page.click('[data-testid=export-tab-json]');
  return JSON.parse(await page.locator('[data-testid=export-preview]').textContent());
}

async function imagePreview(page) {
  await page.click('[data-testid=export-tab-image]');
  const preview = page.locator('[data-testid=export-preview][data-state=ready]');
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid=export-preview]');
    return p.dataset.state === 'ready' && p.textContent.startsWith('<svg');
  });
  return preview.textContent();
}

test('the canvas exports as SVG and PNG carrying the design, and each opens back as the same design', async () => {
  const { context, page, problems } = await openEditorAt(browser, server.url);
  try {
    await loadTemplate(page, 'aws-multiregion-dr');
    await page.click('[data-testid=toggle-export]');
    const design = await designJson(page);
    const text = JSON.stringify(design);

    // The same bytes as the CLI, light and dark.
    const svg = await imagePreview(page);
    assert.equal(svg, cli(['export', 'svg', '-'], text));
    // The open Image tab follows the theme.
    await page.click('[data-testid=toggle-theme]');
    await page.waitForFunction((light) => {
      const p = document.querySelector('[data-testid=export-preview]');
      return p.dataset.state === 'ready' && p.textContent.startsWith('<svg') && p.textContent !== light;
    }, svg);
    const dark = await imagePreview(page);
    assert.equal(dark, cli(['export', 'svg', '-', '--theme', 'dark'], text));
    assert.notEqual(dark, svg);
    await page.click('[data-testid=toggle-theme]');

    // Downloads: the SVG file and the PNG.
    await page.click('[data-testid=export-tab-json]');
    await imagePreview(page);
    let download = page.waitForEvent('download');
    await page.click('[data-testid=export-download]');
    const svgFile = resolve(SHOTS_DIR, 'export.svg');
    await (await download).saveAs(svgFile);
    assert.equal(readFileSync(svgFile, 'utf8'), svg);
    download = page.waitForEvent('download');
    await page.click('[data-testid=export-png]');
    const png = await download;
    assert.match(png.suggestedFilename(), /\.png$/);
    const pngFile = resolve(SHOTS_DIR, 'export.png');
    await png.saveAs(pngFile);
    const bytes = readFileSync(pngFile);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    assert.ok(bytes.includes(Buffer.from('iTXtinfracanvas-design')), 'the design chunk');
    // The command line reads the design back from both pictures.
    for (const f of [svgFile, pngFile]) {
      assert.deepEqual(JSON.parse(cli(['import', f])), design, f);
    }
    copyFileSync(pngFile, resolve(SHOTS_DIR, 'export-aws-multiregion-dr.png'));

    // Opening each picture in the page restores the design as a new saved design.
    await page.click('[data-testid=toggle-export]');
    for (const [file, type] of [
      [svgFile, 'image/svg+xml'],
      [pngFile, 'image/png'],
    ]) {
      await loadTemplate(page, 'empty');
      await page.setInputFiles('[data-testid=file-input]', { name: file.split('/').pop(), mimeType: type, buffer: readFileSync(file) });
      await node(page, design.nodes[0].id).waitFor();
      const toast = await page.locator('[data-testid=toast]').textContent();
      assert.match(toast, /Opened/);
      await page.click('[data-testid=toggle-export]');
      assert.deepEqual(await designJson(page), design, file);
      await page.click('[data-testid=toggle-export]');
    }

    // A picture without a design, and a damaged PNG, are refused and change nothing.
    await page.click('[data-testid=toggle-export]');
    const before = await designJson(page);
    assert.deepEqual(before, design);
    await page.click('[data-testid=toggle-export]');
    for (const [name, buffer, message] of [
      ['plain.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /carries no Infracanvas design/],
      ['broken.png', Buffer.concat([bytes.subarray(0, 40), Buffer.from('garbage')]), /the image is damaged/],
    ]) {
      await page.setInputFiles('[data-testid=file-input]', { name, mimeType: name.endsWith('.png') ? 'image/png' : 'image/svg+xml', buffer });
      const banner = page.locator('[data-testid=error-banner]');
      await banner.waitFor();
      assert.match(await banner.textContent(), message, name);
      assert.match(await banner.textContent(), /Nothing was changed/);
      await page.click('[data-testid=error-banner-dismiss]');
    }
    await page.click('[data-testid=toggle-export]');
    assert.deepEqual(await designJson(page), before);
    await page.click('[data-testid=toggle-export]');

    // Only the selection: the same bytes as the CLI's --select.
    const cluster = design.nodes.find((n) => n.kind === 'kubernetes_cluster').id;
    // A container is grabbed by its title bar.
    await page.click(`[data-testid=node][data-id="${cluster}"] > .node-body > rect.box-header`, { position: { x: 60, y: 4 } });
    await page.locator(`[data-testid=node][data-id="${cluster}"].selected`).waitFor();
    await page.click('[data-testid=toggle-export]');
    const whole = await imagePreview(page);
    await page.check('[data-testid=export-selection-only]');
    await page.waitForFunction((whole) => {
      const p = document.querySelector('[data-testid=export-preview]');
      return p.dataset.state === 'ready' && p.textContent.startsWith('<svg') && p.textContent !== whole;
    }, whole);
    const part = await page.locator('[data-testid=export-preview]').textContent();
    assert.equal(part, cli(['export', 'svg', '-', '--select', cluster], JSON.stringify(design)));
    await screenshot(page, 'export-image-tab.png');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
