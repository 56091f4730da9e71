// The export drawer's files come from the export worker, a second wasm loaded only when the
// drawer first opens; they must be byte-identical to what the CLI writes (the Helm charts file by
// file, through the zip too).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

test('the Helm tab shows the charts the CLI writes, byte for byte, and zips them', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.locator('[data-testid=canvas]').waitFor();
    await loadTemplate(page, 'furniture-canary');

    const dir = mkdtempSync(join(tmpdir(), 'ic-helm-'));
    const design = join(dir, 'furniture-canary.json');
    execFileSync('sh', ['-c', `"${cli}" template show furniture-canary > "${design}"`]);
    execFileSync(cli, ['export', 'helm', design, '-o', join(dir, 'helm')]);
    const root = join(dir, 'helm');
    const written = readdirSync(root, { recursive: true })
      .filter((p) => statSync(join(root, p)).isFile())
      .sort();
    assert.ok(written.includes('server-1/values.schema.json'), written.join(' '));

    await page.click('[data-testid=toggle-export]');
    await page.click('[data-testid=export-tab-helm]');
    await page.locator('[data-testid=export-file][data-path="server-1/Chart.yaml"]').waitFor();
    await page.locator('[data-testid=export-preview][data-state=ready]').waitFor();
    const listed = await page.locator('[data-testid=export-file]').evaluateAll((els) => els.map((e) => e.dataset.path));
    assert.deepEqual([...listed].sort(), written, 'the tab lists the files the CLI writes');
    assert.equal(listed[0], 'server-1/Chart.yaml', 'a chart starts with Chart.yaml');
    for (const path of ['server-1/Chart.yaml', 'server-1/values-prod.yaml', 'server-1/templates/klienty/deployments.yaml']) {
      await page.click(`[data-testid=export-file][data-path="${path}"]`);
      await page.waitForFunction((p) => document.querySelector('.preview-path')?.textContent === p, path);
      const shown = await page.locator('[data-testid=export-preview]').textContent();
      assert.equal(shown, readFileSync(join(root, path), 'utf8'), path);
    }

    // The zip: every file of every chart, byte for byte the CLI's.
    const download = page.waitForEvent('download');
    await page.click('[data-testid=export-zip]');
    const zip = await download;
    assert.match(zip.suggestedFilename(), /-helm\.zip$/);
    const entries = execFileSync('python3', ['-c', `
import base64, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))`, await zip.path()], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const archived = JSON.parse(entries);
    assert.deepEqual(Object.keys(archived).sort(), written.map((p) => `helm/${p}`).sort());
    for (const p of written) {
      assert.ok(Buffer.from(archived[`helm/${p}`], 'base64').equals(readFileSync(join(root, p))), p);
    }
    await page.screenshot({ path: join(REPO_ROOT, 'target', 'helm-tab.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
