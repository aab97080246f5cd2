// `accelbase rewrite-from DOCKERFILE`: make one stage's base overloadable, by parser ranges.
import { CatalogError, RewriteError, UserError } from '../errors.js';
import { displayPath, readInputBytes } from '../lib/input.js';
import { writeAtomic } from '../lib/fs.js';
import { applyEditsToBytes, decodeBytes } from '../variants/dockerfile-bytes.js';
import { rewriteFrom } from '../variants/rewrite-from.js';
import { printJson, type Context } from './context.js';

export function rewriteFromCommand(ctx: Context): number {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1)
    throw new UserError('usage: accelbase rewrite-from DOCKERFILE [--stage NAME|INDEX] [--arg NAME] [--write]', 2);
  // Bytes, not text: a Dockerfile that is not valid UTF-8 is rewritten too, and every byte outside the edit kept.
  const bytes = readInputBytes(file, displayPath(file), 'Dockerfile');
  const text = decodeBytes(bytes);
  const stage =
    ctx.flags.stage === undefined
      ? undefined
      : /^[0-9]+$/.test(ctx.flags.stage)
        ? Number(ctx.flags.stage)
        : ctx.flags.stage;
  let result: ReturnType<typeof rewriteFrom>;
  try {
    result = rewriteFrom(text, { stage, arg: ctx.flags.arg });
  } catch (e) {
    if (!(e instanceof RewriteError)) throw e;
    // With a position the problem is in the file; without one, in what --stage asked of it.
    if (e.position) throw new CatalogError([{ file: displayPath(file), ...e.position, path: '', message: e.detail }]);
    throw new UserError(`${file}: ${e.detail}`, 2);
  }
  if (ctx.flags.json)
    printJson(ctx, {
      file,
      changed: result.changed,
      stage: result.stage,
      original: result.original,
      text: ctx.flags.write ? undefined : result.text,
    });
  if (ctx.flags.write) {
    if (result.changed) writeAtomic(file, applyEditsToBytes(bytes, text, result.edits));
    if (!ctx.flags.json)
      ctx.out(
        `${result.changed ? 'rewrote' : 'already overloadable:'} ${file} (stage ${result.stage.name ?? result.stage.index}, default ${result.original})\n`,
      );
  } else if (!ctx.flags.json) ctx.out(result.text);
  return 0;
}
