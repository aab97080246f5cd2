// Review aids: which images a change touches (`affected`) and what changed in them (`diff`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { run } from '../exec.js';
import { affectedProjects, packageChanges } from '../plan/affected.js';
import { planImages } from '../plan/plan.js';
import { load, printJson, type Context } from './commands.js';

const git = (root: string, ...args: string[]) => run('git', args, { cwd: root, allowFailure: true });

async function mergeBase(root: string, base: string, head?: string): Promise<string> {
  const mb = await git(root, 'merge-base', base, head ?? 'HEAD');
  if (mb.exitCode !== 0) throw new UserError(`git cannot find ${base}: ${mb.stderr.trim().split('\n').pop()}`);
  return mb.stdout.trim();
}

/** Files changed since the merge base with `base`, committed or not, and untracked ones (as `nx affected` sees them). */
async function changedFiles(root: string, since: string, head?: string): Promise<string[]> {
  const lists = head
    ? [await git(root, 'diff', '--name-only', '--no-renames', since, head)]
    : [await git(root, 'diff', '--name-only', '--no-renames', since), await git(root, 'ls-files', '--others', '--exclude-standard')];
  return [...new Set(lists.flatMap((r) => r.stdout.split('\n').filter(Boolean)))].sort();
}

async function affectedSince(ctx: Context) {
  const base = ctx.flags.base;
  if (!base) throw new UserError(`usage: accelbase ${ctx.command} --base REF [--head REF] [--json]`, 2);
  const loaded = load(ctx);
  const plan = planImages(loaded.model, loaded.lock);
  const since = await mergeBase(loaded.ws.root, base, ctx.flags.head);
  const projects = affectedProjects(plan, await changedFiles(loaded.ws.root, since, ctx.flags.head));
  return { root: loaded.ws.root, base, since, plan, projects };
}

export async function affected(ctx: Context): Promise<number> {
  const { base, plan, projects } = await affectedSince(ctx);
  const images = plan.images.filter((i) => projects.includes(i.project)).map((i) => i.name);
  if (ctx.flags.json) printJson(ctx, { base, projects, images });
  else for (const p of projects) ctx.out(`${p}\n`);
  return 0;
}

export async function diff(ctx: Context): Promise<number> {
  const { root, base, since, projects } = await affectedSince(ctx);
  const head = ctx.flags.head;
  const readAt = async (rev: string | undefined, path: string) => {
    if (rev === undefined) return existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined;
    const r = await git(root, 'show', `${rev}:${path}`);
    return r.exitCode === 0 ? r.stdout : undefined;
  };
  const out = [];
  for (const project of projects) {
    const path = `images/${project}/Dockerfile`;
    const isNew = (await readAt(since, path)) === undefined;
    // A new image's Dockerfile may be untracked yet: show it whole, as an addition.
    const dockerfile = isNew && !head
      ? (await git(root, 'diff', '--no-color', '--no-index', '--', '/dev/null', path)).stdout
      : (await git(root, 'diff', '--no-color', since, ...(head ? [head] : []), '--', path)).stdout;
    const parse = (t: string | undefined) => (t ? JSON.parse(t) : undefined);
    const packages = packageChanges(parse(await readAt(since, `images/${project}/image.json`)), parse(await readAt(head, `images/${project}/image.json`)));
    out.push({ project, dockerfile, packages });
  }
  if (ctx.flags.json) {
    printJson(ctx, { base, projects: out });
    return 0;
  }
  if (out.length === 0) ctx.out(`no image changed since ${base}\n`);
  for (const o of out) {
    ctx.out(`== ${o.project}\n`);
    ctx.out(o.packages.length ? `${o.packages.map((l) => `  ${l}`).join('\n')}\n` : '  packages: unchanged\n');
    ctx.out(o.dockerfile ? `${o.dockerfile.trimEnd()}\n` : '  Dockerfile: unchanged (built on a changed base)\n');
  }
  return 0;
}
