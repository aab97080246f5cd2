// Opening a workspace for a workflow: the loaded catalog and lock, and the plan under the namespace
// this run builds for (--registry, else ACCELBASE_REGISTRY, else the catalog's).
import { loadCatalog, workspaceFor, type LoadedCatalog } from '../catalog/load.js';
import { namespaceOption } from './namespace.js';
import { planImages, type Plan } from '../plan/plan.js';

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
