// Trunk post-build hook (Trunk.toml): gives the page a Content-Security-Policy that allows
// only what it needs, and makes that possible by moving Trunk's inline boot script into a
// file of its own (a policy without 'unsafe-inline' would block it).
//
// Policy: scripts and styles from the page's own origin only, wasm compilation allowed
// ('wasm-unsafe-eval'), the export worker from the same origin, downloads as blob: URLs, no
// network beyond the origin, no plugins, no <base> tricks, no form posts.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)');
  process.exit(1);
}
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) {
  console.error('csp.mjs: no inline boot script found in index.html; did Trunk change its output?');
  process.exit(1);
}
const body = found[1];
const digest = createHash('sha384').update(body).digest();
const file = `boot-${digest.toString('hex').slice(0, 16)}.js`;
writeFileSync(join(dir, file), body);
const integrity = `sha384-${digest.toString('base64')}`;
html = html.replace(inline, `<script type="module" src="/${file}" integrity="${integrity}"></script>`);

if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error('csp.mjs: an inline script is left in index.html');
  process.exit(1);
}
const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`;
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    ${meta}`);
if (!html.includes(meta)) {
  console.error('csp.mjs: could not place the policy after <meta charset>');
  process.exit(1);
}
writeFileSync(indexPath, html);
console.log(`csp.mjs: boot script moved to ${file}; policy set`);
