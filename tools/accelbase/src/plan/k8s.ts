// A Kubernetes Pod spec fragment that places an image on a node with its accelerator, and what the
// node and other runtimes need for it. Pure.
import { stringify } from 'yaml';
import { containerDeviceArgs, type DevicePlugin, devicePlugin } from '../catalog/device.js';
import { archOf } from '../catalog/platform.js';
import { shellJoin } from '../lib/shell.js';
import type { PlannedImage } from './plan.js';
import { mostSpecificTag } from './tags.js';

export interface PodSpecFragment {
  nodeSelector?: Record<string, string>;
  containers: {
    name: string;
    image: string;
    resources?: { limits: Record<string, number> };
    securityContext: { privileged: false };
  }[];
}

/** `accelbase k8s`: the fragment, the device plugin the node must run, and how docker/podman get the device. */
export interface Placement {
  image: string;
  reference: string;
  podSpec: PodSpecFragment;
  /** The device plugin whose resource the fragment requests; absent for an image with no device. */
  devicePlugin?: DevicePlugin;
  /** `docker run`/`podman run` arguments giving the device: a CDI device, else the host paths. */
  containerDeviceArgs: string[];
}

type Placeable = Pick<PlannedImage, 'name' | 'repository' | 'tags' | 'platforms' | 'device' | 'placement'>;

/**
 * The Pod spec fragment for one image: nodeSelector from its placement (plus kubernetes.io/arch
 * when it is built for one architecture only), resource limits for the device plugin its device
 * needs (one device unless the placement says more), never privileged, and never a hostPath
 * device node (a pod's device cgroup would block it). The tag defaults to the most specific one.
 */
export function podSpecFor(image: Placeable, tag = mostSpecificTag(image)): PodSpecFragment {
  const nodeSelector: Record<string, string> = { ...image.placement.nodeSelector };
  if (image.platforms.length === 1) nodeSelector['kubernetes.io/arch'] = archOf(image.platforms[0]);
  const plugin = devicePlugin(image.device);
  const limits = { ...(plugin ? { [plugin.resource]: 1 } : {}), ...image.placement.resources };
  return {
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    containers: [
      {
        name: image.name,
        image: `${image.repository}:${tag}`,
        ...(Object.keys(limits).length ? { resources: { limits } } : {}),
        securityContext: { privileged: false },
      },
    ],
  };
}

export function placementFor(image: Placeable, tag = mostSpecificTag(image)): Placement {
  const plugin = devicePlugin(image.device);
  return {
    image: image.name,
    reference: `${image.repository}:${tag}`,
    podSpec: podSpecFor(image, tag),
    ...(plugin ? { devicePlugin: plugin } : {}),
    containerDeviceArgs: containerDeviceArgs(image.device),
  };
}

/**
 * YAML for people (label values like "true" stay strings), led by comments saying which device
 * plugin the node must run and how docker or podman get the device, so it pastes as it is.
 */
export function placementYaml(placement: Placement): string {
  const { devicePlugin: plugin, containerDeviceArgs: args } = placement;
  const notes = plugin
    ? [
        `# The node must run ${plugin.plugin} (${plugin.url}), offering ${plugin.resource}.`,
        ...(plugin.config ? [`# Configure it with: ${plugin.config}`] : []),
        `# docker or podman elsewhere: run ${shellJoin([...args, placement.reference])}`,
      ]
    : [];
  return [...notes, stringify(placement.podSpec)].join('\n');
}
