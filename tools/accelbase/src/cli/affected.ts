// `accelbase affected --base REF`: images a change touches, and their dependants.
import { UserError } from '../errors.js';
import { affectedSince } from '../workflows/review.js';
import { printJson, workspace, type Context } from './context.js';

export function baseFlag(ctx: Context): string {
  if (!ctx.flags.base) throw new UserError(`usage: accelbase ${ctx.command} --base REF [--head REF] [--json]`, 2);
  return ctx.flags.base;
}

export async function affected(ctx: Context): Promise<number> {
  const base = baseFlag(ctx);
  const { projects, images } = await affectedSince(workspace(ctx), base, ctx.flags.head);
  if (ctx.flags.json) printJson(ctx, { base, projects, images });
  else for (const p of projects) ctx.out(`${p}\n`);
  return 0;
}
