// Reading catalog.yaml (and its lock) from disk: the only I/O of the catalog module.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogError } from '../errors.js';
import { displayPath, readInputText } from '../lib/input.js';
import { emptyLock, Lock } from './lock.js';
import type { Model } from './model.js';
import { Catalog } from './schema.js';
import { buildModel } from './build-model.js';
import { issueAt, parseYaml, zodError, type YamlDoc } from './yaml-doc.js';
import type { Workspace } from './workspace-paths.js';

export { workspaceFor, type Workspace } from './workspace-paths.js';

export const deviceQueriesDir = (root: string) => join(root, 'generators', 'device-queries');
/** One folder per compute probe (its sources and test.Dockerfile.eta): smoke's compute tier. */
export const computeProbesDir = (root: string) => join(root, 'generators', 'compute-probes');
/** The names in a folder, none when it does not exist. */
const entries = (dir: string) => new Set(existsSync(dir) ? readdirSync(dir) : []);

/** Parse and validate text as a catalog; throws CatalogError with every issue, sorted. */
export function parseCatalog(
  file: string,
  text: string,
  scripts: ReadonlySet<string>,
  probes: ReadonlySet<string> = new Set(),
): { model: Model; yaml: YamlDoc } {
  const y = parseYaml(file, text);
  const parsed = Catalog.safeParse(y.value);
  if (!parsed.success) throw zodError(y, parsed.error);
  const { model, issues } = buildModel(y, parsed.data, { scripts, probes });
  if (issues.length) throw new CatalogError(issues);
  return { model, yaml: y };
}

export function parseLock(file: string, text: string, model: Model): Lock {
  const y = parseYaml(file, text);
  const parsed = Lock.safeParse(y.value ?? {});
  if (!parsed.success) throw zodError(y, parsed.error);
  const issues = Object.keys(parsed.data.images)
    .filter((name) => !model.images.has(name))
    .map((name) =>
      issueAt(y, ['images', name], `image "${name}" is not in the catalog (run \`accelbase update\`)`, true),
    );
  if (issues.length) throw new CatalogError(issues);
  return parsed.data;
}

export interface LoadedCatalog {
  ws: Workspace;
  model: Model;
  lock: Lock;
  yaml: YamlDoc;
}

export function loadCatalog(ws: Workspace): LoadedCatalog {
  const display = displayPath(ws.catalogFile);
  const text = readInputText(ws.catalogFile, display, 'catalog');
  const { model, yaml } = parseCatalog(
    display,
    text,
    entries(deviceQueriesDir(ws.root)),
    entries(computeProbesDir(ws.root)),
  );
  const lockDisplay = displayPath(ws.lockFile);
  const lock = existsSync(ws.lockFile)
    ? parseLock(lockDisplay, readInputText(ws.lockFile, lockDisplay, 'lock file'), model)
    : emptyLock();
  return { ws, model, lock, yaml };
}
