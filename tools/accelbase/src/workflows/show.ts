// `show`: one image of the workspace in full (base chain, locked packages, device, placement, smoke, tags).
import { type ShowDetails, showImage } from '../pick/show.js';
import type { OpenWorkspace } from './workspace.js';

/** `ref`: IMAGE or REPOSITORY[:TAG], as `resolveImage` reads it. */
export const showWorkspace = (ws: OpenWorkspace, ref: string): ShowDetails =>
  showImage(ws.plan, ws.model, ref, ws.lock);
