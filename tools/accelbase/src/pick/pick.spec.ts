import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import { parse } from '../cli/args.js';
import type { Context } from '../cli/context.js';
import { k8s } from '../cli/k8s.js';
import { show } from '../cli/show.js';
import { tags } from '../cli/tags.js';

const commands = { tags, show, k8s };
import {
  applyRegistryTags,
  baseChain,
  compareVersions,
  formatShow,
  formatTags,
  normalizeArch,
  parseRuntime,
  pickTags,
  pinCandidate,
  resolveImage,
  showImage,
  upstreamSemver,
  type TagQuery,
} from './pick.js';
import { planImages } from '../plan/plan.js';

// The real catalog and lock: what app authors pick from.
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const catalogFile = join(repoRoot, 'catalog.yaml');
const loaded = loadCatalog(workspaceFor(catalogFile));
const plan = planImages(loaded.model, loaded.lock);
const pick = (q: TagQuery) => pickTags(plan, loaded.model, q).map((c) => c.name);

describe('tags: filters', () => {
  test('no filter: every accelerator image, newest runtime first, unlocked last by name', () => {
    expect(pick({})).toEqual([
      'vulkan-lavapipe', // 25.0.7
      'cuda-devel', // 12.4.131
      'cuda-runtime', // 12.4.127
      'rocm-runtime', // 6.1.2
      'opencl-pocl', // 6.0
      'onnxruntime-cpu', // 1.21.0
      'edgetpu-max',
      'edgetpu-std',
      'onnxruntime-gpu',
    ]);
  });

  test.each<[string, TagQuery, string[]]>([
    ['accelerator', { accelerator: 'cuda' }, ['cuda-devel', 'cuda-runtime']],
    ['variant', { variant: 'max' }, ['edgetpu-max']],
    ['accelerator + variant', { accelerator: 'onnxruntime', variant: 'gpu' }, ['onnxruntime-gpu']],
    ['arch arm64 drops the amd64-only image', { arch: ['arm64'], accelerator: 'onnxruntime' }, ['onnxruntime-cpu']],
    ['arch amd64', { arch: ['amd64'], accelerator: 'onnxruntime' }, ['onnxruntime-cpu', 'onnxruntime-gpu']],
    ['arch as a platform', { arch: ['linux/arm64'], accelerator: 'onnxruntime' }, ['onnxruntime-cpu']],
    ['arch alias', { arch: ['aarch64'], accelerator: 'onnxruntime' }, ['onnxruntime-cpu']],
    ['every arch must be served', { arch: ['amd64', 'arm64'], variant: 'gpu' }, []],
    ['dist', { dist: 'bullseye' }, ['edgetpu-max', 'edgetpu-std']],
    ['dist trixie with accelerator', { dist: 'trixie', accelerator: 'edgetpu' }, []],
  ])('%s', (_, query, names) => {
    if (names.length) expect(pick(query)).toEqual(names);
    else expect(() => pick(query)).toThrow(/^no image/);
  });

  test('each entry: repository, most specific floating tag, platforms, runtime versions and the FROM line', () => {
    const [pocl] = pickTags(plan, loaded.model, { accelerator: 'opencl' });
    expect(pocl).toEqual({
      name: 'opencl-pocl',
      accelerator: 'opencl',
      variant: 'pocl',
      dist: 'trixie',
      repository: 'acceleratorbase/opencl-pocl',
      tag: '6.0-trixie',
      tags: ['latest', 'trixie', '6-trixie', '6.0-trixie'],
      ref: 'acceleratorbase/opencl-pocl:6.0-trixie',
      from: 'FROM acceleratorbase/opencl-pocl:6.0-trixie',
      platforms: ['linux/amd64', 'linux/arm64'],
      version: '6.0',
      runtime: { name: 'pocl-opencl-icd', versions: { 'linux/amd64': '6.0-6', 'linux/arm64': '6.0-6' } },
    });
  });

  test.each([
    ['opencl', 'FROM acceleratorbase/opencl-pocl:6.0-trixie'],
    ['vulkan', 'FROM acceleratorbase/vulkan-lavapipe:25.0.7-trixie'],
    ['rocm', 'FROM acceleratorbase/rocm-runtime:6.1.2-trixie'],
    // No runtime version locked yet: the distribution is the most specific tag.
    ['edgetpu', 'FROM acceleratorbase/edgetpu-max:bullseye'],
  ])('FROM line for %s', (accelerator, from) => {
    expect(pickTags(plan, loaded.model, { accelerator })[0].from).toBe(from);
  });

  test('text: one line of facts and the FROM line per image', () => {
    expect(formatTags(pickTags(plan, loaded.model, { dist: 'bullseye' }))).toBe(
      [
        'edgetpu-max  amd64,arm64  bullseye  libedgetpu1-max (not locked yet)',
        '    FROM acceleratorbase/edgetpu-max:bullseye',
        'edgetpu-std  amd64,arm64  bullseye  libedgetpu1-std (not locked yet)',
        '    FROM acceleratorbase/edgetpu-std:bullseye',
        '',
      ].join('\n'),
    );
  });

  test('--registry names the repositories', () => {
    const other = planImages(loaded.model, loaded.lock, { namespace: 'registry.example.com/team' });
    expect(pickTags(other, loaded.model, { accelerator: 'opencl' })[0].from).toBe('FROM registry.example.com/team/opencl-pocl:6.0-trixie');
  });
});

describe('tags: --runtime', () => {
  test.each<[string, string[]]>([
    ['pocl-opencl-icd@^6', ['opencl-pocl']],
    ['pocl-opencl-icd@6.0.x', ['opencl-pocl']],
    ['pocl-opencl-icd', ['opencl-pocl']],
    ['mesa-vulkan-drivers@~25.0', ['vulkan-lavapipe']],
    ['python3-onnxruntime@>=1.20 <2', ['onnxruntime-cpu']],
    // The epoch is not part of the upstream version: 1:2.2.4+ds-1 is 2.2.4.
    ['python3-numpy@^2', ['onnxruntime-gpu']],
    // ~12.4.1-2 is Debian's, not upstream's: 12.4.127.
    ['libcudart12@12.4.127', ['cuda-devel', 'cuda-runtime', 'onnxruntime-gpu']],
    // Inherited from the base: cuda-devel and onnxruntime-gpu are built on cuda-runtime.
    ['libcudart12@^12', ['cuda-devel', 'cuda-runtime', 'onnxruntime-gpu']],
    ['python3-minimal@>=3.13', ['cuda-devel', 'cuda-runtime', 'onnxruntime-gpu']],
    ['nvidia-cuda-toolkit@>=12.4.131', ['cuda-devel']],
    // 3.0.25.02.14 coerces to 3.0.25.
    ['clinfo@3.0.25', ['opencl-pocl']],
  ])('%s', (runtime, names) => {
    expect(pick({ runtime })).toEqual(names);
  });

  test('the matched package is reported beside the runtime', () => {
    const [gpu] = pickTags(plan, loaded.model, { runtime: 'libcudart12@^12', arch: ['amd64'], variant: 'gpu' });
    expect(gpu.matched).toEqual({ name: 'libcudart12', versions: { 'linux/amd64': '12.4.127~12.4.1-2' }, from: 'cuda-runtime' });
    expect(formatTags([gpu])).toContain('onnxruntime-gpu (not locked yet); libcudart12 12.4.127~12.4.1-2 (from cuda-runtime)');
  });

  test.each([
    ['pocl-opencl-icd@^6', { name: 'pocl-opencl-icd', range: '^6' }],
    ['@scope/pkg@^1', { name: '@scope/pkg', range: '^1' }],
    ['clinfo', { name: 'clinfo' }],
  ])('parseRuntime(%s)', (spec, parsed) => {
    expect(parseRuntime(spec)).toEqual(parsed);
  });

  test.each([
    ['1:2.2.4+ds-1', '2.2.4'],
    ['12.4.127~12.4.1-2', '12.4.127'],
    ['25.0.7-2+deb13u1', '25.0.7'],
    ['6.0-6', '6.0.0'],
  ])('upstreamSemver(%s) = %s', (v, want) => {
    expect(upstreamSemver(v)?.version).toBe(want);
  });

  test.each([
    ['25.0.7', '6.0', 1],
    ['12.4.131', '12.4.127', 1],
    ['6.0', '6.0.1', -1],
    ['1.21.0', '1.21.0', 0],
  ])('compareVersions(%s, %s)', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('tags: no match and bad filters', () => {
  test.each<[string, TagQuery, string]>([
    [
      'the brief example',
      { arch: ['arm64'], accelerator: 'onnxruntime', variant: 'gpu' },
      'no image for arch arm64 with accelerator onnxruntime variant gpu; onnxruntime-gpu is amd64 only; closest: onnxruntime-cpu (arm64)',
    ],
    ['variant of another accelerator', { accelerator: 'opencl', variant: 'max' }, 'no image with accelerator opencl variant max; closest: edgetpu-max, opencl-pocl'],
    ['a version range nothing satisfies', { runtime: 'pocl-opencl-icd@>=7' }, 'no image with runtime pocl-opencl-icd@>=7; opencl-pocl has pocl-opencl-icd 6.0-6'],
    [
      'unlocked packages',
      { runtime: 'python3-pycoral@<3' },
      'no image with runtime python3-pycoral@<3; edgetpu-max has python3-pycoral not locked yet (run `accelbase update`); edgetpu-std has python3-pycoral not locked yet (run `accelbase update`)',
    ],
    [
      'range and arch',
      { runtime: 'libcudart12@^13', arch: ['arm64'] },
      'no image for arch arm64 with runtime libcudart12@^13; cuda-devel has libcudart12 12.4.127~12.4.1-2 (from cuda-runtime); cuda-runtime has libcudart12 12.4.127~12.4.1-2',
    ],
    ['a known distribution no image uses', { dist: 'bookworm' }, 'no image with dist bookworm; images are built on bullseye, trixie'],
    ['distribution and accelerator', { dist: 'trixie', accelerator: 'edgetpu' }, 'no image with accelerator edgetpu dist trixie; edgetpu-max is bullseye only; edgetpu-std is bullseye only; closest: cuda-devel (trixie), cuda-runtime (trixie), onnxruntime-cpu (trixie), onnxruntime-gpu (trixie), opencl-pocl (trixie), and 2 more'],
    ['both arches', { arch: ['amd64', 'arm64'], variant: 'gpu' }, 'no image for arch amd64, arm64 with variant gpu; onnxruntime-gpu is amd64 only; closest: cuda-devel (amd64, arm64), cuda-runtime (amd64, arm64), edgetpu-max (amd64, arm64), edgetpu-std (amd64, arm64), onnxruntime-cpu (amd64, arm64), and 3 more'],
    ['unknown accelerator', { accelerator: 'edgtpu' }, 'unknown accelerator "edgtpu" (did you mean "edgetpu"?) (known: cuda, edgetpu, onnxruntime, opencl, rocm, vulkan)'],
    ['unknown variant', { variant: 'gpus' }, 'unknown variant "gpus" (did you mean "gpu"?) (known: cpu, devel, gpu, lavapipe, max, pocl, runtime, std)'],
    ['unknown distribution', { dist: 'sid' }, 'unknown distribution "sid" (known: trixie, bookworm, bullseye)'],
    ['unknown arch', { arch: ['riscv64'] }, 'unknown architecture "riscv64" (known: amd64, arm64)'],
    ['unknown package', { runtime: 'pocl@^6' }, 'no image has package "pocl"'],
    ['not a range', { runtime: 'pocl-opencl-icd@six' }, '--runtime "pocl-opencl-icd@six": "six" is not a semver range'],
    ['no name', { runtime: '@^6' }, 'expected <package>@<semver range>'],
  ])('%s', (_, query, message) => {
    expect(() => pickTags(plan, loaded.model, query)).toThrow(message);
  });
});

describe('show', () => {
  test('edgetpu-max: chain down to minideb, packages, device profile with every device, placement, smoke, tags', () => {
    const d = showImage(plan, loaded.model, 'edgetpu-max');
    expect(d).toMatchObject({
      name: 'edgetpu-max',
      repository: 'acceleratorbase/edgetpu-max',
      tag: 'bullseye',
      from: 'FROM acceleratorbase/edgetpu-max:bullseye',
      tags: ['latest', 'bullseye'],
      platforms: ['linux/amd64', 'linux/arm64'],
      chain: [
        { name: 'edgetpu-max', ref: 'acceleratorbase/edgetpu-max:bullseye' },
        { name: 'minideb-bullseye', ref: 'acceleratorbase/minideb:bullseye' },
      ],
      runtime: { name: 'libedgetpu1-max', versions: {} },
      packages: [
        { name: 'libedgetpu1-max', source: 'coral', sourceType: 'apt', locked: {} },
        { name: 'python3-pycoral', source: 'coral', sourceType: 'apt', locked: {} },
      ],
      device: { profile: 'usb', dockerRunFlags: ['-v', '/dev/bus/usb:/dev/bus/usb', '--device-cgroup-rule', 'c 189:* rmw'] },
      placement: { nodeSelector: { 'feature.node.kubernetes.io/usb-ff_1a6e_089a.present': 'true' }, resources: {} },
      smoke: { script: 'edgetpu.py', noDevice: 'no EdgeTPU device', timeout: 120 },
    });
    const text = formatShow(d);
    expect(text).toMatch(/^acceleratorbase\/edgetpu-max:bullseye\n {2}EdgeTPU at the maximum clock rate/);
    expect(text).toContain('  chain:       edgetpu-max -> minideb-bullseye (acceleratorbase/minideb:bullseye)\n');
    expect(text).toContain("  device:      usb: docker run -v /dev/bus/usb:/dev/bus/usb --device-cgroup-rule 'c 189:* rmw'\n");
    expect(text).toContain('  placement:   nodeSelector feature.node.kubernetes.io/usb-ff_1a6e_089a.present=true\n');
    expect(text).toContain('    libedgetpu1-max  (not locked yet)  [coral (apt)]\n');
  });

  test('locked versions per platform, and a chain of three', () => {
    const gpu = showImage(plan, loaded.model, 'onnxruntime-gpu');
    expect(gpu.chain.map((c) => c.name)).toEqual(['onnxruntime-gpu', 'cuda-runtime', 'minideb-trixie']);
    expect(gpu.packages.find((p) => p.name === 'python3-numpy')).toEqual({ name: 'python3-numpy', source: 'debian', sourceType: 'debian', locked: { 'linux/amd64': '1:2.2.4+ds-1' } });
    expect(gpu.packages.find((p) => p.name === 'onnxruntime-gpu')).toMatchObject({ constraint: '>=1.20 <2', locked: {} });
    expect(gpu.device.dockerRunFlags).toEqual(['--gpus', 'all']);
    const rocm = showImage(plan, loaded.model, 'rocm-runtime');
    expect(rocm.device.dockerRunFlags).toEqual(['--device', '/dev/kfd', '--device', '/dev/dri', '--group-add', 'video']);
    expect(formatShow(rocm)).toContain('  runtime:     rocminfo 6.1.2-2, tags from 6.1.2\n');
  });

  test.each([
    ['opencl-pocl', 'opencl-pocl', '6.0-trixie'],
    ['acceleratorbase/opencl-pocl', 'opencl-pocl', '6.0-trixie'],
    ['acceleratorbase/opencl-pocl:6-trixie', 'opencl-pocl', '6-trixie'],
    ['opencl-pocl:latest', 'opencl-pocl', 'latest'],
    ['minideb:bullseye', 'minideb-bullseye', 'bullseye'],
    ['acceleratorbase/minideb:12', 'minideb-bookworm', '12'],
    ['minideb', 'minideb-trixie', '13'],
    ['minideb-bullseye', 'minideb-bullseye', '11'],
  ])('resolveImage(%s)', (ref, name, tag) => {
    const r = resolveImage(plan, loaded.model, ref);
    expect([r.image.name, r.tag]).toEqual([name, tag]);
  });

  test.each([
    ['opencl-pocl:7-trixie', 'opencl-pocl has no tag "7-trixie" (did you mean "6-trixie"?) (tags: latest, trixie, 6-trixie, 6.0-trixie)'],
    ['opencl-pcol', 'unknown image "opencl-pcol" (did you mean "opencl-pocl"?)'],
    ['other/opencl-pocl', 'other/opencl-pocl: not an image of acceleratorbase'],
    ['opencl-pocl@sha256:00', 'give a tag, not a digest'],
  ])('resolveImage(%s) refuses', (ref, message) => {
    expect(() => resolveImage(plan, loaded.model, ref)).toThrow(message);
  });

  test('with --registry, the registry-qualified name resolves too', () => {
    const other = planImages(loaded.model, loaded.lock, { namespace: '127.0.0.1:5000/acceleratorbase' });
    expect(resolveImage(other, loaded.model, '127.0.0.1:5000/acceleratorbase/opencl-pocl:trixie').image.repository).toBe('127.0.0.1:5000/acceleratorbase/opencl-pocl');
    expect(baseChain(other, resolveImage(other, loaded.model, 'cuda-devel').image).map((i) => i.name)).toEqual(['cuda-devel', 'cuda-runtime', 'minideb-trixie']);
  });
});

describe('registry tags (pure)', () => {
  const [pocl] = pickTags(plan, loaded.model, { accelerator: 'opencl' });
  test.each<[string, string[], string | null]>([
    ['the floating tag', ['6.0-trixie', 'trixie'], '6.0-trixie'],
    ['else the newest build tag of that version', ['6.0-trixie-20261128', '6.0-trixie-20261201', '6.1-trixie-20261231', 'sha-abcdef0'], '6.0-trixie-20261201'],
    ['else missing', ['trixie-20261128', 'sha-abcdef0'], null],
  ])('%s', (_, registryTags, tag) => {
    const c = applyRegistryTags(pocl, registryTags);
    expect(c.inRegistry).toBe(tag !== null);
    expect(c.tag).toBe(tag ?? '6.0-trixie');
    if (tag) expect(c.from).toBe(`FROM acceleratorbase/opencl-pocl:${tag}`);
  });

  test('pinning keeps the tag and adds the digest; anything but sha256 is refused', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(pinCandidate(pocl, digest).from).toBe(`FROM acceleratorbase/opencl-pocl:6.0-trixie@${digest}`);
    expect(() => pinCandidate(pocl, 'md5:x')).toThrow(/not sha256/);
  });

  test.each([
    ['arm64', 'arm64'],
    ['linux/amd64', 'amd64'],
    ['x86_64', 'amd64'],
  ])('normalizeArch(%s)', (a, want) => expect(normalizeArch(a)).toBe(want));
});

// ---------------------------------------------------------------------------------------------
// The commands, against a registry double on 127.0.0.1 (distribution API wire format).

const digests: Record<string, string> = { 'ab/opencl-pocl:6.0-trixie': `sha256:${'1'.repeat(64)}`, 'ab/vulkan-lavapipe:25.0.7-trixie-20261201': `sha256:${'2'.repeat(64)}` };
const registryTags: Record<string, string[]> = {
  'ab/opencl-pocl': ['6.0-trixie', 'sha-860c190', 'trixie'],
  'ab/vulkan-lavapipe': ['25.0.7-trixie-20261128', '25.0.7-trixie-20261201', 'sha-860c190'],
};
const server = createServer((req, res) => {
  const tagsList = /^\/v2\/(.+)\/tags\/list$/.exec(req.url ?? '');
  if (tagsList && registryTags[tagsList[1]]) return res.end(JSON.stringify({ name: tagsList[1], tags: registryTags[tagsList[1]] }));
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
  vi.stubEnv('ACCELBASE_REGISTRY', '');
  const parsed = parse([command, '--catalog', catalogFile, ...args]);
  let stdout = '';
  const ctx: Context = { command, flags: parsed.flags, args: parsed.args, out: (t) => void (stdout += t) };
  const code = await commands[command](ctx);
  vi.unstubAllEnvs();
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
    expect(text).toContain(`cuda-runtime     amd64,arm64  trixie    libcudart12 12.4.127~12.4.1-2\n    # not in ${registry}: no 12.4.127-trixie tag (nor 12.4.127-trixie-YYYYMMDD)\n`);
  });

  test('tags --pin: FROM repo:tag@sha256', async () => {
    const r = await cli('tags', '--registry', registry, '--pin', '--arch', 'amd64,arm64', '--runtime', 'pocl-opencl-icd@^6');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`    FROM ${registry}/opencl-pocl:6.0-trixie@sha256:${'1'.repeat(64)}\n`);
    const j = JSON.parse((await cli('tags', '--registry', registry, '--pin', '--accelerator', 'vulkan', '--json')).stdout);
    expect(j.images[0]).toMatchObject({ tag: '25.0.7-trixie-20261201', digest: `sha256:${'2'.repeat(64)}`, inRegistry: true });
  });

  test.each([
    [['--registry', 'REGISTRY', '--accelerator', 'edgetpu'], /none of the matching images is in 127\.0\.0\.1:\d+\/ab: .*edgetpu-max:bullseye/],
    [['--pin'], /--pin needs a registry to read from: --registry HOST\[:PORT\]\/NAMESPACE \(got "acceleratorbase"\)/],
    [['--arch', 'arm64', '--accelerator', 'onnxruntime', '--variant', 'gpu'], /onnxruntime-gpu is amd64 only; closest: onnxruntime-cpu \(arm64\)/],
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
