// Never lose a design, driven in headless Chromium: share links opened in a fresh browser,
// autosave across reloads, "My designs", undo/redo of every kind of edit compared as design
// JSON at every step, copy and paste, design files opened by picker and by drop, and broken or
// hostile links and files that must change nothing. Screenshots go to target/e2e/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { launchBrowser, openPage, pageServer, screenshot, SHOTS_DIR } from './lib/browser.mjs';
import { body, center, designJson, drag, freeSpotIn, loadTemplate, node, openEditor as openEditorAt } from './lib/editor.mjs';

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

const CLI = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'target', 'debug', 'infracanvas');
/** The command-line tool's output (built by `cargo test`, which `make test` runs first). */
function cli(args, input) {
  if (!existsSync(CLI)) execFileSync('cargo', ['build', '--quiet', '--bin', 'infracanvas'], { stdio: 'inherit' });
  return execFileSync(CLI, args, { encoding: 'utf8', input, maxBuffer: 1 << 26 });
}
const cliLines = (args) => cli(args).split('\n').filter(Boolean);

/** Waits until the autosave has written the latest change. */
async function saved(page) {
  await page.locator('[data-testid=save-status][data-state=saved]').waitFor({ timeout: 5_000 });
}

/** Everything the page keeps in local storage. */
async function storage(page) {
  return page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
}

async function canvasPoint(page, fx, fy) {
  const c = await page.locator('[data-testid=canvas]').boundingBox();
  return { x: c.x + c.width * fx, y: c.y + c.height * fy };
}

async function dropFromPalette(page, kind, to) {
  const item = page.locator(`[data-testid=palette-item][data-kind=${kind}]`);
  await item.scrollIntoViewIfNeeded();
  const from = await center(item);
  const before = await page.locator(`[data-testid=node][data-kind=${kind}]`).count();
  await drag(page, from, to);
  await page
    .waitForFunction(([k, n]) => document.querySelectorAll(`[data-testid=node][data-kind=${k}]`).length === n, [kind, before + 1], {
      timeout: 5_000,
    })
    .catch(async (e) => {
      await screenshot(page, `failed-drop-${kind}.png`);
      const toasts = await page.locator('[data-testid=toast]').allTextContents();
      throw new Error(`${kind} was not added (${toasts.join('; ')}): ${e.message}`);
    });
  return page.locator('[data-testid=node].selected').getAttribute('data-id');
}

async function link(page, fromId, toId) {
  const before = await page.locator('[data-testid=edge]').count();
  await page.hover(`[data-testid=node][data-id="${fromId}"] > .node-body`);
  const handle = await center(page.locator(`[data-testid=node][data-id="${fromId}"] > [data-testid=link-handle]`));
  await drag(page, handle, await center(body(page, toId)));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=edge]').length === n, before + 1);
}

/** A 50 MB design file on disk (blank JSON padding), made once. */
function hugeFile() {
  const path = resolve(SHOTS_DIR, '..', 'e2e-huge.json');
  if (!existsSync(path) || statSync(path).size !== 50 * 1024 * 1024) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 0x20));
  }
  return path;
}

async function banner(page) {
  const b = page.locator('[data-testid=error-banner]');
  await b.waitFor({ timeout: 10_000 });
  return b.textContent();
}

async function dismissBanner(page) {
  await page.click('[data-testid=error-banner-dismiss]');
  await page.locator('[data-testid=error-banner]').waitFor({ state: 'detached' });
}

/** A design built by hand from the palette: provider, region inside, users linked to it. */
async function buildByHand(page) {
  await loadTemplate(page, 'empty');
  const provider = await dropFromPalette(page, 'provider', await canvasPoint(page, 0.35, 0.35));
  const region = await dropFromPalette(page, 'region', await freeSpotIn(page, provider));
  const users = await dropFromPalette(page, 'user_group', await canvasPoint(page, 0.8, 0.75));
  await page.locator('[data-testid=inspector] [data-testid=field-name]').fill('Покупатели "EU" <b>');
  await link(page, users, provider);
  const name = page.locator('[data-testid=design-name]');
  await name.fill('Hand-made: магазин');
  await name.press('Enter');
  return { provider, region, users };
}

test('a shared link opens the same design in a fresh browser, and nothing is sent anywhere', async () => {
  const { context, page, problems } = await openEditor();
  let other;
  try {
    await buildByHand(page);
    const original = await designJson(page);
    assert.equal(original.nodes.length, 3);
    assert.equal(original.edges.length, 1);

    await page.click('[data-testid=share-button]');
    const linkText = await page.locator('[data-testid=share-link]').inputValue();
    assert.match(linkText, new RegExp(`^${server.url.replace(/\/$/, '').replace(/[.]/g, '\\.')}/#d=(1\\.|2\\.[0-9a-f]{8}\\.)`), linkText.slice(0, 60));
    const shown = Number(await page.locator('[data-testid=share-length]').getAttribute('data-length'));
    assert.equal(shown, [...linkText].length);
    assert.equal(await page.locator('[data-testid=share-warning]').count(), shown > 2000 ? 1 : 0);
    await screenshot(page, 'share-dialog.png');
    await page.keyboard.press('Escape');

    // A new browser context: no storage, no history; only the link.
    other = await openPage(browser, server.url);
    await other.page.goto(linkText, { waitUntil: 'load' });
    await other.page.locator('[data-testid=node]').first().waitFor();
    assert.deepEqual(await designJson(other.page), original);
    // The link opened as a saved design; the fragment is gone so a reload keeps later edits.
    await saved(other.page);
    assert.equal(new URL(other.page.url()).hash, '');
    assert.deepEqual(other.problems, []);
    assert.deepEqual(problems, []);
  } finally {
    await other?.context.close();
    await context.close();
  }
});

test('a template shares as a short link, the same as the CLI makes; a long link warns and offers the file', async () => {
  const { context, page, problems } = await openEditor();
  try {
    const lengths = [];
    for (const slug of cliLines(['template', 'list'])) {
      await loadTemplate(page, slug);
      await page.click('[data-testid=share-button]');
      const linkText = await page.locator('[data-testid=share-link]').inputValue();
      const len = Number(await page.locator('[data-testid=share-length]').getAttribute('data-length'));
      lengths.push(`${slug} ${len}`);
      // Packed against the template's own dictionary, byte for byte what the CLI makes.
      const design = cli(['template', 'show', slug]);
      const payload = (link) => link.split('#d=')[1];
      assert.equal(payload(linkText), payload(cli(['link', '-'], design).trim()), slug);
      assert.match(linkText, /#d=2\.[0-9a-f]{8}\./, slug);
      assert.ok(len < 2000, `${slug}: ${len}`);
      assert.equal(await page.locator('[data-testid=share-warning]').count(), 0, slug);
      await page.keyboard.press('Escape');
    }
    console.log(`# template share links (characters): ${lengths.join(', ')}`);

    // A design unlike any template, with long names everywhere: too long for chat tools.
    const big = JSON.parse(cli(['template', 'show', 'microservices-platform']));
    let seed = 7;
    const noise = () => Array.from({ length: 40 }, () => String.fromCharCode(0x400 + ((seed = (seed * 48271) % 2147483647) % 200))).join('');
    for (const n of big.nodes) n.name = noise();
    await page.setInputFiles('[data-testid=file-input]', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(big)) });
    await page.locator(`[data-testid=node][data-id="${big.nodes[0].id}"]`).waitFor();
    await page.click('[data-testid=share-button]');
    const len = Number(await page.locator('[data-testid=share-length]').getAttribute('data-length'));
    assert.ok(len > 2000, `long link: ${len}`);
    await page.locator('[data-testid=share-warning]').waitFor();
    const download = page.waitForEvent('download');
    await page.click('[data-testid=share-download]');
    const file = await download;
    assert.match(file.suggestedFilename(), /\.json$/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('edits are saved as you go and come back after a reload; My designs keeps several', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'microservices-platform');
    const target = (await designJson(page)).nodes.find((n) => !n.parent).id;
    await page.click(`[data-testid=node][data-id="${target}"] > .node-body`);
    await page.locator('[data-testid=inspector] [data-testid=field-name]').fill('Renamed before reload');
    await saved(page);
    const before = await designJson(page);

    await page.reload({ waitUntil: 'load' });
    await node(page, target).waitFor();
    assert.equal(await page.locator('[data-testid=templates-menu]').count(), 0, 'no start dialog over a saved design');
    assert.equal(await node(page, target).getAttribute('data-name'), 'Renamed before reload');
    assert.deepEqual(await designJson(page), before);
    assert.equal(await page.locator('[data-testid=node].selected').count(), 0, 'nothing selected after a reload');

    // A second design next to the first.
    await page.click('[data-testid=open-designs]');
    await page.click('[data-testid=design-new]');
    await loadTemplate(page, 'site-builder');
    await saved(page);
    await page.click('[data-testid=open-designs]');
    const entries = page.locator('[data-testid=design-entry]');
    assert.equal(await entries.count(), 2);
    await screenshot(page, 'my-designs.png');

    // Rename the first (not open), duplicate it, delete the duplicate.
    const first = entries.filter({ hasText: before.name });
    await first.locator('[data-testid=design-rename]').click();
    const input = page.locator('[data-testid=design-rename-input]');
    await input.fill('Платформа (prod)');
    await input.press('Enter');
    await entries.filter({ hasText: 'Платформа (prod)' }).waitFor();
    await entries.filter({ hasText: 'Платформа (prod)' }).locator('[data-testid=design-duplicate]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=design-entry]').length === 3);
    const copy = entries.filter({ hasText: 'Платформа (prod) (copy)' });
    await copy.locator('[data-testid=design-delete]').click();
    await copy.locator('[data-testid=design-delete-confirm]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=design-entry]').length === 2);

    // Switch back: the first design, renamed, with its edit.
    await entries.filter({ hasText: 'Платформа (prod)' }).locator('[data-testid=design-open]').click();
    await node(page, target).waitFor();
    const back = await designJson(page);
    assert.equal(back.name, 'Платформа (prod)');
    assert.deepEqual({ ...back, name: before.name }, before);

    // And after another reload the switch is remembered.
    await page.reload({ waitUntil: 'load' });
    await node(page, target).waitFor();
    assert.equal((await designJson(page)).name, 'Платформа (prod)');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('undo and redo walk every kind of edit back to the start and forward again', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'empty');
    const steps = [await designJson(page)];
    const record = async (what) => {
      const d = await designJson(page);
      assert.notDeepEqual(d, steps[steps.length - 1], `${what} changed the design`);
      steps.push(d);
    };

    await loadTemplate(page, 'multicloud-shop');
    await record('template load');
    const region = (await designJson(page)).nodes.find((n) => n.kind === 'region')?.id;
    assert.ok(region, 'the template has a region');

    const users = await dropFromPalette(page, 'user_group', await canvasPoint(page, 0.5, 0.08));
    await record('create');

    const at = await center(body(page, users));
    await drag(page, at, { x: at.x + 60, y: at.y + 30 });
    await record('move');

    const corner = await center(page.locator(`[data-testid=node][data-id="${region}"] > [data-testid=resize-handle]`));
    await drag(page, corner, { x: corner.x + 50, y: corner.y + 40 });
    await record('resize');

    await link(page, users, region);
    await record('connect');

    await page.click(`[data-testid=node][data-id="${users}"] > .node-body`);
    await page.locator('[data-testid=inspector] [data-testid=field-name]').fill('Клиенты');
    await record('property change');

    await page.keyboard.press('ArrowRight');
    await record('nudge');

    const groups = await page.locator('[data-testid=node][data-kind=user_group]').count();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page
      .waitForFunction((n) => document.querySelectorAll('[data-testid=node][data-kind=user_group]').length === n, groups + 1, { timeout: 5_000 })
      .catch(async (e) => {
        await screenshot(page, 'failed-paste.png');
        throw new Error(`not pasted (${await page.locator('[data-testid=toast]').allTextContents()}): ${e.message}`);
      });
    await record('paste');

    await page.keyboard.press('Delete');
    await record('delete');

    // Back to the start, one step at a time, by button and by key.
    for (let i = steps.length - 1; i > 0; i--) {
      if (i % 2) await page.click('[data-testid=undo]');
      else await page.keyboard.press('Control+z');
      assert.deepEqual(await designJson(page), steps[i - 1], `undo to step ${i - 1}`);
    }
    assert.equal(await page.locator('[data-testid=undo]').isDisabled(), true);
    // And forward again.
    for (let i = 1; i < steps.length; i++) {
      if (i % 3 === 0) await page.keyboard.press('Control+y');
      else if (i % 3 === 1) await page.keyboard.press('Control+Shift+z');
      else await page.click('[data-testid=redo]');
      assert.deepEqual(await designJson(page), steps[i], `redo to step ${i}`);
    }
    assert.equal(await page.locator('[data-testid=redo]').isDisabled(), true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('copy and paste a container: new ids, its contents and the links inside it', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'microservices-platform');
    const design = await designJson(page);
    const ns = design.nodes.find((n) => n.kind === 'namespace');
    const inside = new Set([ns.id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const n of design.nodes) if (n.parent && inside.has(n.parent) && !inside.has(n.id)) inside.add(n.id), (grew = true);
    }
    const innerEdges = design.edges.filter((e) => inside.has(e.from) && inside.has(e.to)).length;

    await page.click(`[data-testid=node][data-id="${ns.id}"] > .node-body > rect.box-header`);
    assert.match(await node(page, ns.id).getAttribute('class'), /selected/);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, design.nodes.length + inside.size);
    const after = await designJson(page);
    assert.equal(after.edges.length, design.edges.length + innerEdges);
    const oldIds = new Set(design.nodes.map((n) => n.id));
    const added = after.nodes.filter((n) => !oldIds.has(n.id));
    assert.equal(added.length, inside.size);
    const copyRoot = added.find((n) => n.kind === 'namespace' && n.parent === ns.parent);
    assert.ok(copyRoot, 'the copy sits in the same cluster');
    // Originals unchanged.
    for (const n of design.nodes) assert.deepEqual(after.nodes.find((m) => m.id === n.id), n);
    await screenshot(page, 'pasted-namespace.png');

    // The shortcuts are listed in the help overlay.
    await page.keyboard.press('?');
    const help = page.locator('[data-testid=help-overlay]');
    await help.waitFor();
    const text = await help.textContent();
    for (const keys of [/Ctrl\/⌘ \+ C/, /Ctrl\/⌘ \+ X/, /Ctrl\/⌘ \+ V/]) assert.match(text, keys);
    for (const command of ['copy', 'cut', 'paste']) {
      assert.equal(await help.locator(`tr[data-command=${command}]`).count(), 1, command);
    }
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('broken links and hostile files are refused with a message and change nothing', async () => {
  const { context, page, problems } = await openEditor();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    await loadTemplate(page, 'furniture-canary');
    await saved(page);
    const design = await designJson(page);
    const stored = await storage(page);
    await page.click('[data-testid=share-button]');
    const good = await page.locator('[data-testid=share-link]').inputValue();
    await page.keyboard.press('Escape');

    const unchanged = async (what) => {
      assert.deepEqual(await designJson(page), design, `${what}: design on screen unchanged`);
      assert.deepEqual(await storage(page), stored, `${what}: saved designs unchanged`);
    };

    // Links: garbage, truncated, from a newer codec, a zip bomb.
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 }).toString('base64url');
    const links = [
      ['garbage', '#d=1.%%%not-base64%%%', /damaged/],
      ['truncated', `#d=${good.split('#d=')[1].slice(0, -40)}`, /damaged/],
      ['newer codec', '#d=9.AAAA', /newer/],
      ['zip bomb', `#d=1.${bomb}`, /more than/],
    ];
    for (const [what, hash, message] of links) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      const text = await banner(page);
      assert.match(text, message, what);
      assert.match(text, /Nothing was changed/, what);
      await unchanged(what);
      if (what === 'zip bomb') await screenshot(page, 'banner-broken-link.png');
      await dismissBanner(page);
    }

    // Files through the picker: not JSON, a newer format, an invalid one, an oversized one.
    const files = [
      ['not json', 'notes.json', Buffer.from('this is not JSON'), /not a design/],
      ['newer format', 'future.json', Buffer.from('{"version": 99, "name": "x"}'), /newer/],
      [
        'hostile content',
        '<img src=x onerror=alert(1)>.json',
        Buffer.from('{"version":1,"name":"</script><svg onload=alert(1)>","nodes":[{"id":"a b","name":"x","kind":"provider"}]}'),
        /not a design/,
      ],
      ['oversized', hugeFile(), null, /50\.0 MB/],
    ];
    for (const [what, name, buffer, message] of files) {
      // Playwright passes buffers up to 50 MB; the big one goes as a file on disk.
      await page.setInputFiles('[data-testid=file-input]', buffer ? { name, mimeType: 'application/json', buffer } : name);
      const text = await banner(page);
      assert.match(text, message, what);
      await unchanged(what);
      if (what === 'hostile content') await screenshot(page, 'banner-hostile-file.png');
      await dismissBanner(page);
    }

    // A good file dropped onto the page opens as a new saved design, hostile names as text.
    const hostile = {
      ...design,
      name: '</script><svg onload=alert(1)> «дизайн»',
      nodes: design.nodes.map((n, i) => (i === 0 ? { ...n, name: '<img src=x onerror=alert(2)>' } : n)),
    };
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      return dt;
    }, JSON.stringify(hostile));
    await page.dispatchEvent('[data-testid=canvas]', 'drop', { dataTransfer });
    await page.waitForFunction((n) => document.querySelector('[data-testid=design-name]').value === n, hostile.name);
    assert.deepEqual(await designJson(page), hostile);
    assert.equal(await page.locator('[data-testid=node] img').count(), 0, 'no markup from names');
    await saved(page);
    await page.click('[data-testid=open-designs]');
    assert.equal(await page.locator('[data-testid=design-entry]').count(), 2, 'the dropped file is a new design');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an internal error shows the banner, and the saved design survives it', async () => {
  const { context, page, problems } = await openEditor();
  try {
    await loadTemplate(page, 'site-builder');
    await saved(page);
    const design = await designJson(page);
    const thrown = await page.evaluate(() => {
      try {
        window.wasmBindings.infracanvas_force_internal_error();
        return null;
      } catch (e) {
        return String(e);
      }
    });
    assert.ok(thrown, 'the forced error reached the caller');
    const b = page.locator('[data-testid=error-banner][data-kind=panic]');
    await b.waitFor();
    assert.match(await b.textContent(), /internal error/);
    await screenshot(page, 'banner-panic.png');
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid=node]').first().waitFor();
    assert.deepEqual(await designJson(page), design);
    // The forced panic logs to the console by design; nothing else may.
    assert.deepEqual(problems.filter((p) => !/internal error forced by a test|unreachable/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('full or blocked storage is reported, and editing goes on', async () => {
  // Full: every write throws the browser's quota error.
  const full = await openPage(browser, server.url);
  await full.context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
  });
  // Blocked: reading window.localStorage throws, as in some private modes.
  const blocked = await openPage(browser, server.url);
  await blocked.context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
  });
  try {
    for (const [what, { page, problems }, message] of [
      ['full', full, /storage is full/],
      ['blocked', blocked, /not available/],
    ]) {
      await page.goto(server.url, { waitUntil: 'load' });
      await page.locator('[data-testid=canvas]').waitFor();
      await loadTemplate(page, 'microservices-platform');
      assert.match(await banner(page), message, what);
      await page.locator('[data-testid=save-status][data-state=failed]').waitFor();
      await dismissBanner(page);
      // Still an editor: undo works and the design file can be downloaded.
      await page.click('[data-testid=undo]');
      assert.equal(await page.locator('[data-testid=node]').count(), 0, `${what}: undo`);
      await page.click('[data-testid=redo]');
      const download = page.waitForEvent('download');
      await page.click('[data-testid=save-file]');
      assert.match((await download).suggestedFilename(), /\.json$/);
      if (what === 'full') await screenshot(page, 'storage-full.png');
      assert.deepEqual(problems, [], what);
    }
  } finally {
    await full.context.close();
    await blocked.context.close();
  }
});
