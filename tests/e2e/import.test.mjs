// Bringing existing systems in, driven in headless Chromium: a Compose project chosen with
// Open…, the demo shop's Kubernetes manifests chosen as a folder and dropped as a .zip, each
// read in the export worker and summarised (components, links inferred, what was not mapped
// with file and line) before it opens as a new saved design; bad files show an error and keep
// the design on screen. Screenshots go to target/e2e/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { launchBrowser, pageServer, screenshot } from './lib/browser.mjs';
import { designJson, loadTemplate, openEditor as openEditorAt } from './lib/editor.mjs';

const FIXTURES = resolve(dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'import');
const COMPOSE = resolve(FIXTURES, 'compose', 'webshop');
const DEMO_SHOP = resolve(FIXTURES, 'k8s', 'demo-shop');
// Values the Compose fixture holds in `environment`: none may reach the page's design.
const SECRETS = ['pg-pass-1a2b3c', 'url-pass-9f8e7d', 'django-insecure-0123456789abcdef', 'mail-pass-5c4b3a'];

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

const openEditor = () => openEditorAt(browser, server.url);

async function saved(page) {
  await page.locator('[data-testid=save-status][data-state=saved]').waitFor({ timeout: 10_000 });
}

/** The summary dialog's figures once the worker has answered. */
async function summary(page) {
  const dialog = page.locator('[data-testid=import-summary]');
  await dialog.waitFor({ timeout: 30_000 });
  return {
    figures: await page.locator('[data-testid=import-figures]').textContent(),
    files: await page.locator('[data-testid=import-files]').textContent(),
    services: await page.locator('[data-testid=import-service] strong').allTextContents(),
    links: await page.locator('[data-testid=import-link] strong').allTextContents(),
    notes: await page.locator('[data-testid=import-note]').allTextContents(),
  };
}

/** Opens the previewed import and waits for the new design to be on screen and saved. */
async function openImported(page, name) {
  await page.click('[data-testid=import-open]');
  await page.locator('[data-testid=import-summary]').waitFor({ state: 'detached' });
  await page.waitForFunction((n) => document.querySelector('[data-testid=design-name]').value === n, name);
  await saved(page);
  // The view fits the new design on the next animation frame.
  await page.waitForTimeout(200);
}

async function libraryNames(page) {
  await page.click('[data-testid=open-designs]');
  await page.locator('[data-testid=designs-menu]').waitFor();
  const names = await page.locator('[data-testid=design-entry-name]').allTextContents();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=designs-menu]').waitFor({ state: 'detached' });
  return names;
}

/** A zip archive of `files` ({path, data}), deflated, as any archiver writes it. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { path, data } of files) {
    const name = Buffer.from(path);
    const packed = deflateRawSync(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(8, 8);
    head.writeUInt16LE(0x21, 12); // 1980-01-01
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    centrals.push(central, name);
    offset += head.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The demo shop's manifests, by the names the files carry. */
const demoShopFiles = () =>
  readdirSync(DEMO_SHOP)
    .sort()
    .map((f) => ({ path: `demo-shop/${f}`, data: readFileSync(resolve(DEMO_SHOP, f)) }));

// Every service-to-service link the demo shop's `*_ADDR` variables, Services and ports
// describe (Deployments named as their files: ads, cart, catalog…).
const DEMO_SHOP_LINKS = [
  'cart → redis-cart',
  'checkout → cart:7070',
  'checkout → catalog:3550',
  'checkout → currency:7000',
  'checkout → email:5000',
  'checkout → payment:50051',
  'checkout → shipping:50051',
  'frontend → ads:9555',
  'frontend → cart:7070',
  'frontend → catalog:3550',
  'frontend → checkout:5050',
  'frontend → currency:7000',
  'frontend → recommendation:8080',
  'frontend → reviews:8085',
  'frontend → shipping:50051',
  'loadgenerator → frontend:80',
  'recommendation → catalog:3550',
  'reviews → reviews-db',
];

test('a Compose project chosen with Open… is summarised, then opens as a new saved design', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'site-builder');
    await saved(page);
    const before = await designJson(page);

    await page.setInputFiles('[data-testid=file-input]', [
      resolve(COMPOSE, 'compose.yaml'),
      resolve(COMPOSE, 'compose.override.yaml'),
    ]);
    const s = await summary(page);
    await screenshot(page, 'import-compose-summary.png');
    assert.match(s.files, /Docker Compose from 2 files/);
    for (const name of ['web', 'app', 'worker', 'db', 'cache']) assert.ok(s.services.includes(name), `${name} in ${s.services}`);
    assert.ok(s.links.some((l) => l.startsWith('web → app')), s.links.join('\n'));
    assert.ok(s.links.some((l) => l.startsWith('app → db')), s.links.join('\n'));
    assert.ok(s.links.some((l) => l.startsWith('app → cache')), s.links.join('\n'));
    assert.match(s.figures, new RegExp(`${s.services.length} components · ${s.links.length} links inferred`));
    // What was not mapped, with file and line: the `search` service nothing defines, profiles…
    assert.ok(s.notes.some((n) => /compose\.yaml:\d+ unresolved — service app: SEARCH_URL names `search`/.test(n)), s.notes.join('\n'));
    assert.ok(s.notes.some((n) => /compose\.yaml:\d+ secret dropped — service db: POSTGRES_PASSWORD/.test(n)), s.notes.join('\n'));
    for (const secret of SECRETS) {
      assert.ok(!(await page.content()).includes(secret), `the summary shows no secret (${secret})`);
    }
    // Nothing changed yet: the design on screen is the template, its nodes all drawn.
    assert.equal(await page.locator('[data-testid=design-name]').inputValue(), before.name);
    assert.equal(await page.locator('[data-testid=node]').count(), before.nodes.length);

    await openImported(page, 'webshop');
    await screenshot(page, 'import-compose-canvas.png');
    const design = await designJson(page);
    const text = JSON.stringify(design);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `no secret value in the design (${secret})`);
    const components = design.nodes.filter((n) => !['swarm_cluster'].includes(n.kind));
    assert.equal(components.length, s.services.length);
    assert.equal(design.edges.length, s.links.length);
    assert.equal(await page.locator('[data-testid=node]').count(), design.nodes.length);
    assert.equal(await page.locator('[data-testid=edge]').count(), design.edges.length);
    for (const name of ['web', 'app', 'db']) {
      await page.locator('[data-testid=node] text', { hasText: new RegExp(`^${name}$`) }).first().waitFor();
    }
    const names = await libraryNames(page);
    assert.ok(names.includes('webshop') && names.includes(before.name), `both designs are saved: ${names}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the demo shop chosen as a folder imports with every service-to-service link', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'empty');
    // From the start screen: Import a folder… opens the folder picker.
    await page.click('[data-testid=open-templates]');
    await page.locator('[data-testid=template-import-folder]').waitFor();
    await screenshot(page, 'import-start-screen.png');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.click('[data-testid=template-import-folder]'),
    ]);
    assert.ok(await chooser.element().evaluate((el) => el.webkitdirectory), 'the picker chooses a folder');
    await chooser.setFiles(DEMO_SHOP);
    const s = await summary(page);
    await screenshot(page, 'import-k8s-summary.png');
    assert.match(s.files, /Kubernetes manifests from \d+ files/);
    for (const link of DEMO_SHOP_LINKS) assert.ok(s.links.includes(link), `${link} in\n${s.links.join('\n')}`);
    assert.equal(s.links.length, DEMO_SHOP_LINKS.length, s.links.join('\n'));

    await openImported(page, 'demo-shop');
    await screenshot(page, 'import-k8s-canvas.png');
    const design = await designJson(page);
    const byId = Object.fromEntries(design.nodes.map((n) => [n.id, n.name]));
    const pairs = design.edges.map((e) => `${byId[e.from]} → ${byId[e.to]}`);
    for (const link of DEMO_SHOP_LINKS) assert.ok(pairs.includes(link.replace(/:\d+$/, '')), link);
    assert.equal(await page.locator('[data-testid=edge]').count(), design.edges.length);
    assert.equal(await page.locator('[data-testid=node]').count(), design.nodes.length);
    assert.ok((await libraryNames(page)).includes('demo-shop'));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a dropped .zip of manifests imports; Cancel keeps the design as it was', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'furniture-canary');
    await saved(page);
    const before = await designJson(page);
    const archive = zip(demoShopFiles()).toString('base64');
    const drop = async () => {
      const dataTransfer = await page.evaluateHandle((b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'demo-shop.zip', { type: 'application/zip' }));
        return dt;
      }, archive);
      await page.dispatchEvent('[data-testid=canvas]', 'drop', { dataTransfer });
    };
    await drop();
    let s = await summary(page);
    assert.match(s.files, /Kubernetes manifests from \d+ files/);
    for (const link of DEMO_SHOP_LINKS) assert.ok(s.links.includes(link), link);
    await page.click('[data-testid=import-cancel]');
    await page.locator('[data-testid=import-summary]').waitFor({ state: 'detached' });
    assert.deepEqual(await designJson(page), before, 'Cancel changes nothing');

    await drop();
    s = await summary(page);
    await openImported(page, 'demo-shop');
    const names = await libraryNames(page);
    assert.ok(names.includes('demo-shop') && names.includes(before.name), `${names}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('corrupt files show an error and the current design is kept', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'aws-multiregion-dr');
    await saved(page);
    const before = await designJson(page);
    const bad = [
      ['broken.yaml', Buffer.from('services:\n  web: [\n    image: nginx\n'), /could not be imported.*broken\.yaml/s],
      ['corrupt.zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]), /could not be imported.*corrupt\.zip/s],
      ['notes.yaml', Buffer.from('just: a mapping\nof: settings\n'), /could not be imported: none of the files/],
      ['main.tf', Buffer.from([0xff, 0xfe, 0x00, 0x41]), /could not be imported.*not UTF-8/s],
    ];
    for (const [name, buffer, message] of bad) {
      await page.setInputFiles('[data-testid=file-input]', { name, mimeType: 'application/octet-stream', buffer });
      const banner = page.locator('[data-testid=error-banner]');
      await banner.waitFor({ timeout: 30_000 });
      const text = await banner.textContent();
      assert.match(text, message, name);
      assert.match(text, /Nothing was changed/, name);
      if (name === 'broken.yaml') await screenshot(page, 'import-error.png');
      assert.equal(await page.locator('[data-testid=import-summary]').count(), 0, name);
      assert.deepEqual(await designJson(page), before, `${name}: the design on screen is kept`);
      await page.click('[data-testid=error-banner-dismiss]');
      await banner.waitFor({ state: 'detached' });
    }
    assert.deepEqual(await libraryNames(page), [before.name], 'nothing new in My designs');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
