// Reading catalog.yaml (and its lock) from disk: the only I/O of the catalog module.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CatalogError, UserError } from '../errors.js';
import { emptyLock, Lock } from './lock.js';
import type { Model } from './model.js';
import { Catalog } from './schema.js';
import { buildModel } from './build-model.js';
import { issueAt, parseYaml, zodIssues, type YamlDoc } from './yaml-doc.js';

export interface Workspace {
  /** Folder holding catalog.yaml: images/, generators/ and the bake file are relative to it. */
  root: string;
  catalogFile: string;
  lockFile: string;
}

export function workspaceFor(catalogPath = 'catalog.yaml', cwd = process.cwd()): Workspace {
  const catalogFile = resolve(cwd, catalogPath);
  const root = dirname(catalogFile);
  return { root, catalogFile, lockFile: join(root, basename(catalogFile).replace(/\.ya?ml$/, '') + '.lock.yaml') };
}

export const deviceQueriesDir = (root: string) => join(root, 'generators', 'device-queries');

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read ${what} ${file}`);
  }
}

/** Parse and validate text as a catalog; throws CatalogError with every issue, sorted. */
export function parseCatalog(file: string, text: string, scripts: ReadonlySet<string>): { model: Model; yaml: YamlDoc } {
  const y = parseYaml(file, text);
  const parsed = Catalog.safeParse(y.doc.toJS());
  if (!parsed.success) throw new CatalogError(zodIssues(y, parsed.error));
  const { model, issues } = buildModel(y, parsed.data, { scripts });
  if (issues.length) throw new CatalogError(issues);
  return { model, yaml: y };
}

export function parseLock(file: string, text: string, model: Model): Lock {
  const y = parseYaml(file, text);
  const parsed = Lock.safeParse(y.doc.toJS() ?? {});
  if (!parsed.success) throw new CatalogError(zodIssues(y, parsed.error));
  const issues = Object.keys(parsed.data.images)
    .filter((name) => !model.images.has(name))
    .map((name) => issueAt(y, ['images', name], `image "${name}" is not in the catalog (run \`accelbase update\`)`, true));
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
  const display = relative(process.cwd(), ws.catalogFile) || ws.catalogFile;
  const text = readText(ws.catalogFile, 'catalog');
  const dir = deviceQueriesDir(ws.root);
  const scripts = new Set(existsSync(dir) ? readdirSync(dir) : []);
  const { model, yaml } = parseCatalog(display, text, scripts);
  const lock = existsSync(ws.lockFile)
    ? parseLock(relative(process.cwd(), ws.lockFile) || ws.lockFile, readText(ws.lockFile, 'lock file'), model)
    : emptyLock();
  return { ws, model, lock, yaml };
}
