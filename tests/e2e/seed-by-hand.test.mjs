// Seed 002 (the furniture maker) drawn by hand from an empty design, as a person would: the
// settings panel for the name and the five stands, the palette for every component dropped
// into its container, the inspector for every property (canary steps, A/B flags, recreate,
// per-stand replicas and autoscaling, ports, products), and links dragged from the handles.
// Its Kubernetes export must then have the furniture-canary template's structure: the same
// files, environments (overlays), strategies and Flagger Canary objects. The CLI exports
// both designs (it is the same Rust code the page's worker runs).
//
// The layout is planned in world units (below) so that every drop lands inside the right
// container; positions on screen are worked out from the parent's box as drawn.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { launchBrowser, pageServer, REPO_ROOT, screenshot } from './lib/browser.mjs';
import { center, designJson, drag } from './lib/editor.mjs';

const CLI = resolve(REPO_ROOT, 'target', 'debug', 'infracanvas');
function cli(args, input) {
  if (!existsSync(CLI)) execFileSync('cargo', ['build', '--quiet', '--bin', 'infracanvas'], { cwd: REPO_ROOT, stdio: 'inherit' });
  return execFileSync(CLI, args, { encoding: 'utf8', input, maxBuffer: 1 << 26 });
}

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

const LEAF = { w: 160, h: 56 };
const BOX = { w: 320, h: 200 }; // a new container's size before it is resized

// ---- The plan: every node with its parent, place (world units, relative to the parent's
// top-left) and final size for containers, and what to type into the inspector. ----

const stand = [
  ['ift', { replicas: '1', autoscaling: '1-1 @ 80%' }],
  ['hotfix', { replicas: '1', autoscaling: '1-1 @ 80%' }],
  ['load', { autoscaling: '2-12 @ 60%' }],
];

function plan() {
  const nodes = [];
  const add = (key, kind, name, parent, at, props = {}) => nodes.push({ key, kind, name, parent, at, ...props });
  add('customers', 'user_group', 'Клиенты', null, [0, 0], { fields: { 'field-country': 'RU' } });
  add('couriers', 'user_group', 'Сотрудники службы доставки', null, [0, 90], { fields: { 'field-country': 'RU' } });
  add('staff', 'user_group', 'Сотрудники', null, [0, 180], { fields: { 'field-country': 'RU' }, checks: { 'field-staff': true } });
  add('ad', 'external_system', 'Active Directory', null, [0, 270], { fields: { 'field-product': 'Microsoft Active Directory' } });
  add('nfs', 'external_system', 'NFS', null, [0, 360], { fields: { 'field-product': 'NFS' } });
  add('dc', 'provider', 'Мебельная фабрика', null, [220, 0], { size: [2560, 860], selects: { 'field-cloud': 'on_prem' } });
  add('geo', 'geo_router', 'Гео-балансировщик', 'dc', [20, 40]);
  add('region', 'region', 'ЦОД', 'dc', [20, 120], { size: [2520, 720], fields: { 'field-code': 'dc-1', 'field-jurisdiction': 'RU' } });
  add('external', 'subnet', 'Внешний контур', 'region', [20, 40], {
    size: [1300, 580],
    selects: { 'field-visibility': 'public' },
    fields: { 'field-cidr': '10.1.0.0/16' },
  });
  add('internal', 'subnet', 'Внутренний контур', 'region', [1340, 40], { size: [1160, 320], fields: { 'field-cidr': '10.2.0.0/16' } });
  const db = (personal) => ({ fields: { 'field-version': '15', 'field-store-replicas': '1' }, checks: { 'field-managed': false, 'field-personal-data': personal } });
  add('db-customers', 'database', 'БД клиентов и заказов', 'region', [20, 640], db(true));
  add('db-catalog', 'database', 'БД ассортимента мебели', 'region', [200, 640], db(false));
  add('prometheus', 'monitoring', 'Prometheus', 'region', [380, 640], { fields: { 'field-product': 'Prometheus' } });
  add('logging', 'logging', 'Логирование', 'region', [560, 640], { fields: { 'field-product': 'ELK' } });
  const cluster = (zone) => ({ fields: { 'field-zones': zone, 'field-version': '1.29' }, checks: { 'field-managed': false } });
  // What every service of the seed has: the port named http, two replicas, probes, resources.
  const svc = (image, tag) => ({
    'field-image': image,
    'field-tag': tag,
    'field-ports': 'http:8080',
    'field-replicas': '2',
    'field-liveness': '8080/healthz',
    'field-readiness': '8080/ready',
  });
  const defaultResources = { 'field-cpu-request': '100m', 'field-cpu-limit': '500m', 'field-memory-request': '128Mi', 'field-memory-limit': '512Mi' };
  const app = (image, host) => ({
    fields: { ...svc(image, '2.3.1'), 'field-host': host },
    resources: defaultResources,
    selects: { 'field-exposure': 'external', 'field-strategy': 'canary' },
    checks: { 'field-personal-data': true, 'field-autoscaling': true },
    after: { 'field-canary-step': '10', 'field-canary-max': '50', 'field-autoscaling-min': '2', 'field-autoscaling-max': '6', 'field-autoscaling-cpu': '70' },
    stands: stand,
  });
  const flagger = {
    fields: svc('ghcr.io/fluxcd/flagger', '1.37.0'),
    resources: { 'field-cpu-request': '10m', 'field-cpu-limit': '1', 'field-memory-request': '32Mi', 'field-memory-limit': '512Mi' },
  };
  for (const [n, y] of [['1', 40], ['2', 310]]) {
    const s = `s${n}`;
    add(s, 'kubernetes_cluster', `Сервер ${n}`, 'external', [20, y], { size: [1260, 250], ...cluster(`server-${n}`) });
    add(`${s}-ingress`, 'ingress_controller', 'NGINX Ingress', s, [20, 40]);
    add(`${s}-ns-customers`, 'namespace', 'Клиенты', s, [200, 40], { size: [320, 200] });
    add(`${s}-ns-couriers`, 'namespace', 'Служба доставки', s, [540, 40], { size: [320, 200] });
    add(`${s}-ns-flagger`, 'namespace', 'flagger-system', s, [880, 40], { size: [320, 200] });
    add(`${s}-customer-app`, 'workload', 'Приложение клиентов', `${s}-ns-customers`, [20, 40], app('furniture/customer-app', 'shop.furniture.example'));
    add(`${s}-courier-app`, 'workload', 'Приложение службы доставки', `${s}-ns-couriers`, [20, 40], app('furniture/courier-app', 'delivery.furniture.example'));
    add(`${s}-flagger`, 'workload', 'Flagger', `${s}-ns-flagger`, [20, 40], flagger);
  }
  add('staff-lb', 'load_balancer', 'Клиентский балансировщик', 'internal', [20, 40], {
    fields: { 'field-product': 'клиентская библиотека web-приложений' },
    checks: { 'field-public': false, 'field-client-side': true },
  });
  add('db-internal', 'database', 'БД внутренних сервисов', 'internal', [20, 120], db(true));
  add('s3', 'kubernetes_cluster', 'Сервер 3', 'internal', [200, 40], { size: [940, 260], ...cluster('server-3') });
  add('s3-ns-staff', 'namespace', 'Сотрудники', 's3', [20, 40], { size: [520, 200] });
  add('s3-ns-flagger', 'namespace', 'flagger-system', 's3', [560, 40], { size: [320, 200] });
  const staffApp = (image, strategy, after, personal) => ({
    fields: svc(image, '4.1.0'),
    resources: defaultResources,
    selects: { 'field-strategy': strategy },
    checks: { 'field-autoscaling': true, 'field-personal-data': personal },
    after: { ...after, 'field-autoscaling-min': '2', 'field-autoscaling-max': '6', 'field-autoscaling-cpu': '70' },
    stands: stand,
  });
  add('staff-web', 'workload', 'Web-приложения сотрудников', 's3-ns-staff', [20, 40],
    staffApp('furniture/staff-web', 'ab_testing', { 'field-ab-flags': 'new-order-form, new-catalog-editor' }, false));
  add('business-logic', 'workload', 'Бизнес-логика', 's3-ns-staff', [200, 40], staffApp('furniture/business-logic', 'recreate', {}, true));
  add('s3-flagger', 'workload', 'Flagger', 's3-ns-flagger', [20, 40], flagger);
  return nodes;
}

function links() {
  const out = [];
  const traffic = (from, to, protocol, port, label) => out.push({ from, to, kind: 'traffic', protocol, port, label });
  const access = (from, to, mode = 'read_write') => out.push({ from, to, kind: 'access', mode });
  const kind = (from, to, k) => out.push({ from, to, kind: k });
  for (const s of ['s1', 's2']) {
    kind('geo', `${s}-ingress`, 'geo_route');
    traffic(`${s}-ingress`, `${s}-customer-app`, 'http', '8080');
    traffic(`${s}-ingress`, `${s}-courier-app`, 'http', '8080');
    traffic(`${s}-flagger`, 'prometheus', 'http', '9090', 'canary metrics');
    access(`${s}-customer-app`, 'db-customers');
    access(`${s}-customer-app`, 'db-catalog', 'read');
    access(`${s}-courier-app`, 'db-customers');
    for (const a of ['customer-app', 'courier-app']) {
      access(`${s}-${a}`, 'ad', 'read');
      access(`${s}-${a}`, 'nfs');
    }
    kind('prometheus', s, 'observes');
    kind('logging', s, 'observes');
  }
  traffic('customers', 'geo', 'https', '443');
  traffic('couriers', 'geo', 'https', '443');
  traffic('staff', 'staff-lb', 'https', '443');
  traffic('staff-lb', 'staff-web', 'https', '8080');
  traffic('staff-web', 'business-logic', 'http', '8080');
  traffic('s3-flagger', 'prometheus', 'http', '9090', 'rollout metrics');
  for (const [to, mode] of [['db-customers'], ['db-catalog'], ['db-internal'], ['ad', 'read'], ['nfs']]) access('business-logic', to, mode);
  kind('prometheus', 's3', 'observes');
  kind('logging', 's3', 'observes');
  return out;
}

// ---- Driving the page. ----

const inspector = (page, testid) => page.locator(`[data-testid=inspector] [data-testid="${testid}"]`);
const nodeBox = (page, id) => page.locator(`[data-testid=node][data-id="${id}"] > .node-body > rect.box`).boundingBox();

/** Opens a collapsed section by its summary (left open if it already is). */
async function expand(summary) {
  if (!(await summary.evaluate((s) => s.parentElement.open))) await summary.click();
}

async function fillFields(page, spec) {
  for (const [testid, value] of Object.entries(spec.fields ?? {})) await inspector(page, testid).fill(value);
  for (const [testid, value] of Object.entries(spec.selects ?? {})) await inspector(page, testid).selectOption(value);
  for (const [testid, value] of Object.entries(spec.checks ?? {})) await inspector(page, testid).setChecked(value);
  for (const [testid, value] of Object.entries(spec.after ?? {})) await inspector(page, testid).fill(value);
  if (spec.resources) {
    await expand(page.locator('[data-testid=inspector] summary', { hasText: 'Resources' }));
    for (const [testid, value] of Object.entries(spec.resources)) await inspector(page, testid).fill(value);
  }
  for (const [env, values] of spec.stands ?? []) {
    await expand(page.locator(`[data-testid=inspector] [data-testid=override-${env}] > summary`));
    for (const [what, value] of Object.entries(values)) await inspector(page, `field-override-${what}-${env}`).fill(value);
  }
  const errors = await page.locator('[data-testid=inspector] .field-error').allTextContents();
  assert.deepEqual(errors, [], `${spec.name}: every entry is accepted`);
}

/** Drops `spec` from the palette so that its box's top-left lands at `topLeft` (screen). */
async function drop(page, spec, topLeft, zoom) {
  const size = spec.size ? BOX : LEAF;
  const to = { x: topLeft.x + (size.w * zoom) / 2, y: topLeft.y + (size.h * zoom) / 2 };
  const item = page.locator(`[data-testid=palette-item][data-kind=${spec.kind}]`);
  const before = await page.locator('[data-testid=node]').count();
  await drag(page, await center(item), to);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=node]').length === n, before + 1, { timeout: 5_000 }).catch(async (e) => {
    await screenshot(page, `seed-by-hand-failed-${spec.key}.png`);
    const toasts = await page.locator('[data-testid=toast]').allTextContents();
    throw new Error(`${spec.key} was not added (${toasts.join('; ')}): ${e.message}`);
  });
  return page.locator('[data-testid=node].selected').getAttribute('data-id');
}

async function link(page, ids, sizes, l) {
  const from = ids[l.from];
  const to = ids[l.to];
  const before = await page.locator('[data-testid=edge]').count();
  await page.hover(`[data-testid=node][data-id="${from}"] > .node-body`);
  const handle = await center(page.locator(`[data-testid=node][data-id="${from}"] > [data-testid=link-handle]`));
  const box = await nodeBox(page, to);
  // A container is reached by its title bar, a leaf anywhere.
  const target = sizes[l.to] ? { x: box.x + box.width / 2, y: box.y + 6 } : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await drag(page, handle, target);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=edge]').length === n, before + 1, { timeout: 5_000 });
  assert.match(await inspector(page, 'field-edge-kind').inputValue().catch(() => ''), /./, `${l.from} → ${l.to} selected`);
  if ((await inspector(page, 'field-edge-kind').inputValue()) !== l.kind) await inspector(page, 'field-edge-kind').selectOption(l.kind);
  if (l.protocol) await inspector(page, 'field-protocol').selectOption(l.protocol);
  if (l.port) await inspector(page, 'field-port').fill(l.port);
  if (l.mode) await inspector(page, 'field-access-mode').selectOption(l.mode);
  if (l.label) await inspector(page, 'field-edge-label').fill(l.label);
  assert.equal(await inspector(page, 'field-edge-kind').inputValue(), l.kind, `${l.from} → ${l.to} is ${l.kind}`);
}


function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function k8sExport(design, dir) {
  const file = join(dir, 'design.json');
  writeFileSync(file, JSON.stringify(design));
  const out = join(dir, 'k8s');
  cli(['export', 'k8s', file, '-o', out]);
  return out;
}

test('seed 002 drawn by hand from an empty design exports the furniture-canary structure', { timeout: 600_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 2560, height: 1440 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.locator('[data-testid=canvas]').waitFor();
    if (!(await page.locator('[data-testid=template-empty]').isVisible())) await page.click('[data-testid=open-templates]');
    await page.click('[data-testid=template-empty]');
    const template = JSON.parse(cli(['template', 'show', 'furniture-canary']));

    // The settings panel (nothing selected): name and the five stands.
    const name = page.locator('[data-testid=design-name]');
    await name.fill(template.name);
    await name.press('Enter');
    await page.locator('[data-testid=field-design-description]').fill(template.description);
    for (const [i, env] of template.environments.entries()) {
      await page.click('[data-testid=environment-add]');
      await page.locator(`[data-testid=environment-name-${i}]`).fill(env.name);
      await page.locator(`[data-testid=environment-id-${i}]`).fill(env.id);
      if (env.production) await page.locator(`[data-testid=environment-production-${i}]`).check();
    }
    await screenshot(page, 'seed-by-hand-environments.png');

    // Two steps out, so the whole plan (2,780 × 860 world units) fits the view.
    await page.click('[data-testid=zoom-out]');
    await page.click('[data-testid=zoom-out]');
    const canvas = await page.locator('[data-testid=canvas]').boundingBox();
    const zoom = parseInt(await page.locator('[data-testid=zoom-level]').textContent(), 10) / 100;
    const origin = { x: canvas.x + 40, y: canvas.y + 60 };

    const ids = {};
    const sizes = {};
    for (const spec of plan()) {
      let topLeft;
      let z = zoom;
      if (spec.parent) {
        const p = await nodeBox(page, ids[spec.parent]);
        z = p.width / sizes[spec.parent][0];
        topLeft = { x: p.x + spec.at[0] * z, y: p.y + spec.at[1] * z };
      } else {
        topLeft = { x: origin.x + spec.at[0] * zoom, y: origin.y + spec.at[1] * zoom };
      }
      const id = await drop(page, spec, topLeft, z);
      ids[spec.key] = id;
      const parentAttr = await page.locator(`[data-testid=node][data-id="${id}"]`).getAttribute('data-parent');
      assert.equal(parentAttr || null, spec.parent ? ids[spec.parent] : null, `${spec.key} landed in its container`);
      if (spec.size) {
        sizes[spec.key] = spec.size;
        const corner = await center(page.locator(`[data-testid=node][data-id="${id}"] > [data-testid=resize-handle]`));
        await drag(page, corner, { x: corner.x + (spec.size[0] - BOX.w) * z, y: corner.y + (spec.size[1] - BOX.h) * z });
      }
      await inspector(page, 'field-name').fill(spec.name);
      const description = template.nodes.find((n) => n.id === spec.key)?.description;
      if (description) await inspector(page, 'field-description').fill(description);
      await fillFields(page, spec).catch(async (e) => {
        await screenshot(page, `seed-by-hand-failed-${spec.key}.png`);
        throw e;
      });
    }
    await screenshot(page, 'seed-by-hand-nodes.png');
    for (const l of links()) await link(page, ids, sizes, l);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=zoom-fit]');
    await screenshot(page, 'seed-by-hand-done.png');

    const drawn = await designJson(page);
    const kinds = (d) => d.nodes.map((n) => n.kind).sort();
    assert.deepEqual(kinds(drawn), kinds(template), 'the same kinds of components');
    assert.deepEqual(drawn.environments, template.environments, 'the same stands');
    assert.equal(drawn.edges.length, template.edges.length, 'as many links');
    const strategies = (d) =>
      d.nodes
        .filter((n) => n.kind === 'workload')
        .map((n) => `${n.name}: ${JSON.stringify(n.props.strategy ?? { type: 'rolling' })} ${JSON.stringify(n.props.overrides ?? {})}`)
        .sort();
    assert.deepEqual(strategies(drawn), strategies(template), 'the same strategies and per-stand settings');

    // The exports: the same files (Flagger canaries, overlays per stand…), byte for byte.
    const dir = mkdtempSync(join(tmpdir(), 'seed-by-hand-'));
    const mine = k8sExport(drawn, mkdtempSync(join(dir, 'drawn-')));
    const theirs = k8sExport(template, mkdtempSync(join(dir, 'template-')));
    const files = filesUnder(mine);
    assert.deepEqual(files, filesUnder(theirs), 'the same Kubernetes files');
    assert.ok(files.filter((f) => f.endsWith('canaries.yaml')).length >= 5, `Flagger canaries exported: ${files}`);
    // The page numbers its nodes (workload-3); the template names them (s1-flagger). The
    // exports say which node each object came from: read those through the plan's keys.
    const keyOf = Object.fromEntries(Object.entries(ids).map(([key, id]) => [id, key]));
    const asPlanned = (text) => text.replace(/(infracanvas\.io\/node-id: )(\S+)/g, (_, k, id) => k + (keyOf[id] ?? id));
    for (const f of files) {
      assert.equal(asPlanned(readFileSync(join(mine, f), 'utf8')), readFileSync(join(theirs, f), 'utf8'), f);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
