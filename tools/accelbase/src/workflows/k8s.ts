// `k8s`: where one image of the workspace runs: its Pod spec fragment, never privileged, and the
// device plugin the node needs.
import { type Placement, placementFor } from '../plan/k8s.js';
import { resolveImage } from '../pick/resolve.js';
import type { OpenWorkspace } from './workspace.js';

/** `ref`: IMAGE or REPOSITORY[:TAG]; a tag given is the one the fragment runs. */
export function placementWorkspace(ws: OpenWorkspace, ref: string): Placement {
  const { image, tag } = resolveImage(ws.plan, ws.model, ref);
  return placementFor(image, tag);
}
