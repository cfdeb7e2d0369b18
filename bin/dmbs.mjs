#!/usr/bin/env node
// The `dmbs` command. The TypeScript sources are bundled by `npm run build` (run by `npm ci`/`npm install`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/dmbs.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('dmbs: the CLI is not built yet; run `npm run build` (npm ci does it)\n');
  process.exit(2);
}
await import(bundle.href);
