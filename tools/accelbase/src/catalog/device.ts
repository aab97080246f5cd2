// The one device-profile mapping: which host devices each profile needs. `docker run` flags (smoke)
// and Kubernetes hostPath mounts (k8s) are both read from this table, never privileged.
import type { DeviceProfile } from './schema.js';

export type HostPathType = 'Directory' | 'CharDevice';

interface DevicePath {
  path: string;
  type: HostPathType;
  /** docker run: mount the path as a volume with this cgroup rule instead of `--device` (a re-enumerating bus). */
  cgroupRule?: string;
}

interface ProfileNeeds {
  /** Host paths mounted into the container. */
  paths: DevicePath[];
  /** docker run: a device that means the runtime is there, answered with these flags instead of `--device`s. */
  runtime?: { probe: string; flags: string[] };
  /** docker run: a group the container joins when the probe device exists. */
  groupAdd?: { probe: string; group: string };
}

// USB devices are character devices of major 189 (usb_device).
const USB_BUS: DevicePath = { path: '/dev/bus/usb', type: 'Directory', cgroupRule: 'c 189:* rmw' };
const APEX: DevicePath = { path: '/dev/apex_0', type: 'CharDevice' };

const PROFILES: Record<DeviceProfile, ProfileNeeds> = {
  none: { paths: [] },
  // The Coral USB accelerator re-enumerates after firmware load: pass the bus, not one device.
  usb: { paths: [USB_BUS] },
  apex: { paths: [APEX] },
  // A Coral of either kind: the USB accelerator, or the PCIe/M.2 module (gasket/apex driver).
  edgetpu: { paths: [USB_BUS, APEX] },
  // The NVIDIA container toolkit (docker) or device plugin (Kubernetes) injects the GPU itself.
  nvidia: { paths: [], runtime: { probe: '/dev/nvidiactl', flags: ['--gpus', 'all'] } },
  rocm: {
    paths: [
      { path: '/dev/kfd', type: 'CharDevice' },
      { path: '/dev/dri', type: 'Directory' },
    ],
    groupAdd: { probe: '/dev/kfd', group: 'video' },
  },
  dri: { paths: [{ path: '/dev/dri', type: 'Directory' }] },
};

/** The host paths a profile mounts (Kubernetes hostPath volumes). */
export const devicePaths = (profile: DeviceProfile): { path: string; type: HostPathType }[] =>
  PROFILES[profile].paths.map(({ path, type }) => ({ path, type }));

/**
 * `docker run` flags for a device profile, limited to the devices this host has: passing a
 * missing device makes docker fail, while leaving it out lets the runtime report no-device.
 */
export function deviceFlags(profile: DeviceProfile, exists: (path: string) => boolean): string[] {
  const needs = PROFILES[profile];
  const present = needs.paths.filter((p) => exists(p.path));
  const mounts = present.flatMap((p) =>
    p.cgroupRule ? ['-v', `${p.path}:${p.path}`, '--device-cgroup-rule', p.cgroupRule] : ['--device', p.path],
  );
  const runtime = needs.runtime && exists(needs.runtime.probe) ? needs.runtime.flags : [];
  const group = needs.groupAdd && exists(needs.groupAdd.probe) ? ['--group-add', needs.groupAdd.group] : [];
  return [...mounts, ...runtime, ...group];
}
