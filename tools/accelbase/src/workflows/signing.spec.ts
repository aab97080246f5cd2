import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fixtureLock, fixtureModel } from '../catalog/fixtures/load.js';
import { resolveRunConfig } from '../config/run-config.js';
import { UserError } from '../errors.js';
import { planImages } from '../plan/plan.js';
import { recordingReporter } from '../reporter.js';
import { rootfsFacts } from '../rootfs/paths.js';
import { indexPredicates, openRunSigning, type SigningFacts } from './signing.js';
import type { BuildResult } from './state.js';
import type { OpenWorkspace } from './workspace.js';

const NS = '127.0.0.1:5000/ab';
const plan = planImages(fixtureModel, fixtureLock, { namespace: NS });
const d = (c: string) => `sha256:${c.repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), 'accelbase-signing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the run signer', () => {
  test('without ACCELBASE_SIGNING_KEY nothing is signed, and the run says so once', async () => {
    const reporter = recordingReporter();
    expect(await openRunSigning({ config: resolveRunConfig({}, {}), reporter })).toBeUndefined();
    expect(reporter.lines).toEqual(['signing: ACCELBASE_SIGNING_KEY is not set: the pushed indexes are not signed']);
  });

  test('a key that cannot be used is a UserError before anything runs', async () => {
    const config = resolveRunConfig(
      {},
      { ACCELBASE_SIGNING_KEY: join(dir, 'absent.key'), ACCELBASE_ENGINE_HOME: join(dir, 'engine') },
    );
    await expect(openRunSigning({ config, reporter: recordingReporter() })).rejects.toThrow(UserError);
  });
});

describe("an index's predicates", () => {
  const catalogFile = join(dir, 'catalog.yaml');
  writeFileSync(catalogFile, 'the catalog bytes\n');
  // What indexPredicates reads of an open workspace: the plan, the lock and the catalog file.
  const ws = {
    root: dir,
    plan,
    lock: fixtureLock,
    model: fixtureModel,
    ws: { catalogFile },
  } as unknown as OpenWorkspace;
  const image = plan.images.find((i) => i.name === 'opencl-pocl')!;
  const base = plan.images.find((i) => i.name === image.base!.name)!;
  const installed = { 'linux/amd64': { libc6: '2.41-12' }, 'linux/arm64': { libc6: '2.41-12' } };
  const result = (name: string, repository: string, digest: string): BuildResult => ({
    image: name,
    repository,
    platforms: ['linux/amd64', 'linux/arm64'],
    status: 'built',
    digest,
    tags: [`${repository}:x-20261202`],
    durationS: 1,
    installed,
  });
  const results = new Map([
    [base.name, result(base.name, base.repository, d('1'))],
    [image.name, result(image.name, image.repository, d('2'))],
  ]);
  const facts = (date: string): SigningFacts => ({
    ws,
    revision: 'a'.repeat(40),
    date,
    lockHash: d('3'),
    sbomFacts: {
      plan,
      catalog: fixtureModel.catalog,
      lock: fixtureLock,
      pushed: () => undefined,
      tool: { name: 'accelbase', version: '0.0.0' },
    },
  });

  test('one SPDX SBOM per platform and the provenance, naming the base by the digest the build used', async () => {
    const predicates = await indexPredicates(image, results.get(image.name)!, results, facts('20261202'));
    expect(predicates.map((p) => `${p.type} ${p.label}`)).toEqual([
      'spdxjson linux/amd64',
      'spdxjson linux/arm64',
      'slsaprovenance1 provenance',
    ]);
    expect(JSON.stringify(predicates[2].predicate)).toContain(`"name":"base:${base.name}"`);
    expect(JSON.stringify(predicates[2].predicate)).toContain(d('1').slice(7));
  });

  test('the same on another night: the lock dates the SBOM, not the build, so nothing is attested again', async () => {
    const a = await indexPredicates(image, results.get(image.name)!, results, facts('20261202'));
    const b = await indexPredicates(image, results.get(image.name)!, results, facts('20261203'));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(a[0].predicate)).toContain('2026-11-28T00:00:00Z');
  });

  test("minideb's provenance names the root filesystem tarball its facts file records", async () => {
    const facts1 = join(dir, rootfsFacts(base.dist, 'amd64'));
    mkdirSync(dirname(facts1), { recursive: true });
    writeFileSync(facts1, JSON.stringify({ sha256: 'f'.repeat(64) }));
    const predicates = await indexPredicates(base, results.get(base.name)!, results, facts('20261202'));
    const text = JSON.stringify(predicates.at(-1)!.predicate);
    expect(text).toContain(`{"name":"rootfs:linux/amd64","digest":{"sha256":"${'f'.repeat(64)}"}}`);
    expect(text).not.toContain('rootfs:linux/arm64');
  });
});
