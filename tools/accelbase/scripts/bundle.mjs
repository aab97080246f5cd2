// The build's second step (after tsc): the CLI as a few files, so a command loads a handful of
// chunks instead of ~300 modules (zod, yaml, execa...). Commands still load on first use: each
// dynamic import in the command table (cli/table/commands.ts) stays its own chunk. Writes dist/cli-bundle/ and its build-id
// (sha256 of the chunks), which the render stamp keys on. bin/accelbase.js prefers this bundle.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

const dist = join(import.meta.dirname, '..', 'dist');
const out = join(dist, 'cli-bundle');
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
await build({
  input: join(dist, 'cli', 'main.js'),
  platform: 'node',
  logLevel: 'warn',
  output: { dir: tmp, format: 'esm', entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js', sourcemap: false },
});
const hash = createHash('sha256');
for (const f of readdirSync(tmp).sort()) hash.update(`${f}\0`).update(readFileSync(join(tmp, f)));
writeFileSync(join(tmp, 'build-id'), `${hash.digest('hex')}\n`);
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
