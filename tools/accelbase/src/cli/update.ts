// `accelbase update`: resolve every package into catalog.lock.yaml, re-render, print what changed.
import { relative } from 'node:path';
import type { Unresolved } from '../workflows/resolve-lock.js';
import { CALENDAR, updateWorkspace } from '../workflows/update.js';
import { imageList, printJson, workflowRun, workspace, type Context } from './context.js';

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
      rebuild: imageList(r.rebuild),
      calendarError: r.calendarError,
      unreachable: r.unreachable.map((h) => ({ ...h, images: imageList(h.images) })),
      complete: r.complete,
    });
    return r.complete ? 0 : 1;
  }
  for (const c of r.changes) ctx.out(`${c.image} (${c.platform}): ${c.package} ${c.from ?? '(new)'} -> ${c.to}\n`);
  // One line per host that gave no answer, however many packages wait on it.
  for (const h of r.unreachable)
    ctx.out(
      `unreachable: ${h.host} (${h.reason}): ${h.sources.join(', ')}${h.images.length ? `; images ${h.images.join(', ')}` : ''}\n`,
    );
  for (const u of groupUnresolved(r.unresolved.filter((u) => u.cause !== 'unreachable')))
    ctx.out(`unresolved: ${u.what} (${u.reason}): ${u.images.join(', ')}\n`);
  for (const o of r.outdated)
    ctx.out(
      `outdated: ${o.image} (${o.platform}): ${o.outdated.map((p) => `${p.package} ${p.installed} -> ${p.newest}${p.security ? ' (security)' : ''}`).join(', ')}\n`,
    );
  if (r.calendarError && !r.unreachable.some((h) => h.sources.includes(CALENDAR)))
    ctx.out(`unresolved: release dates from distro-info-data (${r.calendarError}): kept as locked\n`);
  if (r.rebuild.length) ctx.out(`marked for rebuild: ${r.rebuild.join(', ')}\n`);
  if (r.lockChanged) ctx.out(`wrote ${relative(process.cwd(), r.lockFile) || r.lockFile}\n`);
  if (!r.complete) {
    // Never "lock unchanged" when it could not look: the packages of an unread source keep their old versions.
    const unread = [...new Set(r.unresolved.filter((u) => u.cause !== 'no-version').map((u) => u.source))];
    ctx.out(
      `lock not up to date: could not read ${unread.length === 1 ? 'source' : 'sources'} ${unread.join(', ')}; their packages keep the versions locked before\n`,
    );
    return 1;
  }
  if (!r.lockChanged) ctx.out('lock unchanged\n');
  return 0;
}
