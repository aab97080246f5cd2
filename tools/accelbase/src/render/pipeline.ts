// The render pipeline, once: catalog model + lock -> plan -> every rendered file; then compare with
// or apply to the work tree. Used by `render`, `update`, the Nx generators and the bench.
import type { Lock } from '../catalog/lock.js';
import type { Model } from '../catalog/model.js';
import { planImages } from '../plan/plan.js';
import { diskReader, renderAll, type ReadFile } from './render.js';
import { applyRendered, diffRendered, type RenderDiff } from './write.js';

/** Every rendered file (images/*, docker-bake.json), by path relative to the workspace root. */
export const renderWorkspace = (
  root: string,
  model: Model,
  lock: Lock,
  read: ReadFile = diskReader(root),
): Map<string, string> => renderAll(root, planImages(model, lock), model.catalog, read);

export interface RenderOutcome extends RenderDiff {
  files: number;
  /** Paths written or removed, sorted. */
  touched: string[];
  /** What was rendered: path -> text. */
  rendered: ReadonlyMap<string, string>;
}

/** Render and compare with the work tree; `apply` writes what differs (atomically) and removes stale files. */
export function renderToDisk(root: string, model: Model, lock: Lock, apply: boolean): RenderOutcome {
  const files = renderWorkspace(root, model, lock);
  const diff = diffRendered(root, files);
  if (apply) applyRendered(root, files, diff);
  return {
    files: files.size,
    rendered: files,
    ...diff,
    touched: [...diff.added, ...diff.changed, ...diff.stale].sort(),
  };
}
