// Review aids: which images a change touches (`affected`) and what changed in them (`diff`). Both
// compare the rendered files and the catalog's models (catalog.yaml and its lock, planned at the
// base and at the head), so a catalog edit that was not rendered is still seen, and named.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCatalog, parseLock } from '../catalog/load.js';
import { emptyLock, type Lock } from '../catalog/lock.js';
import type { Model } from '../catalog/model.js';
import { CatalogError } from '../errors.js';
import { changedFiles, diffNewFile, diffPath, fileAt, mergeBase, namesAt } from '../git.js';
import {
  affectedImages,
  changedModels,
  packageChanges,
  projectsOf,
  renderedProjects,
  type AffectedImage,
  type PackageDiff,
} from '../plan/affected.js';
import { planImages, type Plan } from '../plan/plan.js';
import { renderToDisk, renderWorkspace } from '../render/pipeline.js';
import type { OpenWorkspace } from './workspace.js';

/** An Nx project: a rendered folder, `images/<name>/`. */
export interface ProjectRef {
  name: string;
  dir: string;
}

export interface Affected {
  base: string;
  /** The merge base of `base` and the head. */
  since: string;
  images: AffectedImage[];
  projects: ProjectRef[];
  /** Affected images whose rendered files are not what the head's catalog renders to. */
  notRendered: { name: string; project: string }[];
}

/** What `affected` and `diff` say when `notRendered` is not empty. */
export const RENDER_HINT = 'the catalog changed but images/ was not rendered again: run `accelbase render`';

const DEVICE_QUERIES = 'generators/device-queries';

type Catalog = { model: Model; lock: Lock };

/**
 * The catalog and its lock at `rev`; undefined when there is no catalog there, or none that parses
 * (every image then counts as changed).
 */
async function catalogAt(ws: OpenWorkspace, rev: string): Promise<Catalog | undefined> {
  const at = (file: string) => fileAt(ws.root, rev, `./${basename(file)}`);
  const text = await at(ws.ws.catalogFile);
  if (text === undefined) return undefined;
  try {
    const scripts = new Set(await namesAt(ws.root, rev, DEVICE_QUERIES));
    const { model } = parseCatalog(`${rev}:${basename(ws.ws.catalogFile)}`, text, scripts);
    const lockText = await at(ws.ws.lockFile);
    const lock =
      lockText === undefined ? emptyLock() : parseLock(`${rev}:${basename(ws.ws.lockFile)}`, lockText, model);
    return { model, lock };
  } catch (e) {
    if (e instanceof CatalogError) return undefined;
    throw e;
  }
}

/** The projects among `projects` whose rendered files differ from what `head` renders to (at `rev`, or in the work tree). */
async function unrendered(ws: OpenWorkspace, head: Catalog, rev: string | undefined, projects: Set<string>) {
  if (rev === undefined) return renderedProjects(renderToDisk(ws.root, head.model, head.lock, false).touched);
  const stale = new Set<string>();
  for (const [path, text] of renderWorkspace(ws.root, head.model, head.lock)) {
    const project = /^images\/([^/]+)\//.exec(path)?.[1];
    if (!project || !projects.has(project) || stale.has(project)) continue;
    // fileAt's text comes without its final newline (as exec.ts returns every output).
    if ((await fileAt(ws.root, rev, `./${path}`)) !== text.replace(/\n$/, '')) stale.add(project);
  }
  return stale;
}

/**
 * Images whose rendered folder or planned model (catalog entry, lock) changed since the merge base
 * with `base`, and everything built on them.
 */
export async function affectedSince(ws: OpenWorkspace, base: string, head?: string): Promise<Affected> {
  return (await compareSince(ws, base, head)).affected;
}

async function compareSince(ws: OpenWorkspace, base: string, head?: string) {
  const since = await mergeBase(ws.root, base, head);
  const headCatalog = head === undefined ? { model: ws.model, lock: ws.lock } : await catalogAt(ws, head);
  // Project folders do not depend on the registry: plan under the catalog's own namespace.
  const plan = headCatalog ? planImages(headCatalog.model, headCatalog.lock) : planImages(ws.model, ws.lock);
  const atSince = await catalogAt(ws, since);
  const before = atSince && planImages(atSince.model, atSince.lock);
  const catalog = changedModels(before, plan);
  const images = affectedImages(plan, renderedProjects(await changedFiles(ws.root, since, head)), catalog);
  const projects = projectsOf(images);
  const stale = headCatalog
    ? await unrendered(
        ws,
        headCatalog,
        head,
        new Set(images.filter((i) => i.why.includes('catalog')).map((i) => i.project)),
      )
    : new Set<string>();
  const affected: Affected = {
    base,
    since,
    images,
    projects: projects.map((name) => ({ name, dir: `images/${name}` })),
    notRendered: images.filter((i) => stale.has(i.project)).map(({ name, project }) => ({ name, project })),
  };
  return { affected, before, plan };
}

export interface ProjectDiff extends ProjectRef {
  /** The rendered Dockerfile's diff; empty when only a base changed (or nothing was rendered yet). */
  dockerfile: string;
  packages: PackageDiff[];
}

export interface ReviewDiff extends Omit<Affected, 'projects'> {
  projects: ProjectDiff[];
}

export async function reviewDiff(ws: OpenWorkspace, base: string, head?: string): Promise<ReviewDiff> {
  const { affected, before, plan } = await compareSince(ws, base, head);
  const { since } = affected;
  // Package changes from the planned models, so an edit not rendered yet shows too.
  const packagesOf = (p: Plan | undefined, project: string) =>
    p && { images: p.images.filter((i) => i.project === project) };
  const readAt = async (rev: string | undefined, path: string) => {
    if (rev === undefined)
      return existsSync(join(ws.root, path)) ? readFileSync(join(ws.root, path), 'utf8') : undefined;
    return fileAt(ws.root, rev, path);
  };
  const projects: ProjectDiff[] = [];
  for (const { name, dir } of affected.projects) {
    const path = `${dir}/Dockerfile`;
    const isNew = (await readAt(since, path)) === undefined;
    const isThere = (await readAt(head, path)) !== undefined;
    // A new image's Dockerfile may be untracked yet: show it whole, as an addition.
    const dockerfile = !isThere
      ? ''
      : isNew && !head
        ? await diffNewFile(ws.root, path)
        : await diffPath(ws.root, since, head, path);
    const packages = packageChanges(packagesOf(before, name), packagesOf(plan, name));
    projects.push({ name, dir, dockerfile, packages });
  }
  return { ...affected, projects };
}
