// Test helper: recorded results for the real catalog's plan, as build, smoke, outdated and publish
// leave them after a night on this machine: PoCL built, pushed and tested (passed on amd64,
// no-device on arm64), lavapipe failing its smoke test on amd64, Coral and PyPI images not built
// (unreachable sources), everything else never built.
import type { Lock } from '../catalog/lock.js';
import type { Plan } from '../plan/plan.js';
import type { RecordedResults } from '../render/facts.js';
import type { BuildResult } from '../workflows/state.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

/** opencl-pocl built for both platforms and pushed to `ns` on 2026-12-02, as build's results.json records it. */
export const builtOpenclPocl = (ns: string): BuildResult => ({
  image: 'opencl-pocl',
  repository: `${ns}/opencl-pocl`,
  platforms: ['linux/amd64', 'linux/arm64'],
  status: 'built',
  digest: D('2'),
  tags: [`${ns}/opencl-pocl:6.0-trixie-20261202`],
  durationS: 9,
  installed: { 'linux/amd64': { libc6: '2.41-12' }, 'linux/arm64': { libc6: '2.41-12' } },
  sizes: { 'linux/amd64': 71_000_000, 'linux/arm64': 66_000_000 },
});

export function recordedNight(plan: Plan, lock: Lock): RecordedResults {
  const repo = (name: string) => plan.images.find((i) => i.name === name)!.repository;
  const both = ['linux/amd64', 'linux/arm64'];
  const skipped = (image: string, reason: string): BuildResult => ({
    image,
    repository: repo(image),
    platforms: plan.images.find((i) => i.name === image)!.platforms,
    status: 'skipped',
    reason,
    tags: [],
    durationS: 0,
  });
  const results: BuildResult[] = [
    {
      image: 'minideb-trixie',
      repository: repo('minideb-trixie'),
      platforms: both,
      status: 'cached',
      digest: D('1'),
      tags: [],
      durationS: 1,
      sizes: { 'linux/amd64': 30_100_000, 'linux/arm64': 29_400_000 },
    },
    {
      image: 'opencl-pocl',
      repository: repo('opencl-pocl'),
      platforms: both,
      status: 'built',
      digest: D('2'),
      tags: [],
      durationS: 90,
      installed: { 'linux/amd64': { libc6: '2.41-12', clinfo: '3.0.25.02.14-1' }, 'linux/arm64': { libc6: '2.41-12' } },
      sizes: { 'linux/amd64': 71_250_000, 'linux/arm64': 66_800_000 },
    },
    {
      image: 'vulkan-lavapipe',
      repository: repo('vulkan-lavapipe'),
      platforms: both,
      status: 'built',
      digest: D('3'),
      tags: [],
      durationS: 80,
      sizes: { 'linux/amd64': 88_000_000, 'linux/arm64': 84_000_000 },
    },
    skipped('onnxruntime-gpu', 'unreachable source https://pypi.org/simple (ENOTFOUND)'),
    skipped('edgetpu-std', 'unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)'),
    skipped('edgetpu-max', 'unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)'),
    {
      image: 'rocm-runtime',
      repository: repo('rocm-runtime'),
      platforms: both,
      status: 'failed',
      reason: 'ERROR: process "apt-get install" did not complete successfully',
      tags: [],
      durationS: 12,
    },
  ];
  return {
    lock,
    build: { date: '20261202', output: 'push', results },
    smoke: [
      {
        image: 'opencl-pocl',
        platform: 'linux/amd64',
        ref: `${repo('opencl-pocl')}@${D('2')}`,
        outcome: 'passed',
        detail: 'Device #0',
        durationS: 2,
        exitCode: 0,
      },
      {
        image: 'opencl-pocl',
        platform: 'linux/arm64',
        ref: `${repo('opencl-pocl')}@${D('2')}`,
        outcome: 'no-device',
        detail: 'no device',
        durationS: 9,
        exitCode: 0,
      },
      {
        image: 'vulkan-lavapipe',
        platform: 'linux/amd64',
        ref: `${repo('vulkan-lavapipe')}@${D('3')}`,
        outcome: 'failed',
        detail: 'exit 127',
        durationS: 1,
        exitCode: 127,
      },
      // An older digest's outcome: not what was built last, so not shown.
      {
        image: 'vulkan-lavapipe',
        platform: 'linux/arm64',
        ref: `${repo('vulkan-lavapipe')}@${D('9')}`,
        outcome: 'passed',
        detail: 'old',
        durationS: 1,
        exitCode: 0,
      },
    ],
    outdated: {
      results: [
        { image: 'opencl-pocl', platform: 'linux/amd64', known: true, outdated: 1 },
        { image: 'opencl-pocl', platform: 'linux/arm64', known: true, outdated: 0 },
      ],
    },
    registrySizes: new Map([['opencl-pocl linux/amd64', 71_300_123]]),
    sboms: new Map([
      ['opencl-pocl linux/amd64', 'sbom/opencl-pocl.amd64.spdx.json'],
      ['opencl-pocl linux/arm64', 'sbom/opencl-pocl.arm64.spdx.json'],
    ]),
  };
}
