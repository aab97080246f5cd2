// Review aids: which images a change touches (`affected`) and what changed in them (`diff`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedFiles, diffNewFile, diffPath, fileAt, mergeBase } from '../git.js';
import { affectedProjects, packageChanges } from '../plan/affected.js';
import { planImages } from '../plan/plan.js';
import type { OpenWorkspace } from './workspace.js';

export interface Affected {
  base: string;
  /** The merge base of `base` and the head. */
  since: string;
  projects: string[];
  images: string[];
}

/** Rendered folders touched since the merge base with `base`, and everything built on them. */
export async function affectedSince(ws: OpenWorkspace, base: string, head?: string): Promise<Affected> {
  // Project folders do not depend on the registry: plan under the catalog's own namespace.
  const plan = planImages(ws.model, ws.lock);
  const since = await mergeBase(ws.root, base, head);
  const projects = affectedProjects(plan, await changedFiles(ws.root, since, head));
  return { base, since, projects, images: plan.images.filter((i) => projects.includes(i.project)).map((i) => i.name) };
}

export interface ProjectDiff {
  project: string;
  /** The rendered Dockerfile's diff; empty when only a base changed. */
  dockerfile: string;
  packages: string[];
}

export async function reviewDiff(
  ws: OpenWorkspace,
  base: string,
  head?: string,
): Promise<{ base: string; projects: ProjectDiff[] }> {
  const { since, projects } = await affectedSince(ws, base, head);
  const readAt = async (rev: string | undefined, path: string) => {
    if (rev === undefined)
      return existsSync(join(ws.root, path)) ? readFileSync(join(ws.root, path), 'utf8') : undefined;
    return fileAt(ws.root, rev, path);
  };
  const parse = (t: string | undefined) => (t ? JSON.parse(t) : undefined);
  const out: ProjectDiff[] = [];
  for (const project of projects) {
    const path = `images/${project}/Dockerfile`;
    const isNew = (await readAt(since, path)) === undefined;
    // A new image's Dockerfile may be untracked yet: show it whole, as an addition.
    const dockerfile = isNew && !head ? await diffNewFile(ws.root, path) : await diffPath(ws.root, since, head, path);
    const packages = packageChanges(
      parse(await readAt(since, `images/${project}/image.json`)),
      parse(await readAt(head, `images/${project}/image.json`)),
    );
    out.push({ project, dockerfile, packages });
  }
  return { base, projects: out };
}
