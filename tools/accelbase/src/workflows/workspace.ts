// Opening a workspace for a workflow: the loaded catalog and lock, and the plan under the namespace
// this run builds for (--registry, else ACCELBASE_REGISTRY, else the catalog's).
import { loadCatalog, workspaceFor, type LoadedCatalog } from '../catalog/load.js';
import { namespaceOption } from './namespace.js';
import { planImages, type Plan } from '../plan/plan.js';
import { lifecycleIssues } from '../catalog/lifecycle.js';
import { CatalogError, type CatalogIssue } from '../errors.js';

export interface WorkspaceOptions {
  /** catalog.yaml's path. */
  catalog: string;
  /** Registry/namespace override. */
  registry?: string;
}

export interface OpenWorkspace extends LoadedCatalog {
  root: string;
  plan: Plan;
  options: WorkspaceOptions;
}

export function openWorkspace(options: WorkspaceOptions): OpenWorkspace {
  const namespace = namespaceOption(options.registry);
  const loaded = loadCatalog(workspaceFor(options.catalog));
  return { ...loaded, root: loaded.ws.root, plan: planImages(loaded.model, loaded.lock, { namespace }), options };
}

/** The same workspace read again from disk (after a step wrote the lock). */
export const reopen = (ws: OpenWorkspace): OpenWorkspace => openWorkspace(ws.options);

/**
 * The release lifecycle as validate, plan and build apply it: an image on a release past its
 * security-support end fails (every such image, positioned); one within the warning window is returned.
 */
export function checkLifecycle(ws: OpenWorkspace, today: string): CatalogIssue[] {
  const { errors, warnings } = lifecycleIssues(ws.yaml, ws.model, ws.lock, today);
  if (errors.length) throw new CatalogError(errors);
  return warnings;
}
