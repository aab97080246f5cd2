// `npm run bench`: speed and size ratios, all measured in this one run. Not a test: nothing here fails on a number.
import { join } from 'node:path';
import { benchCatalog } from './catalog.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const c = await benchCatalog(repoRoot, bin);
console.log('render');
console.log(`  node -e 0                      ${fmt(c.nodeMs)}`);
console.log(`  accelbase render (real catalog) ${fmt(c.renderMs)}`);
console.log(`  ratio render / bare node        ${(c.renderMs / c.nodeMs).toFixed(2)}`);
console.log(`  render 100 images (in process)  ${fmt(c.r100Ms)}`);
console.log(`  render 1000 images (in process) ${fmt(c.r1000Ms)}`);
console.log(`  ratio render(1000) / render(100) ${(c.r1000Ms / c.r100Ms).toFixed(2)}  (linear is 10)`);
