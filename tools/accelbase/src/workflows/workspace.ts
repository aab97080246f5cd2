// Opening a workspace for a workflow: the loaded catalog and lock, and the plan under the namespace
// this run builds for (--registry, else ACCELBASE_REGISTRY, else the catalog's).
import { loadCatalog, workspaceFor, type LoadedCatalog } from '../catalog/load.js';
import { RegistryNamespace } from '../catalog/grammar.js';
import { UserError } from '../errors.js';
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

/** The namespace this run uses, checked the same way for every command. */
export function namespaceOption(registry: string | undefined): string | undefined {
  // ACCELBASE_REGISTRY lets CI (and Nx targets) set the namespace for every command at once.
  const ns = registry ?? (process.env.ACCELBASE_REGISTRY || undefined);
  if (ns !== undefined && !RegistryNamespace.safeParse(ns).success) {
    throw new UserError(`--registry "${ns}" is not a registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase`);
  }
  return ns;
}

export function openWorkspace(options: WorkspaceOptions): OpenWorkspace {
  const namespace = namespaceOption(options.registry);
  const loaded = loadCatalog(workspaceFor(options.catalog));
  return { ...loaded, root: loaded.ws.root, plan: planImages(loaded.model, loaded.lock, { namespace }), options };
}

/** The same workspace read again from disk (after a step wrote the lock). */
export const reopen = (ws: OpenWorkspace): OpenWorkspace => openWorkspace(ws.options);
