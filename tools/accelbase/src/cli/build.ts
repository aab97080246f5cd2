// `accelbase build [IMAGE...]`: bake the images and their bases; pushes build tags, never floating ones.
import { archesOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import { buildWorkspace } from '../workflows/build.js';
import type { BuildResult } from '../workflows/state.js';
import { platformsFlag, printJson, supportedWorkspace, workflowRun, type Context } from './context.js';

export function summaryTable(results: BuildResult[]): string {
  const rows = results.map((r) => [
    r.image,
    archesOf(r.platforms).join(','),
    r.status,
    r.digest ? r.digest.slice(0, 19) : '-',
    `${r.durationS.toFixed(1)}s`,
    r.reason ?? '',
  ]);
  const head = ['IMAGE', 'PLATFORMS', 'STATUS', 'DIGEST', 'TIME', 'REASON'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return `${[head, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export async function build(ctx: Context): Promise<number> {
  const byDigest = ctx.flags['push-by-digest'];
  if ((ctx.flags.push || byDigest) && ctx.flags.load)
    throw new UserError(`${byDigest ? '--push-by-digest' : '--push'} and --load exclude each other`, 2);
  const date = ctx.flags.date;
  const platforms = platformsFlag(ctx);
  const results = await buildWorkspace(supportedWorkspace(ctx).ws, {
    names: ctx.args,
    platforms,
    output: ctx.flags.push || byDigest ? 'push' : ctx.flags.load ? 'load' : 'cache',
    keepGoing: ctx.flags['keep-going'],
    noCache: ctx.flags['no-cache'],
    date,
    revision: ctx.flags.revision,
    pushByDigest: byDigest,
    results: ctx.flags.results,
    ...workflowRun(ctx),
  });
  if (ctx.flags.json) printJson(ctx, { results });
  else ctx.out(`\n${summaryTable(results)}`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}
