// `accelbase verify IMAGE[:TAG] [--platform P]`: rebuild a pushed image and compare digests; exit 1 when they differ.
import { verifyImage, type PlatformVerdict } from '../workflows/verify.js';
import { oneArg, platformsFlag, printJson, workflowRun, workspace, type Context } from './context.js';

function describe(v: PlatformVerdict): string {
  if (v.identical) return `${v.platform}: identical (${v.published})\n`;
  if (!v.rebuilt) return `${v.platform}: not rebuilt\n`;
  const lines = [`${v.platform}: differs (published ${v.published}, rebuilt ${v.rebuilt})`];
  if (v.config?.length) lines.push(`  config: ${v.config.join(', ')}`);
  if (v.layer) {
    lines.push(
      `  first differing layer: #${v.layer.index + 1} (published ${v.layer.published ?? 'none'}, rebuilt ${v.layer.rebuilt ?? 'none'})`,
    );
    for (const p of v.layer.paths)
      lines.push(`    ${p.change.padEnd(8)} /${p.path}${p.fields ? ` (${p.fields.join(', ')})` : ''}`);
    if (v.layer.morePaths) lines.push(`    ... and ${v.layer.morePaths} more`);
  }
  return `${lines.join('\n')}\n`;
}

export async function verify(ctx: Context): Promise<number> {
  const outcome = await verifyImage(
    workspace(ctx),
    oneArg(ctx, 'accelbase verify IMAGE[:TAG] [--platform P] [--json]'),
    platformsFlag(ctx),
    workflowRun(ctx),
  );
  if (ctx.flags.json) printJson(ctx, outcome);
  else {
    ctx.out(`${outcome.reference} (${outcome.digest}) from ${outcome.revision.slice(0, 12)}:\n`);
    for (const v of outcome.platforms) ctx.out(describe(v));
    ctx.out(`${outcome.identical ? 'identical' : 'differs'} (${outcome.durationS.toFixed(0)} s)\n`);
  }
  return outcome.identical ? 0 : 1;
}
