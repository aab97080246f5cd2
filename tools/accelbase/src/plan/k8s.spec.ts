import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveRunConfig } from '../config/run-config.js';
import { parse as parseYaml } from 'yaml';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import { DeviceProfile } from '../catalog/schema.js';
import { parse } from '../cli/args.js';
import type { Context } from '../cli/context.js';
import { k8s } from '../cli/k8s.js';
import { placementFor, placementYaml, podSpecFor, type PodSpecFragment } from './k8s.js';
import { resolveImage } from '../pick/resolve.js';
import { planImages } from './plan.js';

// The real catalog and lock.
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
// A frozen copy of the catalog as shipped in November 2026: these facts never follow the shipped one.
const catalogFile = join(repoRoot, 'tools/accelbase/src/test/fixtures/catalog-2026-11/catalog.yaml');
const loaded = loadCatalog(workspaceFor(catalogFile));
const plan = planImages(loaded.model, loaded.lock);
const placement = (ref: string) => {
  const { image, tag } = resolveImage(plan, loaded.model, ref);
  return placementFor(image, tag);
};
const fragment = (ref: string) => placement(ref).podSpec;
const noPrivilege = { privileged: false } as const;

describe('Pod spec fragments', () => {
  test.each<[string, PodSpecFragment]>([
    [
      // The Coral USB stick: NFD's USB label, and the generic device plugin's resource (no hostPath).
      'edgetpu-std',
      {
        nodeSelector: { 'feature.node.kubernetes.io/usb-ff_1a6e_089a.present': 'true' },
        containers: [
          {
            name: 'edgetpu-std',
            image: 'acceleratorbase/edgetpu-std:bullseye',
            resources: { limits: { 'squat.ai/coral': 1 } },
            securityContext: noPrivilege,
          },
        ],
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
          },
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

  // Every profile with a device: a plugin resource in the limits, or a CDI device for docker and
  // podman, and never a hostPath volume (a pod's device cgroup blocks a node mounted that way).
  const device = (profile: DeviceProfile) =>
    placementFor({ ...plan.images.find((i) => i.name === 'opencl-pocl')!, device: profile });
  test.each<[DeviceProfile, string | undefined, string[]]>([
    ['none', undefined, []],
    ['nvidia', 'nvidia.com/gpu', ['--device', 'nvidia.com/gpu=all']],
    ['rocm', 'amd.com/gpu', ['--device', 'amd.com/gpu=all']],
    ['dri', 'gpu.intel.com/i915', ['--device', '/dev/dri']],
    ['usb', 'squat.ai/coral', ['-v', '/dev/bus/usb:/dev/bus/usb', '--device-cgroup-rule', 'c 189:* rmw']],
    ['apex', 'squat.ai/coral', ['--device', '/dev/apex_0']],
    [
      'edgetpu',
      'squat.ai/coral',
      ['-v', '/dev/bus/usb:/dev/bus/usb', '--device-cgroup-rule', 'c 189:* rmw', '--device', '/dev/apex_0'],
    ],
  ])('%s: plugin resource %s, docker/podman %j', (profile, resource, args) => {
    const p = device(profile);
    expect(p.devicePlugin?.resource).toBe(resource);
    expect(p.containerDeviceArgs).toEqual(args);
    const limits = p.podSpec.containers[0].resources?.limits ?? {};
    expect(Object.keys(limits)).toEqual(resource ? [resource] : []);
    expect(JSON.stringify(p.podSpec)).not.toMatch(/hostPath|volume/);
  });

  test('every device profile is covered: a device plugin or nothing to place', () => {
    for (const profile of DeviceProfile.options) {
      const p = device(profile);
      if (profile === 'none') expect(p.devicePlugin).toBeUndefined();
      else expect(p.devicePlugin?.resource, profile).toMatch(/^[a-z0-9.-]+\/[a-z0-9.-]+$/);
    }
  });

  test('the Coral plugin is configured for both USB ids and the PCIe node', () => {
    const config = device('edgetpu').devicePlugin?.config ?? '';
    const json = JSON.parse(config.replace(/^--device '(.*)'$/, '$1'));
    expect(json).toEqual({
      name: 'coral',
      groups: [
        { usb: [{ vendor: '1a6e', product: '089a' }] },
        { usb: [{ vendor: '18d1', product: '9302' }] },
        { paths: [{ path: '/dev/apex_0' }] },
      ],
    });
  });

  test('the tag defaults to the most specific floating one', () => {
    const image = plan.images.find((i) => i.name === 'vulkan-lavapipe')!;
    expect(podSpecFor(image).containers[0].image).toBe('acceleratorbase/vulkan-lavapipe:25.0.7-trixie');
  });

  test('YAML keeps label values strings, round-trips, and leads with what the node must run', () => {
    const p = placement('cuda-runtime');
    const text = placementYaml(p);
    expect(text).toBe(
      [
        "# The node must run NVIDIA's k8s-device-plugin (https://github.com/NVIDIA/k8s-device-plugin), offering nvidia.com/gpu.",
        '# docker or podman elsewhere: run --device nvidia.com/gpu=all acceleratorbase/cuda-runtime:12.4.127-trixie',
        'nodeSelector:',
        '  nvidia.com/gpu.present: "true"',
        'containers:',
        '  - name: cuda-runtime',
        '    image: acceleratorbase/cuda-runtime:12.4.127-trixie',
        '    resources:',
        '      limits:',
        '        nvidia.com/gpu: 1',
        '    securityContext:',
        '      privileged: false',
        '',
      ].join('\n'),
    );
    expect(parseYaml(text)).toEqual(p.podSpec);
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
    expect(JSON.parse(await cli('rocm-runtime:6.1-trixie', '--json'))).toEqual(placement('rocm-runtime:6.1-trixie'));
  });

  test('--registry names the image', async () => {
    expect(
      JSON.parse(await cli('cuda-runtime', '--registry', '127.0.0.1:5000/acceleratorbase', '--json')).podSpec
        .containers[0].image,
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
