// Helpers shared by the editor's browser tests: open the page, load templates, drag like a hand.

import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

export async function openEditor(browser, url) {
  const opened = await openPage(browser, url);
  await opened.page.goto(url, { waitUntil: 'load' });
  await opened.page.locator('[data-testid=canvas]').waitFor({ state: 'visible', timeout: 20_000 });
  return opened;
}

export async function loadTemplate(page, slug) {
  const button = page.locator(`[data-testid=template-${slug}]`);
  if (!(await button.isVisible())) {
    await page.click('[data-testid=open-templates]');
  }
  await button.click();
  await page.locator('[data-testid=templates-menu]').waitFor({ state: 'detached' });
  // The view fits the design on the next animation frame.
  await page.waitForTimeout(150);
}

export const node = (page, id) => page.locator(`[data-testid=node][data-id="${id}"]`);
export const body = (page, id) => page.locator(`[data-testid=node][data-id="${id}"] > .node-body > rect.box`);

export async function center(locator) {
  const b = await locator.boundingBox();
  assert.ok(b, 'element has a box');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2, box: b };
}

/** Drags with the mouse in small steps, as a hand would. */
export async function drag(page, from, to, { shift = false } = {}) {
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

/** A screen point inside container `id` but outside all of its children. */
export async function freeSpotIn(page, id) {
  return page.evaluate((id) => {
    const g = document.querySelector(`[data-testid=node][data-id="${id}"]`);
    const outer = g.querySelector(':scope > .node-body > rect.box').getBoundingClientRect();
    const kids = [...g.querySelectorAll(':scope > .children > [data-testid=node] > .node-body > rect.box')].map((r) =>
      r.getBoundingClientRect(),
    );
    // Room for a new 160×56 box around the point, in screen units.
    const canvas = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
    const m = 6;
    for (let y = outer.top + 40; y < outer.bottom - m; y += 4) {
      for (let x = outer.left + m; x < outer.right - m; x += 4) {
        if (x < canvas.left || x > canvas.right || y < canvas.top || y > canvas.bottom) continue;
        const clear = kids.every((k) => x < k.left - m || x > k.right + m || y < k.top - m || y > k.bottom + m);
        if (clear) return { x, y };
      }
    }
    return null;
  }, id);
}


/** The design file exactly as the page holds it (the export drawer's JSON tab). */
export async function designJson(page) {
  const drawer = page.locator('[data-testid=toggle-export]');
  const wasOpen = (await drawer.getAttribute('aria-pressed')) === 'true';
  if (!wasOpen) await drawer.click();
  await page.click('[data-testid=export-tab-json]');
  const text = await page.locator('[data-testid=export-preview]').textContent();
  if (!wasOpen) await drawer.click();
  return JSON.parse(text);
}
