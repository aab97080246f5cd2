#!/usr/bin/env node
// The bundled CLI (dist/cli-bundle, `npm run build`) when it is there and not older than tsc's
// last build (tsc -b rewrites .tsbuildinfo whenever it emits: a bare `tsc -b` after an edit must
// not run yesterday's bundle), else tsc's output.
import { statSync } from 'node:fs';

const bundled = new URL('../dist/cli-bundle/main.js', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const tscBuild = new URL('../dist/.tsbuildinfo', import.meta.url);
const mtime = (u) => statSync(u, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const { main } = await import(mtime(bundled) >= mtime(tscBuild) ? bundled.href : compiled.href);
process.exitCode = await main(process.argv.slice(2));
