import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveRunConfig } from '../config/run-config.js';
import { catalogFile, loaded, plan } from '../pick/fixtures/catalog.js';
import { showImage } from '../pick/show.js';
import { parse } from './args.js';
import type { Context } from './context.js';
import { k8s } from './k8s.js';
import { show } from './show.js';
import { tags } from './tags.js';

const commands = { tags, show, k8s };

// tags, show and k8s, against a registry double on 127.0.0.1 (distribution API wire format).

const digests: Record<string, string> = {
  'ab/opencl-pocl:6.0-trixie': `sha256:${'1'.repeat(64)}`,
  'ab/vulkan-lavapipe:25.0.7-trixie-20261201': `sha256:${'2'.repeat(64)}`,
};
const registryTags: Record<string, string[]> = {
  'ab/opencl-pocl': ['6.0-trixie', 'sha-860c190', 'trixie'],
  'ab/vulkan-lavapipe': ['25.0.7-trixie-20261128', '25.0.7-trixie-20261201', 'sha-860c190'],
};
const server = createServer((req, res) => {
  const tagsList = /^\/v2\/(.+)\/tags\/list$/.exec(req.url ?? '');
  if (tagsList && registryTags[tagsList[1]])
    return res.end(JSON.stringify({ name: tagsList[1], tags: registryTags[tagsList[1]] }));
  const manifest = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(req.url ?? '');
  const digest = manifest && digests[`${manifest[1]}:${manifest[2]}`];
  if (digest) {
    res.setHeader('docker-content-digest', digest);
    return res.end(JSON.stringify({ mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
  }
  res.statusCode = 404;
  res.end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
});
let registry = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}/ab`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function cli(command: 'tags' | 'show' | 'k8s', ...args: string[]): Promise<{ code: number; stdout: string }> {
  const parsed = parse([command, '--catalog', catalogFile, ...args]);
  let stdout = '';
  // An empty environment: no ACCELBASE_REGISTRY of the machine running the tests applies.
  const config = resolveRunConfig(parsed.flags, {});
  const ctx: Context = { command, flags: parsed.flags, args: parsed.args, out: (t) => void (stdout += t), config };
  const code = await commands[command](ctx);
  return { code, stdout };
}

describe('commands', () => {
  test('tags --registry: the tag that exists there, build tags standing in for floating ones, missing ones marked', async () => {
    const r = await cli('tags', '--registry', registry, '--dist', 'trixie', '--json');
    const images = JSON.parse(r.stdout).images as { name: string; tag: string; inRegistry: boolean; from: string }[];
    expect(images.filter((i) => i.inRegistry).map((i) => [i.name, i.from])).toEqual([
      ['vulkan-lavapipe', `FROM ${registry}/vulkan-lavapipe:25.0.7-trixie-20261201`],
      ['opencl-pocl', `FROM ${registry}/opencl-pocl:6.0-trixie`],
    ]);
    expect(images.find((i) => i.name === 'cuda-runtime')).toMatchObject({ inRegistry: false, tag: '12.4.127-trixie' });
    const text = (await cli('tags', '--registry', registry, '--dist', 'trixie')).stdout;
    expect(text).toContain(`    FROM ${registry}/opencl-pocl:6.0-trixie\n`);
    expect(text).toContain(
      `cuda-runtime     amd64,arm64  trixie    libcudart12 12.4.127~12.4.1-2\n    # not in ${registry}: no 12.4.127-trixie tag (nor 12.4.127-trixie-YYYYMMDD)\n`,
    );
  });

  test('tags --pin: FROM repo:tag@sha256', async () => {
    const r = await cli(
      'tags',
      '--registry',
      registry,
      '--pin',
      '--arch',
      'amd64,arm64',
      '--runtime',
      'pocl-opencl-icd@^6',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`    FROM ${registry}/opencl-pocl:6.0-trixie@sha256:${'1'.repeat(64)}\n`);
    const j = JSON.parse(
      (await cli('tags', '--registry', registry, '--pin', '--accelerator', 'vulkan', '--json')).stdout,
    );
    expect(j.images[0]).toMatchObject({
      tag: '25.0.7-trixie-20261201',
      digest: `sha256:${'2'.repeat(64)}`,
      inRegistry: true,
    });
  });

  test.each([
    [
      ['--registry', 'REGISTRY', '--accelerator', 'edgetpu'],
      /none of the matching images is in 127\.0\.0\.1:\d+\/ab: .*edgetpu-max:bullseye/,
    ],
    [['--pin'], /--pin needs a registry to read from: --registry HOST\[:PORT\]\/NAMESPACE \(got "acceleratorbase"\)/],
    [
      ['--arch', 'arm64', '--accelerator', 'onnxruntime', '--variant', 'gpu'],
      /onnxruntime-gpu is amd64 only; closest: onnxruntime-cpu \(arm64\)/,
    ],
    [['extra'], /usage: accelbase tags/],
  ])('tags %j refuses', async (args, message) => {
    await expect(cli('tags', ...args.map((a) => (a === 'REGISTRY' ? registry : a)))).rejects.toThrow(message);
  });

  test('show and show --json', async () => {
    const text = await cli('show', 'acceleratorbase/edgetpu-max');
    expect(text.stdout).toContain('chain:       edgetpu-max -> minideb-bullseye (acceleratorbase/minideb:bullseye)');
    const json = JSON.parse((await cli('show', 'edgetpu-max:bullseye', '--json')).stdout);
    expect(json).toEqual(JSON.parse(JSON.stringify(showImage(plan, loaded.model, 'edgetpu-max'))));
    await expect(cli('show', 'edgetpu-max:1-bullseye')).rejects.toThrow('edgetpu-max has no tag "1-bullseye"');
    await expect(cli('show')).rejects.toThrow(/usage: accelbase show IMAGE\[:TAG\]/);
  });
});
