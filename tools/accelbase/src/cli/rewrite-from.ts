// `accelbase rewrite-from DOCKERFILE`: make one stage's base overloadable, by parser ranges.
import { readFileSync } from 'node:fs';
import { CatalogError, RewriteError, UserError } from '../errors.js';
import { writeAtomic } from '../lib/fs.js';
import { rewriteFrom } from '../variants/rewrite-from.js';
import { printJson, type Context } from './context.js';

export function rewriteFromCommand(ctx: Context): number {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1) throw new UserError('usage: accelbase rewrite-from DOCKERFILE [--stage NAME|INDEX] [--arg NAME] [--write]', 2);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read Dockerfile ${file}`);
  }
  const stage = ctx.flags.stage === undefined ? undefined : /^[0-9]+$/.test(ctx.flags.stage) ? Number(ctx.flags.stage) : ctx.flags.stage;
  let result: ReturnType<typeof rewriteFrom>;
  try {
    result = rewriteFrom(text, { stage, arg: ctx.flags.arg });
  } catch (e) {
    if (e instanceof RewriteError) throw new CatalogError([{ file, ...(e.position ?? { line: 1, column: 1 }), path: '', message: e.detail }]);
    throw e;
  }
  if (ctx.flags.json) printJson(ctx, { file, changed: result.changed, stage: result.stage, original: result.original, text: ctx.flags.write ? undefined : result.text });
  if (ctx.flags.write) {
    if (result.changed) writeAtomic(file, result.text);
    if (!ctx.flags.json) ctx.out(`${result.changed ? 'rewrote' : 'already overloadable:'} ${file} (stage ${result.stage.name ?? result.stage.index}, default ${result.original})\n`);
  } else if (!ctx.flags.json) ctx.out(result.text);
  return 0;
}
