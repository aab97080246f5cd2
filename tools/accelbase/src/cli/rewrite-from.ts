// `accelbase rewrite-from DOCKERFILE`: make one stage's base overloadable, by parser ranges.
import { UserError } from '../errors.js';
import { rewriteDockerfile } from '../workflows/rewrite-from.js';
import { printJson, type Context } from './context.js';

export function rewriteFromCommand(ctx: Context): number {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1)
    throw new UserError('usage: accelbase rewrite-from DOCKERFILE [--stage NAME|INDEX] [--arg NAME] [--write]', 2);
  const stage =
    ctx.flags.stage === undefined
      ? undefined
      : /^[0-9]+$/.test(ctx.flags.stage)
        ? Number(ctx.flags.stage)
        : ctx.flags.stage;
  const result = rewriteDockerfile(file, { stage, arg: ctx.flags.arg, write: ctx.flags.write });
  if (ctx.flags.json)
    printJson(ctx, {
      file,
      changed: result.changed,
      stage: result.stage,
      original: result.original,
      text: ctx.flags.write ? undefined : result.text,
    });
  else if (ctx.flags.write)
    ctx.out(
      `${result.changed ? 'rewrote' : 'already overloadable:'} ${file} (stage ${result.stage.name ?? result.stage.index}, default ${result.original})\n`,
    );
  else ctx.out(result.text);
  return 0;
}
