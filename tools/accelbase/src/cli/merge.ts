// `accelbase merge RESULTS...`: a split build's parts into one index per image, with its build tags.
import { UserError } from '../errors.js';
import { mergeWorkspace } from '../workflows/merge.js';
import { summaryTable } from './build.js';
import { printJson, workflowRun, workspace, type Context } from './context.js';

export async function merge(ctx: Context): Promise<number> {
  if (ctx.args.length === 0)
    throw new UserError(
      'usage: accelbase merge RESULTS... [--json] (the files `build --push-by-digest --results FILE` wrote)',
      2,
    );
  const results = await mergeWorkspace(workspace(ctx), ctx.args, workflowRun(ctx));
  if (ctx.flags.json) printJson(ctx, { results });
  else ctx.out(`\n${summaryTable(results)}`);
  return 0;
}
