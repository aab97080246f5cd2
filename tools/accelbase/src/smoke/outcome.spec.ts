import { describe, expect, test } from 'vitest';
import type { Smoke } from '../catalog/schema.js';
import { deviceFlags } from '../catalog/device.js';
import { classify, junit, type SmokeResult } from './outcome.js';

const clinfo: Smoke = { command: ['clinfo', '-l'], expect: 'Device #0', timeout: 60 };
const rocm: Smoke = { command: ['rocminfo'], expect: 'Agent 2', noDevice: 'ROCk module is NOT loaded', timeout: 60 };
const minideb: Smoke = { command: ['sh'], expect: '^{arch}\\n/usr/sbin/install_packages', timeout: 60 };

describe('classify', () => {
  test.each([
    ['device listed', clinfo, 'linux/amd64', 0, 'Platform #0: Portable Computing Language\n `-- Device #0: cpu-haswell', false, 'passed', '`-- Device #0: cpu-haswell'],
    ['no ICD at all', clinfo, 'linux/amd64', 0, 'Number of platforms 0', false, 'failed', 'output did not match /Device #0/: Number of platforms 0'],
    ['ROCm without a GPU', rocm, 'linux/amd64', 1, 'ROCk module is NOT loaded, possibly no GPU devices', false, 'no-device', 'ROCk module is NOT loaded, possibly no GPU devices'],
    ['a crash is a failure', rocm, 'linux/arm64', 139, 'Segmentation fault', false, 'failed', 'exit code 139: Segmentation fault'],
    ['a timeout is a failure', clinfo, 'linux/arm64', null, 'Device #0', true, 'failed', 'timed out after 60s'],
    ['arch substituted', minideb, 'linux/arm64', 0, 'arm64\n/usr/sbin/install_packages\napt-ok', false, 'passed', 'arm64 | /usr/sbin/install_packages'],
    ['wrong arch', minideb, 'linux/arm64', 0, 'amd64\n/usr/sbin/install_packages\napt-ok', false, 'failed', 'output did not match /^{arch}\\n/usr/sbin/install_packages/: amd64 | /usr/sbin/install_packages | apt-ok'],
  ] as const)('%s', (_name, smoke, platform, exitCode, output, timedOut, outcome, detail) => {
    expect(classify(smoke, platform, { exitCode, output, timedOut })).toEqual({ outcome, detail });
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
    for (const p of ['none', 'usb', 'apex', 'nvidia', 'rocm', 'dri'] as const) expect(deviceFlags(p, () => true)).not.toContain('--privileged');
  });
});

test('junit: no-device is skipped, or failed with --require-device; text is escaped', () => {
  const results: SmokeResult[] = [
    { image: 'opencl-pocl', platform: 'linux/amd64', ref: 'r', outcome: 'passed', detail: 'Device #0 <cpu>', durationS: 1.5, exitCode: 0 },
    { image: 'rocm-runtime', platform: 'linux/amd64', ref: 'r', outcome: 'no-device', detail: 'ROCk "module"', durationS: 0.5, exitCode: 1 },
  ];
  const relaxed = junit(results, false);
  expect(relaxed).toContain('tests="2" failures="0" skipped="1"');
  expect(relaxed).toContain('<system-out>Device #0 &#60;cpu&#62;</system-out>');
  expect(relaxed).toContain('<skipped message="no-device: ROCk &#34;module&#34;"/>');
  expect(junit(results, true)).toContain('tests="2" failures="1" skipped="0"');
});
