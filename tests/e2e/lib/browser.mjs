// Shared helpers for the browser end-to-end tests: Debian's Chromium driven by
// playwright-core (never `playwright install`: no browser downloads).

import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHOTS_DIR = resolve(REPO_ROOT, 'target', 'e2e');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The page under test: E2E_BASE_URL if set (the Makefile serves dist/), else serve dist/ here. */
export async function pageServer() {
  if (process.env.E2E_BASE_URL) {
    return { url: process.env.E2E_BASE_URL, close: async () => {} };
  }
  return startStaticServer(resolve(REPO_ROOT, process.env.E2E_DIST ?? 'dist'));
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Open a fresh page that records console errors and uncaught page errors.
 * Requests to anything but the page's own origin are aborted and recorded:
 * the page must not reach the network.
 */
export async function openPage(browser, baseUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(baseUrl).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    problems.push(`external request blocked: ${url}`);
    return route.abort();
  });
  return { context, page, problems };
}

export async function screenshot(page, name) {
  await mkdir(SHOTS_DIR, { recursive: true });
  const path = resolve(SHOTS_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
