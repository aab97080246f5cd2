// `accelbase diff --base REF`: per affected image, the package changes and the rendered Dockerfile diff.
import { formatPackageDiff } from '../plan/affected.js';
import { RENDER_HINT, reviewDiff } from '../workflows/review.js';
import { baseFlag, warnNotRendered } from './affected.js';
import { printJson, workspace, type Context } from './context.js';

export async function diff(ctx: Context): Promise<number> {
  const base = baseFlag(ctx);
  const r = await reviewDiff(workspace(ctx), base, ctx.flags.head);
  warnNotRendered(r);
  if (ctx.flags.json) {
    printJson(ctx, { ...r, ...(r.notRendered.length ? { hint: RENDER_HINT } : {}) });
    return 0;
  }
  if (r.projects.length === 0) ctx.out(`no image changed since ${base}\n`);
  const stale = new Set(r.notRendered.map((i) => i.project));
  for (const o of r.projects) {
    ctx.out(`== ${o.name}\n`);
    ctx.out(
      o.packages.length
        ? `${o.packages.map((d) => `  ${formatPackageDiff(d)}`).join('\n')}\n`
        : '  packages: unchanged\n',
    );
    ctx.out(
      o.dockerfile
        ? `${o.dockerfile.trimEnd()}\n`
        : stale.has(o.name)
          ? '  Dockerfile: not rendered yet (run `accelbase render`)\n'
          : '  Dockerfile: unchanged (built on a changed base)\n',
    );
  }
  return 0;
}
