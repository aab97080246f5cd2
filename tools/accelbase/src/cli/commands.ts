// The commands: each orchestrates catalog -> plan -> outputs and prints; no logic of its own.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { debianMirror } from '../datasources/debian/mirror.js';
import { loadCatalog, workspaceFor, type LoadedCatalog } from '../catalog/load.js';
import { RegistryNamespace } from '../catalog/grammar.js';
import { catalogJsonSchema } from '../catalog/schema.js';
import { CatalogError, CheckFailed, RewriteError, UserError } from '../errors.js';
import { planImages, type Plan } from '../plan/plan.js';
import { renderAll } from '../render/render.js';
import { writeAtomic } from '../lib/fs.js';
import { applyRendered, diffRendered } from '../render/write.js';
import { serializeLock } from '../catalog/lock.js';
import { updateLock, type Unresolved } from '../workflows/update.js';
import { rewriteFrom } from '../variants/rewrite.js';
import type { Flags } from './args.js';

export interface Context {
  command: string;
  flags: Flags;
  args: string[];
  out: (text: string) => void;
}

export const printJson = (ctx: Context, value: unknown) => ctx.out(`${JSON.stringify(value, null, 2)}\n`);

export function load(ctx: Context): LoadedCatalog {
  return loadCatalog(workspaceFor(ctx.flags.catalog));
}

export function planFor(ctx: Context, loaded = load(ctx)): Plan {
  // ACCELBASE_REGISTRY lets CI (and Nx targets) set the namespace for every command at once.
  const ns = ctx.flags.registry ?? (process.env.ACCELBASE_REGISTRY || undefined);
  if (ns !== undefined && !RegistryNamespace.safeParse(ns).success) {
    throw new UserError(`--registry "${ns}" is not a registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase`);
  }
  return planImages(loaded.model, loaded.lock, { namespace: ns });
}

export function validate(ctx: Context): number {
  const loaded = load(ctx);
  const count = loaded.model.images.size;
  if (ctx.flags.json) printJson(ctx, { ok: true, catalog: loaded.yaml.file, images: count });
  else ctx.out(`${loaded.yaml.file}: ok (${count} images)\n`);
  return 0;
}

export function render(ctx: Context): number {
  const loaded = load(ctx);
  const plan = planImages(loaded.model, loaded.lock);
  const files = renderAll(loaded.ws.root, plan, loaded.model.catalog);
  const diff = diffRendered(loaded.ws.root, files);
  const touched = [...diff.added, ...diff.changed, ...diff.stale].sort();
  if (ctx.flags.check) {
    if (ctx.flags.json) printJson(ctx, { ok: touched.length === 0, ...diff });
    if (touched.length) {
      const lines = [
        ...diff.changed.map((f) => `  changed: ${f}`),
        ...diff.added.map((f) => `  missing: ${f}`),
        ...diff.stale.map((f) => `  stale:   ${f}`),
      ];
      throw new CheckFailed(`rendered files are out of date; run \`npx accelbase render\`:\n${lines.join('\n')}`);
    }
    if (!ctx.flags.json) ctx.out(`rendered files are up to date (${files.size} files)\n`);
    return 0;
  }
  applyRendered(loaded.ws.root, files, diff);
  if (ctx.flags.json) printJson(ctx, { files: files.size, ...diff });
  else {
    const lines = [...[...diff.added, ...diff.changed].sort().map((f) => `wrote ${f}`), ...diff.stale.map((f) => `removed ${f}`)];
    ctx.out(lines.length ? `${lines.join('\n')}\n` : `up to date (${files.size} files)\n`);
  }
  return 0;
}

export function plan(ctx: Context): number {
  const p = planFor(ctx);
  if (ctx.flags.json) {
    printJson(ctx, { namespace: p.namespace, images: p.images });
    return 0;
  }
  for (const [i, image] of p.images.entries()) {
    ctx.out(`${i + 1}. ${image.name}  (${image.repository})\n`);
    ctx.out(`   base: ${image.base ? `${image.base.name} (${image.base.ref})` : 'scratch'}\n`);
    ctx.out(`   platforms: ${image.platforms.join(', ')}\n`);
    ctx.out(`   tags: ${image.tags.join(', ')}${image.version || image.kind === 'minideb' ? '' : '  (no runtime version locked yet: run `accelbase update`)'}\n`);
  }
  return 0;
}

export function ls(ctx: Context): number {
  const p = planFor(ctx);
  if (ctx.flags.json) {
    printJson(ctx, { images: p.images.map((i) => ({ name: i.name, repository: i.repository, platforms: i.platforms, tags: i.tags })) });
    return 0;
  }
  const width = Math.max(...p.images.map((i) => i.name.length));
  for (const i of p.images) ctx.out(`${i.name.padEnd(width)}  ${i.platforms.map((pl) => pl.replace('linux/', '')).join(',').padEnd(11)}  ${i.repository}:${i.tags.join(',')}\n`);
  return 0;
}

export function schema(ctx: Context): number {
  const text = `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`;
  if (!ctx.flags.write) {
    ctx.out(text);
    return 0;
  }
  const file = join(workspaceFor(ctx.flags.catalog).root, 'tools', 'accelbase', 'catalog.schema.json');
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* first write */
  }
  if (current !== text) writeAtomic(file, text);
  ctx.out(`${current === text ? 'up to date' : 'wrote'} ${file}\n`);
  return 0;
}

export async function update(ctx: Context): Promise<number> {
  const loaded = load(ctx);
  const mirror = debianMirror();
  const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'accelbase', 'indexes');
  const result = await updateLock(loaded.model, loaded.lock, { mirror, today: new Date().toISOString().slice(0, 10), cacheDir });
  const text = serializeLock(result.lock);
  let before = '';
  try {
    before = readFileSync(loaded.ws.lockFile, 'utf8');
  } catch {
    /* no lock yet */
  }
  if (text !== before) writeAtomic(loaded.ws.lockFile, text);
  // Re-render from the new lock so Dockerfiles pin what was resolved.
  const relock = loadCatalog(loaded.ws);
  const files = renderAll(relock.ws.root, planImages(relock.model, relock.lock), relock.model.catalog);
  const diff = diffRendered(relock.ws.root, files);
  applyRendered(relock.ws.root, files, diff);
  const unreachable = groupUnresolved(result.unresolved);
  if (ctx.flags.json) {
    printJson(ctx, { lockChanged: text !== before, changes: result.changes, unresolved: result.unresolved, rendered: [...diff.added, ...diff.changed, ...diff.stale] });
    return 0;
  }
  for (const c of result.changes) ctx.out(`${c.image} (${c.platform}): ${c.package} ${c.from ?? '(new)'} -> ${c.to}\n`);
  for (const u of unreachable) ctx.out(`unresolved: ${u.what} (${u.reason}): ${u.images.join(', ')}\n`);
  ctx.out(text === before ? 'lock unchanged\n' : `wrote ${relative(process.cwd(), loaded.ws.lockFile) || loaded.ws.lockFile}\n`);
  return 0;
}

function groupUnresolved(list: Unresolved[]): { what: string; reason: string; images: string[] }[] {
  const groups = new Map<string, { what: string; reason: string; images: string[] }>();
  for (const u of list) {
    const what = `${u.package} from ${u.source}`;
    const g = groups.get(what + u.reason) ?? { what, reason: u.reason, images: [] };
    if (!g.images.includes(u.image)) g.images.push(u.image);
    groups.set(what + u.reason, g);
  }
  return [...groups.values()];
}

export function rewriteFromCommand(ctx: Context): number {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1) throw new UserError('usage: accelbase rewrite-from DOCKERFILE [--stage NAME|INDEX] [--arg NAME] [--write]', 2);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read Dockerfile ${file}`);
  }
  const stage = ctx.flags.stage === undefined ? undefined : /^[0-9]+$/.test(ctx.flags.stage) ? Number(ctx.flags.stage) : ctx.flags.stage;
  let result: ReturnType<typeof rewriteFrom>;
  try {
    result = rewriteFrom(text, { stage, arg: ctx.flags.arg });
  } catch (e) {
    if (e instanceof RewriteError) {
      const pos = e.position ?? { line: 1, column: 1 };
      throw new CatalogError([{ file, ...pos, path: '', message: e.detail }]);
    }
    throw e;
  }
  if (ctx.flags.json) printJson(ctx, { file, changed: result.changed, stage: result.stage, original: result.original, text: ctx.flags.write ? undefined : result.text });
  if (ctx.flags.write) {
    if (result.changed) writeAtomic(file, result.text);
    if (!ctx.flags.json) ctx.out(`${result.changed ? 'rewrote' : 'already overloadable:'} ${file} (stage ${result.stage.name ?? result.stage.index}, default ${result.original})\n`);
  } else if (!ctx.flags.json) ctx.out(result.text);
  return 0;
}
