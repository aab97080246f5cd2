import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { describePrune } from '../cli/prune.js';
import { UserError } from '../errors.js';
import type { RetainedImage } from '../plan/retention.js';
import { recordingReporter, silentReporter } from '../reporter.js';
import { pruneRegistry } from './prune.js';

// A registry double on 127.0.0.1: one repository whose three nights each tag an index of one
// platform; `deletable` says whether DELETE is enabled. It records every DELETE it is sent.
const d = (c: string) => `sha256:${c.repeat(64)}`;
const manifests: Record<string, object> = {
  [d('1')]: { mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: d('a') }] },
  [d('2')]: { mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: d('b') }] },
  [d('3')]: { mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: d('c') }] },
};
const tags: Record<string, string> = {
  'trixie-20261101': d('1'),
  'trixie-20261102': d('2'),
  'trixie-20261103': d('3'),
  'sha-1111111': d('1'),
  trixie: d('3'),
};
let deletable = true;
const deletes: string[] = [];
const server = createServer((req, res) => {
  const url = req.url ?? '';
  if (url === '/v2/ns/app/tags/list') return res.end(JSON.stringify({ name: 'ns/app', tags: Object.keys(tags) }));
  const ref = /^\/v2\/ns\/app\/manifests\/(.+)$/.exec(url)?.[1];
  if (req.method === 'DELETE') {
    deletes.push(ref ?? url);
    res.statusCode = deletable ? (ref && manifests[ref] ? 202 : 404) : 405;
    return res.end(deletable ? '' : '{"errors":[{"code":"UNSUPPORTED"}]}');
  }
  const digest = ref && (tags[ref] ?? ref);
  if (digest && manifests[digest]) {
    res.setHeader('docker-content-digest', digest);
    res.setHeader('content-type', 'application/vnd.oci.image.index.v1+json');
    return res.end(JSON.stringify(manifests[digest]));
  }
  res.statusCode = 404;
  res.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
});
let images: RetainedImage[] = [];
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  images = [
    {
      name: 'app',
      repository: `127.0.0.1:${port}/ns/app`,
      dist: 'trixie',
      floating: ['trixie'],
      retired: false,
      lockDigests: [],
    },
  ];
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  deletes.length = 0;
  deletable = true;
});

describe('pruneRegistry against a registry double', () => {
  test.each<[string, boolean, boolean, string[]]>([
    ['--dry-run sends no DELETE at all', true, true, []],
    ['a registry refusing DELETE gets only the probe', false, false, ['probe']],
    ['otherwise: the probe, then the old index and its platform', false, true, ['probe', d('1'), d('a')]],
  ])('%s', async (_why, dryRun, allowed, expected) => {
    deletable = allowed;
    const run = pruneRegistry(images, 2, silentReporter, { dryRun });
    if (allowed) {
      const outcome = await run;
      expect(outcome.deleted).toBe(2);
      expect([outcome.tagsBefore, outcome.tagsAfter]).toEqual([5, 3]);
    } else await expect(run).rejects.toThrow(UserError);
    expect(deletes.map((x) => (x === d('1') || x === d('a') ? x : 'probe'))).toEqual(expected);
  });

  test('the refusal names the registry and how to enable deletion', async () => {
    deletable = false;
    await expect(pruneRegistry(images, 2, recordingReporter())).rejects.toThrow(
      /registry 127\.0\.0\.1:[0-9]+ refuses DELETE .*nothing was deleted.*storage: \{ delete: \{ enabled: true \} \}/,
    );
  });

  test('the text summary: kept tags with their reasons, deleted ones, the counts', async () => {
    const text = describePrune(await pruneRegistry(images, 2, silentReporter, { dryRun: true }));
    expect(text).toContain('keep    trixie -> sha256:333333333333: floating tag of app');
    expect(text).toContain('keep    trixie-20261102 -> sha256:222222222222: one of the 2 newest build tags of app');
    expect(text).toContain('delete  sha-1111111 -> sha256:111111111111');
    expect(text).toContain('delete  trixie-20261101 -> sha256:111111111111');
    expect(text).toContain('digests deleted: 1 image, 1 platform manifest, 0 SBOM manifests');
    expect(text).toMatch(/would delete 2 manifests; tags 5 -> 3\n$/);
  });
});
