import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { planImages } from '../plan/plan.js';
import { imagesToRebuild, type OutdatedReport } from './outdated.js';

const fixture = readFileSync(join(import.meta.dirname, '..', 'catalog', 'fixtures', 'catalog.yaml'), 'utf8');
const { model } = parseCatalog('catalog.yaml', fixture, new Set(['onnxruntime.py']));
const plan = planImages(model, emptyLock());
const report = (image: string, outdated: number): OutdatedReport => ({
  image,
  platform: 'linux/amd64',
  installed: 10,
  known: true,
  outdated: Array.from({ length: outdated }, (_, i) => ({ package: `p${i}`, installed: '1', newest: '2', suite: 'trixie-security', security: true })),
});

test('an outdated base marks itself and every image built on it, through the chain', () => {
  const minideb = plan.images.find((i) => i.kind === 'minideb' && i.dist === 'trixie')!;
  const dependants = plan.images.filter((i) => i.base && [i.base.name, plan.images.find((b) => b.name === i.base!.name)?.base?.name].includes(minideb.name)).map((i) => i.name);
  expect(dependants.length).toBeGreaterThan(0);
  const marked = imagesToRebuild(plan, [report(minideb.name, 3)]);
  expect(marked.has(minideb.name)).toBe(true);
  for (const d of dependants) expect(marked.has(d)).toBe(true);
  // Images on another distribution's minideb are not touched.
  for (const i of plan.images.filter((x) => x.dist !== 'trixie')) expect(marked.has(i.name)).toBe(false);
});

test('nothing outdated, nothing marked', () => {
  expect([...imagesToRebuild(plan, plan.images.map((i) => report(i.name, 0)))]).toEqual([]);
});
