// `render`: write images/*/ and docker-bake.json, or (`check`) compare them with what the catalog
// renders to. On a tree the render stamp vouches for, neither loads the catalog (see
// render/stamp.ts): the catalog and the pipeline are imported only when the stamp does not hold.
import { workspaceFor } from '../catalog/workspace-paths.js';
import { buildId, inputKey, stampHolds, writeStamp } from '../render/stamp.js';
import type { WorkspaceOptions } from './workspace.js';

export interface RenderResult {
  /** Every file the catalog renders to (relative to the workspace root), sorted. */
  files: string[];
  changed: string[];
  added: string[];
  stale: string[];
  /** Paths written or removed (with `check`: that would be), sorted. */
  touched: string[];
}

export async function renderTree(options: WorkspaceOptions & { check?: boolean }): Promise<RenderResult> {
  const paths = workspaceFor(options.catalog);
  const code = buildId();
  const key = code === undefined ? undefined : inputKey(code, paths);
  const vouched = key === undefined ? undefined : stampHolds(paths, key);
  if (vouched !== undefined) return { files: vouched, changed: [], added: [], stale: [], touched: [] };
  const [{ openWorkspace }, { renderToDisk }] = await Promise.all([
    import('./workspace.js'),
    import('../render/pipeline.js'),
  ]);
  const ws = openWorkspace(options);
  const { rendered, changed, added, stale, touched } = renderToDisk(ws.root, ws.model, ws.lock, !options.check);
  // The tree now matches the render (written, or found current by --check): remember that.
  if (key !== undefined && (!options.check || touched.length === 0)) writeStamp(paths, key, rendered);
  return { files: [...rendered.keys()].sort(), changed, added, stale, touched };
}
