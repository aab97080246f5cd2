// `accelbase update`: resolve every package into catalog.lock.yaml, re-render, print what changed.
import { relative } from 'node:path';
import type { Unresolved } from '../workflows/resolve-lock.js';
import { updateWorkspace } from '../workflows/update.js';
import { printJson, workflowRun, workspace, type Context } from './context.js';

/** One line per package and source that could not be resolved, with the images it blocks. */
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

export async function update(ctx: Context): Promise<number> {
  const r = await updateWorkspace(workspace(ctx), workflowRun(ctx));
  if (ctx.flags.json) {
    printJson(ctx, {
      lockChanged: r.lockChanged,
      changes: r.changes,
      unresolved: r.unresolved,
      rendered: r.rendered,
      outdated: r.outdated,
      rebuild: r.rebuild,
      calendarError: r.calendarError,
    });
    return 0;
  }
  for (const c of r.changes) ctx.out(`${c.image} (${c.platform}): ${c.package} ${c.from ?? '(new)'} -> ${c.to}\n`);
  for (const u of groupUnresolved(r.unresolved))
    ctx.out(`unresolved: ${u.what} (${u.reason}): ${u.images.join(', ')}\n`);
  for (const o of r.outdated)
    ctx.out(
      `outdated: ${o.image} (${o.platform}): ${o.outdated.map((p) => `${p.package} ${p.installed} -> ${p.newest}${p.security ? ' (security)' : ''}`).join(', ')}\n`,
    );
  if (r.calendarError)
    ctx.out(`unresolved: release dates from distro-info-data (${r.calendarError}): kept as locked\n`);
  if (r.rebuild.length) ctx.out(`marked for rebuild: ${r.rebuild.join(', ')}\n`);
  ctx.out(r.lockChanged ? `wrote ${relative(process.cwd(), r.lockFile) || r.lockFile}\n` : 'lock unchanged\n');
  return 0;
}
