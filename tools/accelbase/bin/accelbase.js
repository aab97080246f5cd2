#!/usr/bin/env node
// The bundled CLI (dist/cli-bundle, `npm run build`) when it is there, else tsc's output.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/cli-bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundled) ? bundled.href : '../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
