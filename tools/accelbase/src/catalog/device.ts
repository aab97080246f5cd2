// The one device-profile mapping: which host devices each profile needs (`docker run` flags, for
// smoke), and which device plugin and CDI device give them to a Kubernetes pod or to docker/podman
// (k8s). Never privileged, and never a hostPath device node in a pod: a pod's device cgroup blocks
// opening a node mounted that way, so only a device plugin can hand it a device.
import type { DeviceProfile } from './schema.js';

export type HostPathType = 'Directory' | 'CharDevice';

interface DevicePath {
  path: string;
  type: HostPathType;
  /** docker run: mount the path as a volume with this cgroup rule instead of `--device` (a re-enumerating bus). */
  cgroupRule?: string;
}

/** The device plugin that must run on a Kubernetes node to offer a profile's devices as a resource. */
export interface DevicePlugin {
  /** The extended resource a pod requests (`resources.limits`). */
  resource: string;
  /** Who provides it, and where its deployment is documented. */
  plugin: string;
  url: string;
  /** How the plugin must be configured to offer this profile's devices, where it needs telling. */
  config?: string;
}

interface ProfileNeeds {
  /** Host paths given to `docker run` (smoke on this host). */
  paths: DevicePath[];
  /** Kubernetes: the device plugin whose resource a pod requests. */
  plugin?: DevicePlugin;
  /** docker/podman: the CDI device name (`--device <name>`) where the vendor's toolkit generates a CDI spec. */
  cdi?: string;
  /** docker run: a device that means the runtime is there, answered with these flags instead of `--device`s. */
  runtime?: { probe: string; flags: string[] };
  /** docker run: a group the container joins when the probe device exists. */
  groupAdd?: { probe: string; group: string };
}

// USB devices are character devices of major 189 (usb_device).
const USB_BUS: DevicePath = { path: '/dev/bus/usb', type: 'Directory', cgroupRule: 'c 189:* rmw' };
const APEX: DevicePath = { path: '/dev/apex_0', type: 'CharDevice' };

// Coral has no vendor plugin: squat's generic device plugin offers it, configured with its USB ids
// (1a6e:089a before the firmware loads, 18d1:9302 after) and/or the PCIe module's node. Each group
// is one allocatable device, so a node offers whichever form it has.
const GENERIC_PLUGIN = {
  plugin: "squat's generic-device-plugin",
  url: 'https://github.com/squat/generic-device-plugin',
};
const CORAL_USB_GROUPS = [
  { usb: [{ vendor: '1a6e', product: '089a' }] },
  { usb: [{ vendor: '18d1', product: '9302' }] },
];
const CORAL_APEX_GROUPS = [{ paths: [{ path: '/dev/apex_0' }] }];
const coralPlugin = (groups: object[]): DevicePlugin => ({
  resource: 'squat.ai/coral',
  ...GENERIC_PLUGIN,
  config: `--device '${JSON.stringify({ name: 'coral', groups })}'`,
});

const PROFILES: Record<DeviceProfile, ProfileNeeds> = {
  none: { paths: [] },
  // The Coral USB accelerator re-enumerates after firmware load: pass the bus, not one device.
  usb: { paths: [USB_BUS], plugin: coralPlugin(CORAL_USB_GROUPS) },
  apex: { paths: [APEX], plugin: coralPlugin(CORAL_APEX_GROUPS) },
  // A Coral of either kind: the USB accelerator, or the PCIe/M.2 module (gasket/apex driver).
  edgetpu: { paths: [USB_BUS, APEX], plugin: coralPlugin([...CORAL_USB_GROUPS, ...CORAL_APEX_GROUPS]) },
  // The NVIDIA container toolkit (docker) or device plugin (Kubernetes) injects the GPU itself.
  nvidia: {
    paths: [],
    runtime: { probe: '/dev/nvidiactl', flags: ['--gpus', 'all'] },
    plugin: {
      resource: 'nvidia.com/gpu',
      plugin: "NVIDIA's k8s-device-plugin",
      url: 'https://github.com/NVIDIA/k8s-device-plugin',
    },
    cdi: 'nvidia.com/gpu=all',
  },
  rocm: {
    paths: [
      { path: '/dev/kfd', type: 'CharDevice' },
      { path: '/dev/dri', type: 'Directory' },
    ],
    groupAdd: { probe: '/dev/kfd', group: 'video' },
    plugin: {
      resource: 'amd.com/gpu',
      plugin: "AMD's ROCm k8s-device-plugin",
      url: 'https://github.com/ROCm/k8s-device-plugin',
    },
    cdi: 'amd.com/gpu=all',
  },
  dri: {
    paths: [{ path: '/dev/dri', type: 'Directory' }],
    plugin: {
      resource: 'gpu.intel.com/i915',
      plugin: "Intel's GPU device plugin",
      url: 'https://github.com/intel/intel-device-plugins-for-kubernetes',
    },
  },
};

/** The host paths a profile's devices live at (given to `docker run` when present). */
export const devicePaths = (profile: DeviceProfile): { path: string; type: HostPathType }[] =>
  PROFILES[profile].paths.map(({ path, type }) => ({ path, type }));

/** `docker run` arguments giving one host path: a device node, or a bus mounted with a cgroup rule. */
const pathArgs = (p: DevicePath): string[] =>
  p.cgroupRule ? ['-v', `${p.path}:${p.path}`, '--device-cgroup-rule', p.cgroupRule] : ['--device', p.path];

/** The device plugin a Kubernetes node must run for a profile (none for `none`). */
export const devicePlugin = (profile: DeviceProfile): DevicePlugin | undefined => PROFILES[profile].plugin;

/**
 * How to give a profile's devices to `docker run` or podman elsewhere: the CDI device where the
 * vendor's toolkit generates one, else the host paths.
 */
export function containerDeviceArgs(profile: DeviceProfile): string[] {
  const needs = PROFILES[profile];
  if (needs.cdi) return ['--device', needs.cdi];
  return needs.paths.flatMap(pathArgs);
}

/**
 * `docker run` flags for a device profile, limited to the devices this host has: passing a
 * missing device makes docker fail, while leaving it out lets the runtime report no-device.
 */
export function deviceFlags(profile: DeviceProfile, exists: (path: string) => boolean): string[] {
  const needs = PROFILES[profile];
  const present = needs.paths.filter((p) => exists(p.path));
  const mounts = present.flatMap(pathArgs);
  const runtime = needs.runtime && exists(needs.runtime.probe) ? needs.runtime.flags : [];
  const group = needs.groupAdd && exists(needs.groupAdd.probe) ? ['--group-add', needs.groupAdd.group] : [];
  return [...mounts, ...runtime, ...group];
}
