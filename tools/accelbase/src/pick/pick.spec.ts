import { describe, expect, test } from 'vitest';
import { planImages } from '../plan/plan.js';
import { loaded, plan } from './fixtures/catalog.js';
import { formatTags, pickTags } from './pick.js';
import type { TagQuery } from './query.js';

const pick = (q: TagQuery) => pickTags(plan, loaded.model, q).candidates.map((c) => c.name);

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
    const [pocl] = pickTags(plan, loaded.model, { accelerator: 'opencl' }).candidates;
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
      // The frozen lock predates release dates: the end is unknown until `update` locks it.
      support: { debian: '13', securityEnd: undefined, regularSecurityEnd: undefined, retired: false },
    });
  });

  test.each([
    ['opencl', 'FROM acceleratorbase/opencl-pocl:6.0-trixie'],
    ['vulkan', 'FROM acceleratorbase/vulkan-lavapipe:25.0.7-trixie'],
    ['rocm', 'FROM acceleratorbase/rocm-runtime:6.1.2-trixie'],
    // No runtime version locked yet: the distribution is the most specific tag.
    ['edgetpu', 'FROM acceleratorbase/edgetpu-max:bullseye'],
  ])('FROM line for %s', (accelerator, from) => {
    expect(pickTags(plan, loaded.model, { accelerator }).candidates[0].from).toBe(from);
  });

  test('text: one line of facts and the FROM line per image', () => {
    expect(formatTags(pickTags(plan, loaded.model, { dist: 'bullseye' }).candidates)).toBe(
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
    expect(pickTags(other, loaded.model, { accelerator: 'opencl' }).candidates[0].from).toBe(
      'FROM registry.example.com/team/opencl-pocl:6.0-trixie',
    );
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
    ['python3@>=3.13', ['cuda-devel', 'cuda-runtime', 'onnxruntime-gpu']],
    ['nvidia-cuda-toolkit@>=12.4.131', ['cuda-devel']],
    // 3.0.25.02.14 coerces to 3.0.25.
    ['clinfo@3.0.25', ['opencl-pocl']],
  ])('%s', (runtime, names) => {
    expect(pick({ runtime })).toEqual(names);
  });

  test('the matched package is reported beside the runtime', () => {
    const [gpu] = pickTags(plan, loaded.model, {
      runtime: 'libcudart12@^12',
      arch: ['amd64'],
      variant: 'gpu',
    }).candidates;
    expect(gpu.matched).toEqual({
      name: 'libcudart12',
      versions: { 'linux/amd64': '12.4.127~12.4.1-2' },
      from: 'cuda-runtime',
    });
    expect(formatTags([gpu])).toContain(
      'onnxruntime-gpu (not locked yet); libcudart12 12.4.127~12.4.1-2 (from cuda-runtime)',
    );
  });
});

describe('tags: no match and bad filters', () => {
  test.each<[string, TagQuery, string]>([
    [
      'the brief example',
      { arch: ['arm64'], accelerator: 'onnxruntime', variant: 'gpu' },
      'no image for arch arm64 with accelerator onnxruntime variant gpu; onnxruntime-gpu is amd64 only; closest: onnxruntime-cpu (arm64)',
    ],
    [
      'variant of another accelerator',
      { accelerator: 'opencl', variant: 'max' },
      'no image with accelerator opencl variant max; closest: edgetpu-max, opencl-pocl',
    ],
    [
      'a version range nothing satisfies',
      { runtime: 'pocl-opencl-icd@>=7' },
      'no image with runtime pocl-opencl-icd@>=7; opencl-pocl has pocl-opencl-icd 6.0-6',
    ],
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
    [
      'a known distribution no image uses',
      { dist: 'bookworm' },
      'no image with dist bookworm; images are built on bullseye, trixie',
    ],
    [
      'distribution and accelerator',
      { dist: 'trixie', accelerator: 'edgetpu' },
      'no image with accelerator edgetpu dist trixie; edgetpu-max is bullseye only; edgetpu-std is bullseye only; closest: cuda-devel (trixie), cuda-runtime (trixie), onnxruntime-cpu (trixie), onnxruntime-gpu (trixie), opencl-pocl (trixie), and 2 more',
    ],
    [
      'both arches',
      { arch: ['amd64', 'arm64'], variant: 'gpu' },
      'no image for arch amd64, arm64 with variant gpu; onnxruntime-gpu is amd64 only; closest: cuda-devel (amd64, arm64), cuda-runtime (amd64, arm64), edgetpu-max (amd64, arm64), edgetpu-std (amd64, arm64), onnxruntime-cpu (amd64, arm64), and 3 more',
    ],
    [
      'unknown accelerator',
      { accelerator: 'edgtpu' },
      'unknown accelerator "edgtpu" (did you mean "edgetpu"?) (known: cuda, edgetpu, onnxruntime, opencl, rocm, vulkan)',
    ],
    [
      'unknown variant',
      { variant: 'gpus' },
      'unknown variant "gpus" (did you mean "gpu"?) (known: cpu, devel, gpu, lavapipe, max, pocl, runtime, std)',
    ],
    ['unknown distribution', { dist: 'sid' }, 'unknown distribution "sid" (known: trixie, bookworm, bullseye)'],
    ['unknown arch', { arch: ['riscv64'] }, 'unknown architecture "riscv64" (known: amd64, arm64)'],
    ['unknown package', { runtime: 'pocl@^6' }, 'no image has package "pocl"'],
    ['not a range', { runtime: 'pocl-opencl-icd@six' }, '--runtime "pocl-opencl-icd@six": "six" is not a semver range'],
    ['no name', { runtime: '@^6' }, 'expected <package>@<semver range>'],
  ])('%s', (_, query, message) => {
    expect(() => pickTags(plan, loaded.model, query)).toThrow(message);
  });
});
