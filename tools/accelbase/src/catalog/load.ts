// Reading catalog.yaml (and its lock) from disk: the only I/O of the catalog module.
import { existsSync, readdirSync } from 'node:fs';
import type { z } from 'zod';
import { join } from 'node:path';
import { CatalogError } from '../errors.js';
import { displayPath, readInputText } from '../lib/input.js';
import { emptyLock, Lock } from './lock.js';
import type { Model } from './model.js';
import { Catalog } from './schema.js';
import { buildModel } from './build-model.js';
import { issueAt, parseYaml, zodError, type YamlDoc } from './yaml-doc.js';
import { acceptedPart } from './accepted-part.js';
import { valueAt } from './schema-walk.js';
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
  if (!parsed.success) throw refusedCatalog(y, parsed.error, scripts, probes);
  const { model, issues } = buildModel(y, parsed.data, { scripts, probes });
  if (issues.length) throw new CatalogError(issues);
  return { model, yaml: y };
}

/**
 * A catalog the schema refused: its schema issues, and the semantic issues of the part it accepts
 * (README: every error at once), leaving out those about the refused parts, which are reported already.
 */
function refusedCatalog(
  y: YamlDoc,
  error: z.ZodError,
  scripts: ReadonlySet<string>,
  probes: ReadonlySet<string>,
): CatalogError {
  const structural = zodError(y, Catalog, error);
  const part = acceptedPart(Catalog, y.value, error);
  if (!part) return structural;
  // The image of a variant the schema refused; any image of an accelerator whose variants it could not read.
  const refusedImage = (name: string) =>
    Object.keys(valueAt(y.value, ['accelerators']) ?? {}).some((acc) => {
      if (!name.startsWith(`${acc}-`)) return false;
      const variant = name.slice(acc.length + 1);
      const variants = valueAt(y.value, ['accelerators', acc, 'variants']);
      if (variants === null || typeof variants !== 'object') return part.refused(['accelerators', acc]);
      return Object.hasOwn(variants, variant) && part.refused(['accelerators', acc, 'variants', variant]);
    });
  const { issues } = buildModel(y, part.data, {
    scripts,
    probes,
    refused: part.refused,
    refusedImage,
    originalPath: part.originalPath,
  });
  const semantic = issues.filter((i) => !part.removed.some((r) => `${i.path}.`.startsWith(`${r.join('.')}.`)));
  return new CatalogError([...structural.issues, ...semantic], structural.omitted);
}

export function parseLock(file: string, text: string, model: Model): Lock {
  const y = parseYaml(file, text);
  const parsed = Lock.safeParse(y.value ?? {});
  if (!parsed.success) throw zodError(y, Lock, parsed.error);
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
