import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { deleteManifest, deletionAllowed, getManifest, indexPlatforms, listTags, splitRepository } from './registry.js';

// A registry double on 127.0.0.1 speaking the distribution API's wire format.
const index = {
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { digest: 'sha256:a', platform: { os: 'linux', architecture: 'amd64' } },
    { digest: 'sha256:b', platform: { os: 'linux', architecture: 'arm64' } },
    {
      digest: 'sha256:c',
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    },
  ],
};
let port = 0;
const accepts: string[] = [];
const deletes: string[] = [];
/** DELETE answers as docker-registry gives them: `ro` has deletion disabled, `rw` enabled, `locked` wants a login. */
const DELETE_ANSWERS: Record<string, [number, string]> = {
  ro: [405, '{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}'],
  rw: [404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'],
  locked: [401, '{"errors":[{"code":"UNAUTHORIZED"}]}'],
};
const server = createServer((req, res) => {
  if (req.method === 'DELETE') {
    deletes.push(req.url ?? '');
    const repo = /^\/v2\/ab\/([a-z]+)\/manifests\//.exec(req.url ?? '')?.[1] ?? '';
    const present = req.url?.endsWith(`sha256:${'e'.repeat(64)}`);
    const [status, body] = present ? [202, ''] : (DELETE_ANSWERS[repo] ?? [404, '']);
    res.statusCode = status;
    return res.end(body);
  }
  if (req.url === '/v2/ab/opencl-pocl/tags/list')
    return res.end(JSON.stringify({ name: 'ab/opencl-pocl', tags: ['trixie-20261128', 'sha-860c190'] }));
  if (req.url === '/v2/ab/opencl-pocl/manifests/sha-860c190') {
    accepts.push(req.headers.accept ?? '');
    res.setHeader('docker-content-digest', 'sha256:idx');
    return res.end(JSON.stringify(index));
  }
  res.statusCode = 404;
  res.end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

test('tags, sorted; an unknown repository has none', async () => {
  expect(await listTags(`127.0.0.1:${port}/ab/opencl-pocl`)).toEqual(['sha-860c190', 'trixie-20261128']);
  expect(await listTags(`127.0.0.1:${port}/ab/nothing`)).toEqual([]);
});

test('an index: both list types accepted, attestations are not platforms', async () => {
  const m = await getManifest(`127.0.0.1:${port}/ab/opencl-pocl`, 'sha-860c190');
  expect(m.digest).toBe('sha256:idx');
  expect(indexPlatforms(m.body)).toEqual(['linux/amd64', 'linux/arm64']);
  expect(accepts[0]).toContain('application/vnd.oci.image.index.v1+json');
  expect(accepts[0]).toContain('application/vnd.docker.distribution.manifest.list.v2+json');
});

test.each([
  ['127.0.0.1:5000/acceleratorbase/x', 'http://127.0.0.1:5000', 'acceleratorbase/x'],
  ['localhost:5000/a/b', 'http://localhost:5000', 'a/b'],
  ['registry.example.com/a/b', 'https://registry.example.com', 'a/b'],
  // Docker's rule for the first component: localhost is a host even without a port.
  ['localhost/a/b', 'http://localhost', 'a/b'],
  ['[::1]:5000/a', 'http://[::1]:5000', 'a'],
])('splitRepository(%s)', (repo, base, name) => {
  expect(splitRepository(repo)).toEqual({ base, name });
});

test('a name without a registry host is refused', () => {
  expect(() => splitRepository('acceleratorbase/x')).toThrow(/no registry host/);
});

test('a reference with a tag or digest, or no reference at all, is not a repository', () => {
  expect(() => splitRepository('127.0.0.1:5000/a/b:6.0-trixie')).toThrow(/not a repository name/);
  expect(() => splitRepository(`127.0.0.1:5000/a/b@sha256:${'a'.repeat(64)}`)).toThrow(/not a repository name/);
  expect(() => splitRepository('127.0.0.1:5000/A B')).toThrow(/not a repository name/);
});

test.each([
  ['rw', true],
  ['ro', false],
])('deletionAllowed: %s registry -> %s, probing with a digest no manifest has', async (repo, allowed) => {
  deletes.length = 0;
  expect(await deletionAllowed(`127.0.0.1:${port}/ab/${repo}`)).toBe(allowed);
  expect(deletes).toHaveLength(1);
  expect(deletes[0]).toMatch(new RegExp(`^/v2/ab/${repo}/manifests/sha256:[0-9a-f]{64}$`));
});

test('deletionAllowed: any other answer is an error naming it', async () => {
  await expect(deletionAllowed(`127.0.0.1:${port}/ab/locked`)).rejects.toThrow(/HTTP 401 UNAUTHORIZED/);
});

test.each([
  ['e', 'deleted'],
  ['f', 'absent'],
])('deleteManifest of sha256:%s... -> %s', async (c, outcome) => {
  expect(await deleteManifest(`127.0.0.1:${port}/ab/rw`, `sha256:${c.repeat(64)}`)).toBe(outcome);
});

test('deleteManifest: a refusal is an error with its code', async () => {
  await expect(deleteManifest(`127.0.0.1:${port}/ab/ro`, `sha256:${'f'.repeat(64)}`)).rejects.toThrow(
    /HTTP 405 UNSUPPORTED/,
  );
});
