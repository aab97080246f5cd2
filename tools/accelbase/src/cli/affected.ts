// `accelbase affected --base REF`: images a change touches, and their dependants.
import { UserError } from '../errors.js';
import { warn } from '../log.js';
import { type Affected, affectedSince, RENDER_HINT } from '../workflows/review.js';
import { printJson, workspace, type Context } from './context.js';

export function baseFlag(ctx: Context): string {
  if (!ctx.flags.base) throw new UserError(`usage: accelbase ${ctx.command} --base REF [--head REF] [--json]`, 2);
  return ctx.flags.base;
}

/** On stderr, so stdout stays the list of projects: the images whose catalog change was not rendered. */
export function warnNotRendered(a: Pick<Affected, 'notRendered'>): void {
  if (a.notRendered.length) warn(`${RENDER_HINT} (${a.notRendered.map((i) => i.name).join(', ')})`);
}

export async function affected(ctx: Context): Promise<number> {
  const base = baseFlag(ctx);
  const a = await affectedSince(workspace(ctx), base, ctx.flags.head);
  warnNotRendered(a);
  if (ctx.flags.json) printJson(ctx, { ...a, ...(a.notRendered.length ? { hint: RENDER_HINT } : {}) });
  else for (const p of a.projects) ctx.out(`${p.name}\n`);
  return 0;
}
