// `accelbase tags`: matching images, newest runtime first, with the FROM line to paste.
import { UserError } from '../errors.js';
import { formatTags } from '../pick/pick.js';
import { tagsWorkspace } from '../workflows/tags.js';
import { printJson, splitList, workspace, type Context } from './context.js';

export async function tags(ctx: Context): Promise<number> {
  if (ctx.args.length)
    throw new UserError(
      'usage: accelbase tags [--accelerator A] [--variant V] [--arch A] [--dist D] [--runtime PKG@RANGE] [--include-retired] [--registry NS [--pin]] [--json]',
      2,
    );
  const { accelerator, variant, dist, runtime } = ctx.flags;
  const result = await tagsWorkspace(workspace(ctx), {
    accelerator,
    variant,
    dist,
    runtime,
    arch: splitList(ctx.flags.arch),
    registry: ctx.flags.registry !== undefined,
    pin: ctx.flags.pin,
    includeRetired: ctx.flags['include-retired'],
  });
  if (ctx.flags.json) printJson(ctx, result);
  else ctx.out(formatTags(result.images, result.namespace, result.leftOut));
  return 0;
}
