// The export drawer's files come from the export worker, a second wasm loaded only when the
// drawer first opens; they must be byte-identical to what the CLI writes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, openPage, pageServer, REPO_ROOT } from './lib/browser.mjs';
import { loadTemplate } from './lib/editor.mjs';

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

test('exports load on demand in a worker and match the CLI byte for byte', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const worker = () => requested.filter((p) => p.includes('infracanvas-export'));
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.locator('[data-testid=canvas]').waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(worker(), [], 'the page starts without the worker');
    // The worker builds the templates (and packs links): opening one loads it, once.
    await loadTemplate(page, 'site-builder');
    assert.ok(worker().some((p) => p.endsWith('infracanvas-export_bg.wasm')), 'a template loaded the worker');

    const dir = mkdtempSync(join(tmpdir(), 'ic-export-'));
    const design = join(dir, 'site-builder.json');
    execFileSync('sh', ['-c', `"${cli}" template show site-builder > "${design}"`]);
    execFileSync(cli, ['export', 'k8s', design, '-o', join(dir, 'k8s')]);

    await page.click('[data-testid=toggle-export]');
    await page.locator('[data-testid=export-preview][data-state=ready]').waitFor();
    assert.ok(requested.some((p) => p.endsWith('infracanvas-export_bg.wasm')), 'the worker wasm was fetched');
    const files = page.locator('[data-testid=export-file]');
    await files.first().waitFor();
    const paths = await files.evaluateAll((els) => els.map((e) => e.dataset.path));
    assert.ok(paths.length > 10, `${paths.length} files`);
    for (const path of [paths[0], paths[Math.floor(paths.length / 2)], paths[paths.length - 1]]) {
      await page.click(`[data-testid=export-file][data-path="${path}"]`);
      await page.waitForFunction((p) => document.querySelector('.preview-path')?.textContent === p, path);
      const shown = await page.locator('[data-testid=export-preview]').textContent();
      assert.equal(shown, readFileSync(join(dir, 'k8s', path), 'utf8'), path);
    }

    // Terraform: one module per cloud, the same bytes as the CLI.
    execFileSync(cli, ['export', 'terraform', design, '-o', join(dir, 'terraform')]);
    await page.click('[data-testid=export-tab-terraform]');
    await page.locator('[data-testid=export-file][data-path="aws/network.tf"]').waitFor();
    for (const path of ['aws/versions.tf', 'aws/network.tf', 'README.md']) {
      await page.click(`[data-testid=export-file][data-path="${path}"]`);
      await page.waitForFunction((p) => document.querySelector('.preview-path')?.textContent === p, path);
      const shown = await page.locator('[data-testid=export-preview]').textContent();
      assert.equal(shown, readFileSync(join(dir, 'terraform', path), 'utf8'), path);
    }

    // An edit reaches the preview.
    await page.click('[data-testid=export-tab-mermaid]');
    await page.waitForFunction(() => /^flowchart/m.test(document.querySelector('[data-testid=export-preview]').textContent));
    const mermaid = execFileSync(cli, ['export', 'mermaid', design], { encoding: 'utf8' });
    assert.equal(await page.locator('[data-testid=export-preview]').textContent(), mermaid);
    await page.click('[data-testid=toggle-export]');
    const users = JSON.parse(readFileSync(design, 'utf8')).nodes.find((n) => n.kind === 'user_group').id;
    await page.click(`[data-testid=node][data-id="${users}"] > .node-body`);
    await page.locator('[data-testid=inspector] [data-testid=field-name]').fill('Посетители "v2"');
    await page.click('[data-testid=toggle-export]');
    await page.waitForFunction(() =>
      /Посетители \S{1,8}v2/.test(document.querySelector('[data-testid=export-preview]').textContent),
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
