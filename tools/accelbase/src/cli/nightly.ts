// `accelbase nightly`: update -> build what changed or was never published -> smoke -> publish.
import { nightly as runNightly } from '../workflows/nightly.js';
import { platformsFlag, printJson, workspace, type Context } from './context.js';

export async function nightly(ctx: Context): Promise<number> {
  const platforms = platformsFlag(ctx);
  const { failed, ...result } = await runNightly(workspace(ctx), { platforms });
  if (ctx.flags.json) printJson(ctx, result);
  else {
    ctx.out(`lock ${result.lockChanged ? `changed (${result.changes} package versions)` : 'unchanged'}; ${result.unresolved} unresolved\n`);
    ctx.out(`built: ${result.built.join(', ') || 'nothing'}\npublished: ${result.published}\n`);
  }
  return failed ? 1 : 0;
}
