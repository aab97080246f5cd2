// `k8s`: the Pod spec fragment that places one image of the workspace, never privileged.
import { type PodSpecFragment, podSpecFor } from '../plan/k8s.js';
import { resolveImage } from '../pick/resolve.js';
import type { OpenWorkspace } from './workspace.js';

/** `ref`: IMAGE or REPOSITORY[:TAG]; a tag given is the one the fragment runs. */
export function podSpecWorkspace(ws: OpenWorkspace, ref: string): PodSpecFragment {
  const { image, tag } = resolveImage(ws.plan, ws.model, ref);
  return podSpecFor(image, tag);
}
