// `accelbase nightly`: update -> build what changed, is outdated or was never published -> smoke -> publish.
import { writeAtomic } from '../lib/fs.js';
import { changelogMarkdown } from '../plan/changelog.js';
import { nightly as runNightly } from '../workflows/nightly.js';
import { imageList, platformsFlag, printJson, workflowRun, workspace, type Context } from './context.js';
import { describePrune, pruneJson } from './prune.js';

export async function nightly(ctx: Context): Promise<number> {
  const platforms = platformsFlag(ctx);
  const { failed, ...result } = await runNightly(
    workspace(ctx),
    { platforms, prune: ctx.flags.prune },
    workflowRun(ctx),
  );
  const changelog = changelogMarkdown(result.moves, `Nightly rebuild: package updates`);
  if (ctx.flags.changelog) writeAtomic(ctx.flags.changelog, changelog);
  if (ctx.flags.json)
    printJson(ctx, {
      ...result,
      wanted: imageList(result.wanted),
      built: imageList(result.built),
      ...(result.prune ? { prune: pruneJson(result.prune) } : {}),
    });
  else {
    ctx.out(
      `lock ${result.lockChanged ? `changed (${result.changes.length} package versions)` : 'unchanged'}; ${result.unresolved.length} unresolved\n`,
    );
    ctx.out(`built: ${result.built.join(', ') || 'nothing'}\npublished: ${result.published}\n`);
    if (result.prune) ctx.out(describePrune(result.prune));
    if (!ctx.flags.changelog) ctx.out(`\n${changelog}`);
  }
  return failed ? 1 : 0;
}
