// `accelbase diff --base REF`: per affected image, the package changes and the rendered Dockerfile diff.
import { reviewDiff } from '../workflows/review.js';
import { baseFlag } from './affected.js';
import { printJson, workspace, type Context } from './context.js';

export async function diff(ctx: Context): Promise<number> {
  const base = baseFlag(ctx);
  const r = await reviewDiff(workspace(ctx), base, ctx.flags.head);
  if (ctx.flags.json) {
    printJson(ctx, r);
    return 0;
  }
  if (r.projects.length === 0) ctx.out(`no image changed since ${base}\n`);
  for (const o of r.projects) {
    ctx.out(`== ${o.project}\n`);
    ctx.out(o.packages.length ? `${o.packages.map((l) => `  ${l}`).join('\n')}\n` : '  packages: unchanged\n');
    ctx.out(o.dockerfile ? `${o.dockerfile.trimEnd()}\n` : '  Dockerfile: unchanged (built on a changed base)\n');
  }
  return 0;
}
