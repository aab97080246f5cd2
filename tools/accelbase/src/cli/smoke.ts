// `accelbase smoke [IMAGE...]`: run each image's device query and compute probe: passed, no-device or failed, per tier.
import { writeAtomic } from '../lib/fs.js';
import { junit, tiersText } from '../smoke/outcome.js';
import { smokeWorkspace } from '../workflows/smoke.js';
import { platformsFlag, printJson, workflowRun, workspace, type Context } from './context.js';

export async function smoke(ctx: Context): Promise<number> {
  const platforms = platformsFlag(ctx);
  const results = await smokeWorkspace(workspace(ctx), { names: ctx.args, platforms }, workflowRun(ctx));
  const requireDevice = ctx.flags['require-device'];
  if (ctx.flags.junit) writeAtomic(ctx.flags.junit, junit(results, requireDevice));
  if (ctx.flags.json) printJson(ctx, { results });
  else
    for (const r of results)
      ctx.out(
        `${r.outcome.padEnd(9)}  ${r.image.padEnd(18)} ${r.platform.padEnd(12)} ${r.durationS.toFixed(1).padStart(6)}s  [${tiersText(r)}] ${r.detail}\n`,
      );
  return results.some((r) => r.outcome === 'failed' || (requireDevice && r.outcome === 'no-device')) ? 1 : 0;
}
