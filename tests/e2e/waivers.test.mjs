// Accepted findings in the page, driven in headless Chromium: the multicloud template's waiver
// shown as accepted, un-accepting and accepting again from the checks panel (a reason is
// required, an expiry is optional), an expired waiver counting again, undo, and the CLI
// reading the page's design file the same way.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { launchBrowser, pageServer, screenshot } from './lib/browser.mjs';
import { loadTemplate, openEditor as openEditorAt } from './lib/editor.mjs';

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
/** `infracanvas validate -` of `design`: its exit code and output. */
function validate(design, ...args) {
  if (!existsSync(CLI)) execFileSync('cargo', ['build', '--quiet', '--bin', 'infracanvas'], { stdio: 'inherit' });
  const r = spawnSync(CLI, ['validate', '-', ...args], { input: JSON.stringify(design), encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

async function designJson(page) {
  await page.click('[data-testid=toggle-export]');
  await page.click('[data-testid=export-tab-json]');
  const text = await page.locator('[data-testid=export-preview]').textContent();
  await page.click('[data-testid=toggle-export]');
  return JSON.parse(text);
}

const residency = (page, accepted) =>
  page.locator(`[data-testid=diagnostic][data-rule=IC-RES-001][data-accepted=${accepted}]`);
const count = async (page, group) => Number(await page.locator(`[data-testid=count-${group}]`).textContent());

test('findings are accepted and un-accepted from the checks panel, with a reason, and the CLI agrees', async () => {
  const { context, page, problems } = await openEditorAt(browser, server.url);
  try {
    await loadTemplate(page, 'multicloud-shop');
    // The template's own waiver: the residency error is listed as accepted, with its reason.
    await residency(page, true).waitFor();
    assert.equal(await count(page, 'error'), 0);
    assert.equal(await count(page, 'accepted'), 1);
    // An accepted finding marks nothing on the canvas.
    assert.equal(await page.locator('[data-testid=node][data-id=yc-mongo] [data-testid=node-marker].marker-error').count(), 0);
    assert.match(await residency(page, true).locator('[data-testid=waiver-reason-text]').textContent(), /Seed 000 keeps all reporting/);
    await screenshot(page, 'waiver-accepted.png');
    const template = await designJson(page);
    assert.equal(validate(template).code, 0);

    // Un-accept: an error again, on the canvas too; the design file loses the waiver.
    await residency(page, true).locator('[data-testid=unaccept-finding]').click();
    await residency(page, false).waitFor();
    assert.equal(await count(page, 'error'), 1);
    await page.locator('[data-testid=node][data-id=yc-mongo] [data-testid=node-marker].marker-error').waitFor();
    const open = await designJson(page);
    assert.equal(open.waivers, undefined);
    assert.equal(validate(open).code, 1);
    // Undo brings the waiver back; redo removes it again.
    await page.click('[data-testid=undo]');
    await residency(page, true).waitFor();
    await page.click('[data-testid=redo]');
    await residency(page, false).waitFor();

    // Accept again: no reason is refused, then a reason and a last day far ahead.
    const item = residency(page, false);
    const targets = (await item.getAttribute('data-targets')).split(' ');
    await item.locator('[data-testid=accept-finding]').click();
    await item.locator('[data-testid=waiver-save]').click();
    assert.match(await item.locator('[data-testid=waiver-error]').textContent(), /Say why/);
    assert.equal(await count(page, 'error'), 1, 'nothing accepted without a reason');
    await item.locator('[data-testid=waiver-reason]').fill('Отчёты "ЕС" остаются в РФ <до аудита>');
    await item.locator('[data-testid=waiver-expires]').fill('2999-12-31');
    await screenshot(page, 'waiver-form.png');
    await item.locator('[data-testid=waiver-save]').click();
    await residency(page, true).waitFor();
    assert.equal(await count(page, 'error'), 0);
    assert.equal(
      await residency(page, true).locator('[data-testid=waiver-reason-text]').textContent(),
      'Accepted until 2999-12-31: Отчёты "ЕС" остаются в РФ <до аудита>',
    );
    let design = await designJson(page);
    assert.deepEqual(design.waivers, [
      { rule: 'IC-RES-001', targets, reason: 'Отчёты "ЕС" остаются в РФ <до аудита>', expires: '2999-12-31' },
    ]);
    let cli = validate(design);
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.out, /accepted\[IC-RES-001\]/);
    assert.equal(validate(design, '--strict').code, 1);

    // A waiver that ran out counts again, in the page and in the CLI.
    await residency(page, true).locator('[data-testid=unaccept-finding]').click();
    await residency(page, false).locator('[data-testid=accept-finding]').click();
    await residency(page, false).locator('[data-testid=waiver-reason]').fill('temporary');
    await residency(page, false).locator('[data-testid=waiver-expires]').fill('2001-01-01');
    await residency(page, false).locator('[data-testid=waiver-save]').click();
    await residency(page, false).locator('[data-testid=waiver-reason-text]').waitFor();
    assert.match(await residency(page, false).locator('[data-testid=waiver-reason-text]').textContent(), /until 2001-01-01 \(expired\): temporary/);
    assert.equal(await count(page, 'error'), 1);
    assert.equal(await count(page, 'accepted'), 0);
    design = await designJson(page);
    assert.equal(design.waivers[0].expires, '2001-01-01');
    cli = validate(design);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /waiver expired on 2001-01-01: temporary/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
