import { describe, expect, test } from 'vitest';
import { provenancePredicate, type ProvenanceFacts } from './provenance.js';

const facts: ProvenanceFacts = {
  target: 'opencl-pocl',
  repository: '127.0.0.1:5000/acme/opencl-pocl',
  platforms: ['linux/arm64', 'linux/amd64'],
  revision: '0123456789abcdef0123456789abcdef01234567',
  catalog: `sha256:${'c'.repeat(64)}`,
  lock: `sha256:${'d'.repeat(64)}`,
  bases: [{ image: 'minideb', repository: '127.0.0.1:5000/acme/minideb', digest: `sha256:${'e'.repeat(64)}` }],
  accelbase: '0.1.0',
};

describe('the SLSA provenance v1 predicate', () => {
  const p = provenancePredicate(facts);
  const predicate = p.predicate as {
    buildDefinition: {
      externalParameters: Record<string, unknown>;
      resolvedDependencies: { name: string; digest: object }[];
    };
    runDetails: { builder: { id: string; version: object }; metadata: object };
  };

  test('is cosign type slsaprovenance1', () => {
    expect([p.type, p.uri]).toEqual(['slsaprovenance1', 'https://slsa.dev/provenance/v1']);
  });

  test('names the target, the commit, the catalog, the lock and the base by digest', () => {
    expect(predicate.buildDefinition.externalParameters).toMatchObject({
      target: 'opencl-pocl',
      platforms: ['linux/amd64', 'linux/arm64'],
      revision: facts.revision,
    });
    expect(predicate.buildDefinition.resolvedDependencies).toEqual([
      { name: 'source', digest: { gitCommit: facts.revision } },
      { name: 'catalog.yaml', digest: { sha256: 'c'.repeat(64) } },
      { name: 'catalog.lock.yaml', digest: { sha256: 'd'.repeat(64) } },
      {
        name: 'base:minideb',
        uri: `oci://127.0.0.1:5000/acme/minideb@sha256:${'e'.repeat(64)}`,
        digest: { sha256: 'e'.repeat(64) },
      },
    ]);
    expect(predicate.runDetails.builder.version).toEqual({ accelbase: '0.1.0' });
  });

  test('has no clock time and is the same for the same facts (so a digest signed again gains nothing)', () => {
    const text = JSON.stringify(p.predicate);
    expect(text).not.toMatch(/startedOn|finishedOn|invocationId|\d{4}-\d{2}-\d{2}T/);
    expect(JSON.stringify(provenancePredicate({ ...facts, platforms: [...facts.platforms].reverse() }).predicate)).toBe(
      text,
    );
  });

  test('minideb names the root filesystem tarball of each platform', () => {
    const deps = (
      provenancePredicate({ ...facts, bases: [], rootfs: [{ platform: 'linux/amd64', sha256: 'f'.repeat(64) }] })
        .predicate as { buildDefinition: { resolvedDependencies: { name: string }[] } }
    ).buildDefinition.resolvedDependencies;
    expect(deps.at(-1)).toEqual({ name: 'rootfs:linux/amd64', digest: { sha256: 'f'.repeat(64) } });
  });

  test('outside a git checkout it names no commit', () => {
    const { revision: _, ...noCommit } = facts;
    expect(JSON.stringify(provenancePredicate(noCommit).predicate)).not.toContain('gitCommit');
  });
});
