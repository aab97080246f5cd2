import { describe, expect, test } from 'vitest';
import { loaded, plan } from './fixtures/catalog.js';
import { computeText, formatShow, showImage } from './show.js';

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
      device: {
        profile: 'usb',
        dockerRunFlags: ['-v', '/dev/bus/usb:/dev/bus/usb', '--device-cgroup-rule', 'c 189:* rmw'],
      },
      placement: { nodeSelector: { 'feature.node.kubernetes.io/usb-ff_1a6e_089a.present': 'true' }, resources: {} },
      smoke: { script: 'edgetpu.py', noDevice: 'no EdgeTPU device', timeout: 120 },
    });
    const text = formatShow(d);
    expect(text).toMatch(/^acceleratorbase\/edgetpu-max:bullseye\n {2}EdgeTPU at the maximum clock rate/);
    expect(text).toContain('  chain:       edgetpu-max -> minideb-bullseye (acceleratorbase/minideb:bullseye)\n');
    expect(text).toContain(
      "  device:      usb: docker run -v /dev/bus/usb:/dev/bus/usb --device-cgroup-rule 'c 189:* rmw'\n",
    );
    expect(text).toContain('  placement:   nodeSelector feature.node.kubernetes.io/usb-ff_1a6e_089a.present=true\n');
    expect(text).toContain('    libedgetpu1-max  (not locked yet)  [coral (apt)]\n');
  });

  test('locked versions per platform, and a chain of three', () => {
    const gpu = showImage(plan, loaded.model, 'onnxruntime-gpu');
    expect(gpu.chain.map((c) => c.name)).toEqual(['onnxruntime-gpu', 'cuda-runtime', 'minideb-trixie']);
    expect(gpu.packages.find((p) => p.name === 'python3-numpy')).toEqual({
      name: 'python3-numpy',
      source: 'debian',
      sourceType: 'debian',
      locked: { 'linux/amd64': '1:2.2.4+ds-1' },
    });
    expect(gpu.packages.find((p) => p.name === 'onnxruntime-gpu')).toMatchObject({
      constraint: '>=1.20 <2',
      locked: {},
    });
    expect(gpu.device.dockerRunFlags).toEqual(['--gpus', 'all']);
    const rocm = showImage(plan, loaded.model, 'rocm-runtime');
    expect(rocm.device.dockerRunFlags).toEqual([
      '--device',
      '/dev/kfd',
      '--device',
      '/dev/dri',
      '--group-add',
      'video',
    ]);
    expect(formatShow(rocm)).toContain('  runtime:     rocminfo 6.1.2-2, tags from 6.1.2\n');
  });

  test('installed packages per platform and the date of the updates, from the lock; not recorded yet before a publish', () => {
    const lock = structuredClone(loaded.lock);
    lock.images['minideb-trixie'] = {
      updated: '2026-11-30',
      platforms: {
        'linux/amd64': { packages: {}, installed: { libc6: '2.41-12', dpkg: '1.22.21' }, updatesAsOf: '2026-11-30' },
      },
    };
    lock.images['opencl-pocl'] = {
      ...lock.images['opencl-pocl'],
      platforms: {
        ...lock.images['opencl-pocl']?.platforms,
        'linux/amd64': { packages: {}, installed: { libc6: '2.41-12', dpkg: '1.22.21', clinfo: '3.0.25.02.14-1' } },
      },
    };
    const d = showImage(plan, loaded.model, 'opencl-pocl', lock);
    // Package sets are maps, as the lock keeps them.
    expect(d.installed).toEqual({
      'linux/amd64': { libc6: '2.41-12', dpkg: '1.22.21', clinfo: '3.0.25.02.14-1' },
      'linux/arm64': null,
    });
    expect(d.updatesAsOf).toEqual({ 'linux/amd64': '2026-11-30' });
    expect(formatShow(d)).toContain(
      '  installed:   linux/amd64 3 packages, updates as of 2026-11-30; linux/arm64 not recorded yet (published images record it)\n',
    );
    expect(Object.values(showImage(plan, loaded.model, 'opencl-pocl').installed).every((i) => i === null)).toBe(true);
  });
});

describe('show: the compute tier and which tiers passed', () => {
  const base = { command: ['q'], expect: 'ok', timeout: 60 };
  test.each([
    [{ ...base }, 'none: the device query is the only tier'],
    [
      { ...base, compute: { query: true as const, timeout: 300 } },
      'the device query (it computes and checks a result)',
    ],
    [
      { ...base, compute: { probe: 'vadd', expect: 'compute ok', noDevice: 'no device', timeout: 300 } },
      'probe vadd in the test image; expect /compute ok/; no device /no device/; timeout 300s',
    ],
  ])('%o', (smoke, text) => {
    expect(computeText(smoke)).toBe(text);
  });

  test('the last smoke run per platform and tier, where there was one', () => {
    const d = showImage(plan, loaded.model, 'opencl-pocl');
    expect(formatShow(d)).toContain('  compute:     none: the device query is the only tier\n');
    expect(formatShow(d)).not.toContain('tested:');
    const tested = formatShow({
      ...d,
      tested: [
        {
          platform: 'linux/amd64',
          outcome: 'passed',
          tiers: { query: { outcome: 'passed' }, compute: { outcome: 'passed' } },
        },
        { platform: 'linux/arm64', outcome: 'failed' },
      ],
    });
    expect(tested).toContain('  tested:      linux/amd64 passed (query passed, compute passed); linux/arm64 failed\n');
  });
});
