import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveRunConfig } from '../config/run-config.js';
import { parse as parseYaml } from 'yaml';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import type { DeviceProfile } from '../catalog/schema.js';
import { parse } from '../cli/args.js';
import type { Context } from '../cli/context.js';
import { k8s } from '../cli/k8s.js';
import { deviceMounts, podSpecFor, podSpecYaml, type PodSpecFragment } from './k8s.js';
import { resolveImage } from '../pick/resolve.js';
import { planImages } from './plan.js';

// The real catalog and lock.
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
// A frozen copy of the catalog as shipped in November 2026: these facts never follow the shipped one.
const catalogFile = join(repoRoot, 'tools/accelbase/src/test/fixtures/catalog-2026-11/catalog.yaml');
const loaded = loadCatalog(workspaceFor(catalogFile));
const plan = planImages(loaded.model, loaded.lock);
const fragment = (ref: string) => {
  const { image, tag } = resolveImage(plan, loaded.model, ref);
  return podSpecFor(image, tag);
};
const noPrivilege = { privileged: false } as const;

describe('Pod spec fragments', () => {
  test.each<[string, PodSpecFragment]>([
    [
      // The Coral USB stick: NFD's USB label, the whole USB bus mounted (it re-enumerates), no resources.
      'edgetpu-std',
      {
        nodeSelector: { 'feature.node.kubernetes.io/usb-ff_1a6e_089a.present': 'true' },
        containers: [
          {
            name: 'edgetpu-std',
            image: 'acceleratorbase/edgetpu-std:bullseye',
            securityContext: noPrivilege,
            volumeMounts: [{ name: 'dev-bus-usb', mountPath: '/dev/bus/usb' }],
          },
        ],
        volumes: [{ name: 'dev-bus-usb', hostPath: { path: '/dev/bus/usb', type: 'Directory' } }],
      },
    ],
    [
      // NVIDIA: the device plugin's resource only, no mounts.
      'cuda-runtime',
      {
        nodeSelector: { 'nvidia.com/gpu.present': 'true' },
        containers: [
          {
            name: 'cuda-runtime',
            image: 'acceleratorbase/cuda-runtime:12.4.127-trixie',
            resources: { limits: { 'nvidia.com/gpu': 1 } },
            securityContext: noPrivilege,
          },
        ],
      },
    ],
    [
      // Built for amd64 only: the arch label joins the selector.
      'onnxruntime-gpu',
      {
        nodeSelector: { 'nvidia.com/gpu.present': 'true', 'kubernetes.io/arch': 'amd64' },
        containers: [
          {
            name: 'onnxruntime-gpu',
            image: 'acceleratorbase/onnxruntime-gpu:trixie',
            resources: { limits: { 'nvidia.com/gpu': 1 } },
            securityContext: noPrivilege,
          },
        ],
      },
    ],
    [
      'rocm-runtime',
      {
        nodeSelector: { 'feature.node.kubernetes.io/pci-0300_1002.present': 'true' },
        containers: [
          {
            name: 'rocm-runtime',
            image: 'acceleratorbase/rocm-runtime:6.1.2-trixie',
            resources: { limits: { 'amd.com/gpu': 1 } },
            securityContext: noPrivilege,
            volumeMounts: [
              { name: 'dev-kfd', mountPath: '/dev/kfd' },
              { name: 'dev-dri', mountPath: '/dev/dri' },
            ],
          },
        ],
        volumes: [
          { name: 'dev-kfd', hostPath: { path: '/dev/kfd', type: 'CharDevice' } },
          { name: 'dev-dri', hostPath: { path: '/dev/dri', type: 'Directory' } },
        ],
      },
    ],
    [
      // No device, multi-arch, no placement: just the image, unprivileged.
      'opencl-pocl:6-trixie',
      {
        containers: [
          { name: 'opencl-pocl', image: 'acceleratorbase/opencl-pocl:6-trixie', securityContext: noPrivilege },
        ],
      },
    ],
  ])('%s', (ref, want) => {
    expect(fragment(ref)).toEqual(want);
  });

  test.each<[DeviceProfile, string[]]>([
    ['none', []],
    ['nvidia', []],
    ['usb', ['/dev/bus/usb']],
    ['apex', ['/dev/apex_0']],
    ['rocm', ['/dev/kfd', '/dev/dri']],
    ['dri', ['/dev/dri']],
  ])('device mounts for %s', (profile, paths) => {
    expect(deviceMounts(profile).map((m) => m.path)).toEqual(paths);
    for (const m of deviceMounts(profile)) expect(m.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  test('the tag defaults to the most specific floating one', () => {
    const image = plan.images.find((i) => i.name === 'vulkan-lavapipe')!;
    expect(podSpecFor(image).containers[0].image).toBe('acceleratorbase/vulkan-lavapipe:25.0.7-trixie');
  });

  test('YAML keeps label values strings and round-trips', () => {
    const spec = fragment('edgetpu-std');
    const text = podSpecYaml(spec);
    expect(text).toBe(
      [
        'nodeSelector:',
        '  feature.node.kubernetes.io/usb-ff_1a6e_089a.present: "true"',
        'containers:',
        '  - name: edgetpu-std',
        '    image: acceleratorbase/edgetpu-std:bullseye',
        '    securityContext:',
        '      privileged: false',
        '    volumeMounts:',
        '      - name: dev-bus-usb',
        '        mountPath: /dev/bus/usb',
        'volumes:',
        '  - name: dev-bus-usb',
        '    hostPath:',
        '      path: /dev/bus/usb',
        '      type: Directory',
        '',
      ].join('\n'),
    );
    expect(parseYaml(text)).toEqual(spec);
  });
});

describe('accelbase k8s', () => {
  async function cli(...args: string[]): Promise<string> {
    const parsed = parse(['k8s', '--catalog', catalogFile, ...args]);
    let stdout = '';
    // An empty environment: no ACCELBASE_REGISTRY of the machine running the tests applies.
    const config = resolveRunConfig(parsed.flags, {});
    const ctx: Context = {
      command: 'k8s',
      flags: parsed.flags,
      args: parsed.args,
      out: (t) => void (stdout += t),
      config,
    };
    expect(await k8s(ctx)).toBe(0);
    return stdout;
  }

  test('YAML by default, the same object with --json', async () => {
    expect(parseYaml(await cli('acceleratorbase/rocm-runtime'))).toEqual(fragment('rocm-runtime'));
    expect(JSON.parse(await cli('rocm-runtime:6.1-trixie', '--json'))).toEqual(fragment('rocm-runtime:6.1-trixie'));
  });

  test('--registry names the image', async () => {
    expect(
      JSON.parse(await cli('cuda-runtime', '--registry', '127.0.0.1:5000/acceleratorbase', '--json')).containers[0]
        .image,
    ).toBe('127.0.0.1:5000/acceleratorbase/cuda-runtime:12.4.127-trixie');
  });

  test.each([
    [
      ['cuda-runtime:13-trixie'],
      'cuda-runtime has no tag "13-trixie" (did you mean "12-trixie"?) (tags: latest, trixie, 12-trixie, 12.4-trixie, 12.4.127-trixie)',
    ],
    [[], 'usage: accelbase k8s IMAGE[:TAG]'],
    [['a', 'b'], 'usage: accelbase k8s IMAGE[:TAG]'],
  ])('%j refuses', async (args, message) => {
    await expect(cli(...args)).rejects.toThrow(message);
  });
});
