#!/usr/bin/env node
// Serve a built page directory on 127.0.0.1 and print its URL on the first
// line of stdout. Usage: node scripts/serve-dist.mjs [DIR=dist] [PORT=0]
// PORT 0 picks a free port. Stops on SIGTERM / SIGINT.

import { startStaticServer } from '../tests/e2e/lib/static-server.mjs';

const [dir = 'dist', port = '0'] = process.argv.slice(2);
const server = await startStaticServer(dir, { port: Number(port) });
process.stdout.write(`${server.url}\n`);

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, async () => {
    await server.close();
    process.exit(0);
  });
}
