import { describe, expect, test } from 'vitest';
import type { Smoke } from '../catalog/schema.js';
import { deviceFlags } from '../catalog/device.js';
import { classify, crashSign, junit, overallOutcome, type SmokeResult, type TierResult, tiersText } from './outcome.js';

const clinfo: Smoke = { command: ['clinfo', '-l'], expect: 'Device #0', timeout: 60 };
const rocm: Smoke = { command: ['rocminfo'], expect: 'Agent 2', noDevice: 'ROCk module is NOT loaded', timeout: 60 };
const minideb: Smoke = { command: ['sh'], expect: '^{arch}\\n/usr/sbin/install_packages', timeout: 60 };

describe('classify', () => {
  test.each([
    [
      'device listed',
      clinfo,
      'linux/amd64',
      0,
      'Platform #0: Portable Computing Language\n `-- Device #0: cpu-haswell',
      false,
      'passed',
      '`-- Device #0: cpu-haswell',
    ],
    [
      'no ICD at all',
      clinfo,
      'linux/amd64',
      0,
      'Number of platforms 0',
      false,
      'failed',
      'output did not match /Device #0/: Number of platforms 0',
    ],
    [
      'ROCm without a GPU',
      rocm,
      'linux/amd64',
      1,
      'ROCk module is NOT loaded, possibly no GPU devices',
      false,
      'no-device',
      'ROCk module is NOT loaded, possibly no GPU devices',
    ],
    [
      'a crash is a failure',
      rocm,
      'linux/arm64',
      139,
      'Segmentation fault',
      false,
      'failed',
      'crashed (exit code 139): Segmentation fault',
    ],
    ['a timeout is a failure', clinfo, 'linux/arm64', null, 'Device #0', true, 'failed', 'timed out after 60s'],
    [
      'arch substituted',
      minideb,
      'linux/arm64',
      0,
      'arm64\n/usr/sbin/install_packages\napt-ok',
      false,
      'passed',
      'arm64 | /usr/sbin/install_packages',
    ],
    [
      'wrong arch',
      minideb,
      'linux/arm64',
      0,
      'amd64\n/usr/sbin/install_packages\napt-ok',
      false,
      'failed',
      'output did not match /^{arch}\\n/usr/sbin/install_packages/: amd64 | /usr/sbin/install_packages | apt-ok',
    ],
  ] as const)('%s', (_name, smoke, platform, exitCode, output, timedOut, outcome, detail) => {
    expect(classify(smoke, platform, { exitCode, output, timedOut })).toEqual({ outcome, detail });
  });
});

const cuda: Smoke = { script: 'cuda.py', expect: 'CUDA devices: [1-9]', noDevice: 'no CUDA device', timeout: 120 };
const traceback = (error: string, line = 'import ctypes') =>
  `Traceback (most recent call last):\n  File "/usr/local/bin/accelbase-device-query", line 9, in <module>\n    ${line}\n${error}`;

describe('a query that crashes is failed, never no-device', () => {
  test.each([
    [
      'no ctypes in python3-minimal',
      1,
      traceback("ModuleNotFoundError: No module named 'ctypes'"),
      "crashed (exit code 1): ModuleNotFoundError: No module named 'ctypes'",
    ],
    [
      'a traceback quoting the no-device line',
      1,
      traceback("TypeError: 'NoneType' object is not callable", 'print(f"no CUDA device ({reason})")'),
      "crashed (exit code 1): TypeError: 'NoneType' object is not callable",
    ],
    [
      'an import error after the version',
      1,
      "CUDA runtime 12.4\nImportError: cannot import name 'x'",
      "crashed (exit code 1): ImportError: cannot import name 'x'",
    ],
    [
      'a library the loader cannot find',
      127,
      'rocminfo: error while loading shared libraries: libhsa-runtime64.so.1: cannot open shared object file: No such file or directory',
      'crashed (exit code 127): rocminfo: error while loading shared libraries: libhsa-runtime64.so.1: cannot open shared object file: No such file or directory',
    ],
    [
      'a library dlopen cannot find, with the no-device text',
      77,
      'no CUDA device (libcublas.so.12: cannot open shared object file: No such file or directory)',
      'crashed (exit code 77): no CUDA device (libcublas.so.12: cannot open shared object file: No such file or directory)',
    ],
    [
      'the query is not installed',
      127,
      'exec: "/usr/local/bin/accelbase-device-query": stat: no such file',
      'crashed (exit code 127): the query could not be run',
    ],
    [
      'a segfault after the no-device line',
      139,
      'no CUDA device (count is 0)',
      'crashed (exit code 139): killed by signal 11',
    ],
    [
      'a crash even with exit 0 and the expected line',
      0,
      `CUDA devices: 1\n${traceback('AttributeError: x')}`,
      'crashed (exit code 0): AttributeError: x',
    ],
  ] as const)('%s', (_name, exitCode, output, detail) => {
    expect(classify(cuda, 'linux/amd64', { exitCode, output, timedOut: false })).toEqual({ outcome: 'failed', detail });
  });

  test.each([
    [
      'no driver mounted',
      77,
      'CUDA runtime 12.4\nno CUDA device (no NVIDIA driver in the container: run it with --gpus on a host with the NVIDIA container toolkit)',
      'no-device',
    ],
    [
      "the driver's own library is missing",
      77,
      'no CUDA device (libcuda.so.1: cannot open shared object file: No such file or directory)',
      'no-device',
    ],
    [
      'cudart without a driver',
      77,
      'CUDA runtime 12.4\nno CUDA device (CUDA driver version is insufficient for CUDA runtime version)',
      'no-device',
    ],
    ['a GPU', 0, 'CUDA runtime 12.4\nCUDA devices: 1', 'passed'],
  ] as const)('%s: %s', (_name, exitCode, output, outcome) => {
    expect(classify(cuda, 'linux/amd64', { exitCode, output, timedOut: false }).outcome).toBe(outcome);
  });

  test('no crash sign in an ordinary answer', () => {
    expect(crashSign(1, 'ROCk module is NOT loaded, possibly no GPU devices')).toBeUndefined();
    expect(crashSign(77, 'no EdgeTPU device found')).toBeUndefined();
  });
});

describe('deviceFlags only names devices the host has', () => {
  const none = () => false;
  const all = () => true;
  test.each([
    ['none', all, []],
    ['usb', all, ['-v', '/dev/bus/usb:/dev/bus/usb', '--device-cgroup-rule', 'c 189:* rmw']],
    ['usb', none, []],
    ['apex', all, ['--device', '/dev/apex_0']],
    ['nvidia', all, ['--gpus', 'all']],
    ['nvidia', none, []],
    ['rocm', all, ['--device', '/dev/kfd', '--device', '/dev/dri', '--group-add', 'video']],
    ['rocm', (p: string) => p === '/dev/dri', ['--device', '/dev/dri']],
    ['dri', all, ['--device', '/dev/dri']],
  ] as const)('%s', (profile, exists, flags) => {
    expect(deviceFlags(profile, exists)).toEqual(flags);
  });
  test('never privileged', () => {
    for (const p of ['none', 'usb', 'apex', 'nvidia', 'rocm', 'dri'] as const)
      expect(deviceFlags(p, () => true)).not.toContain('--privileged');
  });
});

test('junit: no-device is skipped, or failed with --require-device; text is escaped', () => {
  const results: SmokeResult[] = [
    {
      image: 'opencl-pocl',
      platform: 'linux/amd64',
      ref: 'r',
      outcome: 'passed',
      detail: 'Device #0 <cpu>',
      durationS: 1.5,
      exitCode: 0,
    },
    {
      image: 'rocm-runtime',
      platform: 'linux/amd64',
      ref: 'r',
      outcome: 'no-device',
      detail: 'ROCk "module"',
      durationS: 0.5,
      exitCode: 1,
    },
  ];
  const relaxed = junit(results, false);
  expect(relaxed).toContain('tests="2" failures="0" skipped="1"');
  expect(relaxed).toContain('<system-out>Device #0 &#60;cpu&#62;</system-out>');
  expect(relaxed).toContain('<skipped message="no-device: ROCk &#34;module&#34;"/>');
  expect(junit(results, true)).toContain('tests="2" failures="1" skipped="0"');
});

describe('the compute tier', () => {
  const probe = { expect: 'compute ok', noDevice: 'no CUDA device', timeout: 300 };
  test.each([
    [
      'the right result',
      0,
      'device: cpu-haswell\nvadd of 4096 floats: c[0..3] = 0 3 6 9, checksum 25159680 (expected 25159680)\ncompute ok: vadd on cpu-haswell',
      'passed',
      'compute ok: vadd on cpu-haswell',
    ],
    [
      'a wrong result',
      1,
      'device: cpu-haswell\nvadd of 4096 floats: c[0..3] = 0 -1 -2 -3, checksum -8386560 (expected 25159680)\nwrong result: 4095 of 4096 elements differ (first c[1] = -1, expected 3)',
      'failed',
      'wrong result: 4095 of 4096 elements differ (first c[1] = -1, expected 3)',
    ],
    [
      'a wrong result is failed even where the output also names no device',
      1,
      'no CUDA device on the second GPU\nwrong result: 1 of 4096 elements differ (first c[7] = 0, expected 21)',
      'failed',
      'wrong result: 1 of 4096 elements differ (first c[7] = 0, expected 21)',
    ],
    [
      'a wrong result with exit 0 and the expected text is still failed',
      0,
      'wrong result: 2 of 4096 elements differ\ncompute ok',
      'failed',
      'wrong result: 2 of 4096 elements differ',
    ],
    [
      'no driver in the container',
      77,
      'no CUDA device (no NVIDIA driver in the container: libcuda.so.1: cannot open shared object file: No such file or directory)',
      'no-device',
      'no CUDA device (no NVIDIA driver in the container: libcuda.so.1: cannot open shared object file: No such file or directory)',
    ],
    [
      'the probe missing from the test image',
      127,
      'exec: "/usr/local/bin/accelbase-compute-probe": executable file not found',
      'failed',
      undefined,
    ],
  ])('%s', (_what, exitCode, output, outcome, detail) => {
    const r = classify(probe, 'linux/amd64', { exitCode, output, timedOut: false });
    expect(r.outcome).toBe(outcome);
    if (detail !== undefined) expect(r.detail).toBe(detail);
  });

  const tier = (outcome: TierResult['outcome']): TierResult => ({ outcome, detail: outcome });
  test.each([
    ['passed', 'passed', 'passed'],
    ['passed', 'none', 'passed'],
    ['no-device', 'no-device', 'no-device'],
    ['passed', 'no-device', 'no-device'],
    ['passed', 'failed', 'failed'],
    ['no-device', 'failed', 'failed'],
    ['failed', 'passed', 'failed'],
    ['failed', 'none', 'failed'],
  ] as const)('query %s, compute %s: the whole is %s', (query, compute, whole) => {
    const tiers = { query: tier(query), compute: tier(compute) };
    expect(overallOutcome(tiers)).toBe(whole);
    expect(tiersText({ outcome: whole, tiers })).toBe(`query ${query}, compute ${compute}`);
  });

  test('a result recorded before tiers existed: the query was its only tier', () => {
    expect(tiersText({ outcome: 'passed' })).toBe('query passed');
  });
});
