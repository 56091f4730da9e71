// The history and the command table, as a user meets them: a name typed letter by letter is
// one undo step; Ctrl+Z works while an inspector checkbox has the focus and Escape lets the
// checkbox go; and every shortcut the `?` help lists does what the help says (the rows are read
// from the page, so a command added to the table without a check here fails this test).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, pageServer, screenshot } from './lib/browser.mjs';
import { body, designJson, loadTemplate, openEditor } from './lib/editor.mjs';

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

const field = (page, testid) => page.locator(`[data-testid=inspector] [data-testid="${testid}"]`);
const nodeName = (page, id) => page.locator(`[data-testid=node][data-id="${id}"]`).getAttribute('data-name');
const nodeCount = (page) => page.locator('[data-testid=node]').count();
const selectedIds = (page) =>
  page.locator('[data-testid=node].selected').evaluateAll((els) => els.map((e) => e.dataset.id));
const focusedTestid = (page) => page.evaluate(() => document.activeElement?.dataset?.testid ?? null);

/** Selects node `id` with a click on its box. */
async function select(page, id) {
  await body(page, id).click();
  await page.waitForFunction((id) => document.querySelector(`[data-testid=node][data-id="${id}"]`)?.classList.contains('selected'), id);
}

/** A click on the canvas where there is no node: the focus leaves any field. */
async function clickEmptyCanvas(page) {
  const box = await page.locator('[data-testid=canvas]').boundingBox();
  // The top-left corner of the canvas, clear of the fitted design and the minimap.
  await page.mouse.click(box.x + 8, box.y + 8);
}

test('a name typed letter by letter is one undo step', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  try {
    await loadTemplate(page, 'site-builder');
    await select(page, 'prod-frontend');
    const old = await nodeName(page, 'prod-frontend');
    const name = field(page, 'field-name');
    await name.click();
    await page.keyboard.press('Control+A');
    await name.pressSequentially('web-frontend', { delay: 15 });
    // Each letter applies at once: the canvas follows the typing.
    assert.equal(await nodeName(page, 'prod-frontend'), 'web-frontend');
    // Leave the field, then one Undo.
    await page.keyboard.press('Tab');
    await clickEmptyCanvas(page);
    await page.keyboard.press('Control+Z');
    assert.equal(await nodeName(page, 'prod-frontend'), old, 'one Undo restores the old name');
    // One Redo gives the whole name back, and the step before the typing is the template.
    await page.keyboard.press('Control+Shift+Z');
    assert.equal(await nodeName(page, 'prod-frontend'), 'web-frontend');

    // Typing again after leaving the field is a step of its own.
    await select(page, 'prod-frontend');
    await name.click();
    await name.press('End');
    await name.pressSequentially('-2', { delay: 15 });
    await page.click('[data-testid=undo]');
    assert.equal(await nodeName(page, 'prod-frontend'), 'web-frontend');
    await page.click('[data-testid=undo]');
    assert.equal(await nodeName(page, 'prod-frontend'), old);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Ctrl+Z works while an inspector checkbox has the focus; Escape lets it go', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  try {
    await loadTemplate(page, 'site-builder');
    await select(page, 'postgres');
    const box = field(page, 'field-backups');
    const was = await box.isChecked();
    await box.click();
    assert.equal(await box.isChecked(), !was);
    assert.equal(await focusedTestid(page), 'field-backups');
    const postgres = (d) => d.nodes.find((n) => n.id === 'postgres');
    await page.keyboard.press('Control+Z');
    assert.equal(await box.isChecked(), was, 'Ctrl+Z undid the click on the focused checkbox');
    await page.keyboard.press('Control+Shift+Z');
    assert.equal(await box.isChecked(), !was);
    // Escape: first the checkbox lets the focus go (the selection stays), then the selection
    // is cleared.
    await box.focus();
    await page.keyboard.press('Escape');
    assert.notEqual(await focusedTestid(page), 'field-backups');
    assert.deepEqual(await selectedIds(page), ['postgres']);
    await page.keyboard.press('Escape');
    assert.deepEqual(await selectedIds(page), []);
    assert.equal(Boolean(postgres(await designJson(page)).props?.backups), !was);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** What each command's shortcut must do, by the command's id. Each starts from the
 * site-builder template with `prod-frontend` selected and the focus on the page. */
const checks = {
  async undo(page) {
    await page.keyboard.press('Delete');
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 0);
    await page.keyboard.press('Control+Z');
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 1);
  },
  async redo(page) {
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Shift+Z');
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 0);
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Y');
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 0);
  },
  async copy(page) {
    await page.keyboard.press('Control+C');
    await page.locator('[data-testid=toast]', { hasText: 'Copied 1 component' }).waitFor();
  },
  async cut(page) {
    const n = await nodeCount(page);
    await page.keyboard.press('Control+X');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n - 1, n);
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 0);
  },
  async paste(page) {
    const n = await nodeCount(page);
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n + 1, n);
  },
  async duplicate(page) {
    const n = await nodeCount(page);
    await page.keyboard.press('Control+D');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n + 1, n);
    assert.notDeepEqual(await selectedIds(page), ['prod-frontend'], 'the copy is selected');
  },
  async rename(page) {
    await page.keyboard.press('F2');
    await page.locator('[data-testid=rename-input]').waitFor();
    // The box takes the focus on the frame after it is drawn.
    await page.waitForFunction(() => document.activeElement?.dataset?.testid === 'rename-input');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=rename-input]').waitFor({ state: 'detached' });
  },
  async menu(page) {
    await page.keyboard.press('Shift+F10');
    await page.locator('[data-testid=context-menu]').waitFor();
    assert.equal(await page.locator('[data-testid=context-menu]').getAttribute('aria-label'), 'Component');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=context-menu]').waitFor({ state: 'detached' });
  },
  async delete(page) {
    await page.keyboard.press('Delete');
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 0);
    await page.keyboard.press('Control+Z');
    await select(page, 'prod-frontend');
    await page.keyboard.press('Backspace');
    assert.equal(await page.locator('[data-testid=node][data-id=prod-frontend]').count(), 0);
  },
  async 'select-all'(page) {
    await page.keyboard.press('Control+A');
    assert.equal((await selectedIds(page)).length, await nodeCount(page));
  },
  async escape(page) {
    await page.keyboard.press('Escape');
    assert.deepEqual(await selectedIds(page), []);
  },
  'move-left': (page) => moves(page, 'ArrowLeft', [-10, 0], [-1, 0]),
  'move-right': (page) => moves(page, 'ArrowRight', [10, 0], [1, 0]),
  'move-up': (page) => moves(page, 'ArrowUp', [0, -10], [0, -1]),
  'move-down': (page) => moves(page, 'ArrowDown', [0, 10], [0, 1]),
  async 'save-file'(page) {
    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+S');
    assert.match((await download).suggestedFilename(), /\.json$/);
  },
  async 'open-file'(page) {
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+O');
    await chooser;
  },
  async 'zoom-in'(page) {
    const before = await zoom(page);
    await page.keyboard.press('+');
    assert.ok((await zoom(page)) > before);
    const mid = await zoom(page);
    await page.keyboard.press('=');
    assert.ok((await zoom(page)) > mid);
  },
  async 'zoom-out'(page) {
    const before = await zoom(page);
    await page.keyboard.press('-');
    assert.ok((await zoom(page)) < before);
  },
  async help(page) {
    await page.keyboard.press('?');
    await page.locator('[data-testid=help-overlay]').waitFor();
    await page.keyboard.press('?');
    await page.locator('[data-testid=help-overlay]').waitFor({ state: 'detached' });
  },
};

const zoom = async (page) => parseFloat(await page.locator('[data-testid=zoom-level]').textContent());

async function moves(page, key, [dx, dy], [fx, fy]) {
  const at = async () => (await designJson(page)).layout['prod-frontend'];
  const start = await at();
  await page.keyboard.press(key);
  const once = await at();
  assert.deepEqual([once[0] - start[0], once[1] - start[1]], [dx, dy], key);
  await page.keyboard.press(`Shift+${key}`);
  const fine = await at();
  assert.deepEqual([fine[0] - once[0], fine[1] - once[1]], [fx, fy], `Shift+${key}`);
}

test('every shortcut listed in the ? help does what it says', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  try {
    await loadTemplate(page, 'site-builder');
    await clickEmptyCanvas(page);
    await page.keyboard.press('?');
    const help = page.locator('[data-testid=help-overlay]');
    await help.waitFor();
    await screenshot(page, 'help-overlay.png');
    const listed = await help.locator('tr[data-command]').evaluateAll((rows) => rows.map((r) => r.dataset.command));
    assert.ok(listed.length >= 15, `the help lists the commands: ${listed}`);
    const unchecked = listed.filter((c) => !(c in checks));
    assert.deepEqual(unchecked, [], 'every listed shortcut has a check here');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    for (const command of listed) {
      await loadTemplate(page, 'site-builder');
      await select(page, 'prod-frontend');
      await checks[command](page);
      // Close whatever the check left open.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
