// A Kubernetes Pod spec fragment that places an image on a node with its accelerator. Pure.
import { stringify } from 'yaml';
import { devicePaths, type HostPathType } from '../catalog/device.js';
import { archOf } from '../catalog/platform.js';
import type { DeviceProfile } from '../catalog/schema.js';
import type { PlannedImage } from './plan.js';
import { mostSpecificTag } from './tags.js';

export interface DeviceMount {
  /** Volume name: the path as a DNS label, `dev-bus-usb`. */
  name: string;
  path: string;
  type: HostPathType;
}

export interface PodSpecFragment {
  nodeSelector?: Record<string, string>;
  containers: {
    name: string;
    image: string;
    resources?: { limits: Record<string, number> };
    securityContext: { privileged: false };
    volumeMounts?: { name: string; mountPath: string }[];
  }[];
  volumes?: { name: string; hostPath: { path: string; type: HostPathType } }[];
}

/**
 * The host devices a profile needs, mounted instead of running privileged. nvidia has none: the
 * NVIDIA device plugin injects the GPU for the `nvidia.com/gpu` limit.
 */
export const deviceMounts = (profile: DeviceProfile): DeviceMount[] =>
  devicePaths(profile).map(({ path, type }) => ({
    name: path.replace(/^\//, '').replace(/[^a-z0-9]+/g, '-'),
    path,
    type,
  }));

/**
 * The Pod spec fragment for one image: nodeSelector from its placement (plus kubernetes.io/arch
 * when it is built for one architecture only), resource limits from the device plugins it needs,
 * hostPath mounts for its devices, never privileged. The tag defaults to the most specific one.
 */
export function podSpecFor(
  image: Pick<PlannedImage, 'name' | 'repository' | 'tags' | 'platforms' | 'device' | 'placement'>,
  tag = mostSpecificTag(image),
): PodSpecFragment {
  const nodeSelector: Record<string, string> = { ...image.placement.nodeSelector };
  if (image.platforms.length === 1) nodeSelector['kubernetes.io/arch'] = archOf(image.platforms[0]);
  const mounts = deviceMounts(image.device);
  const limits = { ...image.placement.resources };
  const container: PodSpecFragment['containers'][number] = {
    name: image.name,
    image: `${image.repository}:${tag}`,
    ...(Object.keys(limits).length ? { resources: { limits } } : {}),
    securityContext: { privileged: false },
    ...(mounts.length ? { volumeMounts: mounts.map((m) => ({ name: m.name, mountPath: m.path })) } : {}),
  };
  return {
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    containers: [container],
    ...(mounts.length
      ? { volumes: mounts.map((m) => ({ name: m.name, hostPath: { path: m.path, type: m.type } })) }
      : {}),
  };
}

/** YAML for people (label values like "true" stay strings). */
export const podSpecYaml = (spec: PodSpecFragment): string => stringify(spec);
