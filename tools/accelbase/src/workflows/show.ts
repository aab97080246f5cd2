// `show`: one image of the workspace in full (base chain, locked packages, device, placement, smoke
// and its last outcome per tier, tags).
import { type ShowDetails, showImage } from '../pick/show.js';
import { readSmokeResults } from './state.js';
import type { OpenWorkspace } from './workspace.js';

/** `ref`: IMAGE or REPOSITORY[:TAG], as `resolveImage` reads it. */
export function showWorkspace(ws: OpenWorkspace, ref: string): ShowDetails {
  const details = showImage(ws.plan, ws.model, ref, ws.lock);
  const tested = readSmokeResults(ws.root)
    .filter((r) => r.image === details.name)
    .map((r) => ({ platform: r.platform, outcome: r.outcome, ...(r.tiers ? { tiers: r.tiers } : {}) }));
  return tested.length ? { ...details, tested } : details;
}
