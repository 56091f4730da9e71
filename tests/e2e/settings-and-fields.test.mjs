// The design settings panel's environments (add, rename, reorder, production, delete with a
// question that counts what goes) and the inspector's typed fields for rollouts, ports,
// probes, per-stand settings, jurisdictions and networks: every bad entry is refused at the field with a sentence and
// never reaches the design; good ones do, and the export follows.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, pageServer, screenshot } from './lib/browser.mjs';
import { designJson, loadTemplate, openEditor } from './lib/editor.mjs';

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

/** Types `text` and expects the field to refuse it with a message matching `says`. */
async function refused(page, testid, text, says) {
  await field(page, testid).fill(text);
  const error = page.locator(`[data-testid="${testid}-error"]`);
  await error.waitFor();
  assert.match(await error.textContent(), says, `${testid}: "${text}"`);
  assert.equal(await field(page, testid).getAttribute('aria-invalid'), 'true');
}

async function accepted(page, testid, text) {
  await field(page, testid).fill(text);
  await page.locator(`[data-testid="${testid}-error"]`).waitFor({ state: 'detached' });
}

test('environments: add, rename (the id follows a new name), reorder, production, delete asks and counts', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  try {
    await loadTemplate(page, 'site-builder');
    // With a node selected the inspector shows the node; the design's name leads to the
    // design's settings.
    await page.click('[data-testid=node][data-id=prod-frontend] > .node-body');
    await page.locator('[data-testid=design-form]').waitFor({ state: 'detached' });
    await page.click('[data-testid=design-name]');
    await page.locator('[data-testid=design-form]').waitFor();
    const before = await designJson(page);
    const ids = () => page.locator('[data-testid=environment-row] [data-testid^=environment-id-]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(await ids(), before.environments.map((e) => e.id));

    // A new stand: its id follows the name typed (Cyrillic transliterated).
    await page.click('[data-testid=environment-add]');
    const last = before.environments.length;
    await page.locator(`[data-testid=environment-name-${last}]`).fill('Нагрузка');
    assert.equal(await page.locator(`[data-testid=environment-id-${last}]`).inputValue(), 'nagruzka');
    // An id that is taken or not Latin is refused at the field.
    await page.locator(`[data-testid=environment-id-${last}]`).fill(before.environments[0].id);
    await page.locator(`[data-testid=environment-id-${last}-error]`).waitFor();
    assert.match(await page.locator(`[data-testid=environment-id-${last}-error]`).textContent(), /already has an environment/);
    await page.locator(`[data-testid=environment-id-${last}]`).fill('нагрузка');
    assert.match(await page.locator(`[data-testid=environment-id-${last}-error]`).textContent(), /Latin letters/);
    await page.locator(`[data-testid=environment-id-${last}]`).fill('load');
    await page.locator(`[data-testid=environment-id-${last}-error]`).waitFor({ state: 'detached' });
    await page.locator(`[data-testid=environment-production-${last}]`).check();
    assert.deepEqual((await designJson(page)).environments[last], { id: 'load', name: 'Нагрузка', production: true });
    await page.locator(`[data-testid=environment-production-${last}]`).uncheck();

    // Up moves it one place earlier; the design's order follows.
    await page.click(`[data-testid=environment-up-${last}]`);
    const order = await ids();
    assert.equal(order[last - 1], 'load');
    assert.deepEqual((await designJson(page)).environments.map((e) => e.id), order);

    // Deleting the unused stand needs no question.
    await page.click(`[data-testid=environment-delete-${last - 1}]`);
    assert.deepEqual(await ids(), before.environments.map((e) => e.id));

    // Deleting dev, which workloads override and a cluster serves, asks first and counts.
    const dev = before.environments.findIndex((e) => e.id === 'dev');
    const overrides = before.nodes.filter((n) => n.props?.overrides?.dev).length;
    const clusters = before.nodes.filter((n) => n.props?.environment === 'dev').length;
    assert.ok(overrides > 0 && clusters > 0, 'the template overrides dev');
    await page.click(`[data-testid=environment-delete-${dev}]`);
    const question = page.locator('[data-testid=environment-delete-question]');
    await question.waitFor();
    const text = await question.textContent();
    assert.match(text, new RegExp(`${overrides} workload overrides? and ${clusters} clusters?`));
    await screenshot(page, 'settings-delete-question.png');
    await page.click('[data-testid=environment-delete-cancel]');
    assert.deepEqual((await designJson(page)).environments, before.environments, 'Keep keeps it');
    await page.click(`[data-testid=environment-delete-${dev}]`);
    await page.click('[data-testid=environment-delete-confirm]');
    const after = await designJson(page);
    assert.ok(!after.environments.some((e) => e.id === 'dev'));
    assert.ok(!after.nodes.some((n) => n.props?.overrides?.dev || n.props?.environment === 'dev'), 'no reference to dev is left');
    // One undo brings it all back.
    await page.click('[data-testid=undo]');
    assert.deepEqual(await designJson(page), before);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('rollout, port, probe and per-stand fields refuse bad entries and write good ones', async () => {
  const { context, page, problems } = await openEditor(browser, server.url);
  try {
    await loadTemplate(page, 'furniture-canary');
    await page.click('[data-testid=node][data-id=s1-customer-app] > .node-body');
    const before = await designJson(page);

    // Canary steps: within 1–100 and the step at most the maximum.
    await refused(page, 'field-canary-step', '0', /from 1 to 100/);
    await refused(page, 'field-canary-step', '60', /at most the maximum weight \(50 %\)/);
    await refused(page, 'field-canary-max', '5', /at least the step \(10 %\)/);
    await refused(page, 'field-ports', 'HTTP:8080', /Port name `HTTP`/);
    await refused(page, 'field-ports', '8080, 8080', /listed twice/);
    await refused(page, 'field-liveness', '/healthz', /a port and, for an HTTP check, a path/);
    await refused(page, 'field-tag', '2.4 beta', /a tag is Latin letters/);
    await refused(page, 'field-host', 'магазин.рф', /punycode/);
    await page.locator('[data-testid=inspector] summary', { hasText: 'Resources' }).click();
    await refused(page, 'field-memory-limit', '512MB', /memory is bytes with a unit/);
    await refused(page, 'field-cpu-request', '250Mi', /CPU is cores/);
    await page.locator('[data-testid=inspector] summary', { hasText: 'Analysis' }).click();
    await refused(page, 'field-analysis-success', '101', /from 1 to 100/);
    await page.locator('[data-testid=inspector] [data-testid=override-load] > summary').click();
    await refused(page, 'field-override-autoscaling-load', '12-2', /below the minimum/);
    await refused(page, 'field-override-resources-load', '250m', /CPU request\/limit, memory request\/limit/);
    await screenshot(page, 'fields-refused.png');
    assert.deepEqual(await designJson(page), before, 'nothing refused reached the design');

    await accepted(page, 'field-canary-step', '20');
    await accepted(page, 'field-canary-max', '80');
    await accepted(page, 'field-analysis-latency', '250');
    await accepted(page, 'field-ports', 'http:8080, metrics:9090/tcp');
    await accepted(page, 'field-override-autoscaling-load', '3-9 @ 55%');
    await accepted(page, 'field-override-resources-load', '250m/1, 256Mi/1Gi');
    const app = (await designJson(page)).nodes.find((n) => n.id === 's1-customer-app').props;
    assert.deepEqual(app.strategy, { type: 'canary', step_weight: 20, max_weight: 80 });
    assert.deepEqual(app.analysis, { max_latency_ms: 250 });
    assert.deepEqual(app.ports, [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090, protocol: 'tcp' }]);
    assert.deepEqual(app.overrides.load.autoscaling, { min: 3, max: 9, target_cpu: 55 });
    assert.deepEqual(app.overrides.load.resources, { cpu_request: '250m', cpu_limit: '1', memory_request: '256Mi', memory_limit: '1Gi' });

    // A/B: flags and header rules; a header name that is not a token is refused.
    await page.click('[data-testid=node][data-id=staff-web] > .node-body');
    await refused(page, 'field-ab-headers', 'x beta=on', /not a header name/);
    await accepted(page, 'field-ab-headers', 'X-Beta=on, x-group: staff');
    const web = (await designJson(page)).nodes.find((n) => n.id === 'staff-web').props;
    assert.deepEqual(web.strategy.headers, [
      { header: 'x-beta', value: 'on' },
      { header: 'x-group', value: 'staff' },
    ]);
    // Blue-green shows its analysis with the iterations; recreate says what it means.
    await field(page, 'field-strategy').selectOption('blue_green');
    await page.locator('[data-testid=inspector] summary', { hasText: 'Analysis' }).click();
    await accepted(page, 'field-analysis-iterations', '20');
    await field(page, 'field-strategy').selectOption('recreate');
    assert.match(await page.locator('[data-testid=strategy-details]').textContent(), /stops every old replica/);
    await screenshot(page, 'fields-recreate.png');

    // Places: jurisdictions are ISO codes, subnets IPv4 networks.
    await page.click('[data-testid=node][data-id=db-customers] > .node-body');
    await refused(page, 'field-jurisdiction', 'Russia', /two-letter ISO country code/);
    await accepted(page, 'field-jurisdiction', 'kz');
    assert.equal(await field(page, 'field-jurisdiction').inputValue(), 'KZ');
    await page.click('[data-testid=node][data-id=external] > .node-body', { position: { x: 30, y: 8 } });
    await refused(page, 'field-cidr', '10.1.2.3/16', /host bits set: the network is 10\.1\.0\.0\/16/);
    const places = await designJson(page);
    assert.equal(places.nodes.find((n) => n.id === 'db-customers').props.jurisdiction, 'KZ');
    assert.equal(places.nodes.find((n) => n.id === 'external').props.cidr, '10.1.0.0/16');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
