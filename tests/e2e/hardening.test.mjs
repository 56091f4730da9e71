// Page hardening in Chromium: the Content-Security-Policy is in force (no inline script runs,
// nothing loads from elsewhere, no violation while the editor is used), and hostile names in a
// design are drawn as text: no markup, no script, no dialog.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, pageServer, REPO_ROOT, screenshot } from './lib/browser.mjs';
import { loadTemplate, openEditor } from './lib/editor.mjs';

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

const HOSTILE = [
  '</script><script>window.__pwned = "script"</script>',
  '<svg onload="window.__pwned = \'svg\'">',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '{{constructor.constructor("window.__pwned = 1")()}}',
  '${window.__pwned = "template"}',
  'a "quoted" \\ back\\slash\nnew line',
  '\u202Eevil\u202C right-to-left',
  'Сервис «Заказы»: - & * ! | >',
];

test('the Content-Security-Policy blocks inline script and the editor runs under it', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  const violations = [];
  await page.exposeFunction('__violation', (v) => violations.push(v));
  await page.evaluate(() =>
    document.addEventListener('securitypolicyviolation', (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  try {
    const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script in the page');

    // Exercise the page: a template, a palette drag ghost, the export worker, a download.
    await loadTemplate(page, 'site-builder');
    await page.click('[data-testid=toggle-export]');
    await page.locator('[data-testid=export-preview][data-state=ready]').waitFor();
    await page.locator('[data-testid=export-file]').first().waitFor();
    const download = page.waitForEvent('download');
    await page.click('[data-testid=export-zip]');
    await download;
    assert.deepEqual(violations, [], 'using the editor violates nothing');

    // An injected inline script is refused.
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = "inline"';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return window.__pwned ?? null;
    });
    assert.equal(ran, null);
    assert.ok(violations.some((v) => v.startsWith('script-src')), `violation reported: ${violations}`);
    // The refused script is the only console error.
    assert.deepEqual(problems.filter((p) => !/Content Security Policy/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('hostile names are drawn as text on the canvas, in the inspector and in messages', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    const design = JSON.parse(execFileSync(cli, ['template', 'show', 'microservices-platform'], { encoding: 'utf8' }));
    design.name = HOSTILE[0];
    design.description = HOSTILE.join(' ');
    design.nodes.forEach((n, i) => {
      n.name = HOSTILE[i % HOSTILE.length];
    });
    await page.setInputFiles('[data-testid=file-input]', {
      name: '<b>evil</b>.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(design)),
    });
    await page
      .waitForFunction((n) => document.querySelector('[data-testid=design-name]').value === n, HOSTILE[0], { timeout: 10_000 })
      .catch(async (e) => {
        const banner = await page.locator('[data-testid=error-banner]').allTextContents();
        throw new Error(`the hostile design did not open (${banner}): ${e.message}`);
      });
    await page.waitForTimeout(300);
    await screenshot(page, 'hostile-names.png');

    assert.equal(await page.evaluate(() => window.__pwned ?? null), null, 'no script ran');
    assert.deepEqual(dialogs, []);
    // Names arrive as attributes and text, never as elements.
    for (const [i, n] of design.nodes.entries()) {
      if (i > 12) break;
      const el = page.locator(`[data-testid=node][data-id="${n.id}"]`);
      assert.equal(await el.getAttribute('data-name'), n.name);
    }
    assert.equal(await page.locator('[data-testid=canvas] img, [data-testid=canvas] script, [data-testid=canvas] foreignObject').count(), 0);
    assert.equal(await page.locator('[data-testid=canvas] svg svg').count(), 0, 'no nested <svg> from a name');
    // The inspector shows the name as typed.
    const first = design.nodes.find((n) => n.kind === 'workload');
    await page.click(`[data-testid=node][data-id="${first.id}"] > .node-body`);
    assert.equal(await page.locator('[data-testid=inspector] [data-testid=field-name]').inputValue(), first.name);
    // A name past the loader's 10,000-character limit cannot be typed: the design stays one
    // that opens again.
    const nameField = page.locator('[data-testid=inspector] [data-testid=field-name]');
    await nameField.fill('');
    await nameField.focus();
    // Typed (or pasted) text, which maxlength governs; Playwright's fill() would bypass it.
    await page.keyboard.insertText('я'.repeat(10_050));
    assert.equal((await page.locator('[data-testid=inspector] [data-testid=field-name]').inputValue()).length, 10_000);
    assert.equal(await page.locator(`[data-testid=node][data-id="${first.id}"]`).getAttribute('data-name'), 'я'.repeat(10_000));
    // Diagnostics quote names as text.
    const diag = page.locator('[data-testid=diagnostic]');
    if ((await diag.count()) > 0) {
      assert.equal(await page.locator('[data-testid=diagnostic] img, [data-testid=diagnostic] svg svg').count(), 0);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
