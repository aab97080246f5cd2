// `rewrite-from`: make one stage's base of a Dockerfile overloadable, by parser ranges, and with
// `write` put the edit into the file.
import { CatalogError, RewriteError, UserError } from '../errors.js';
import { writeAtomic } from '../lib/fs.js';
import { displayPath, readInputBytes } from '../lib/input.js';
import { applyEditsToBytes, decodeBytes } from '../variants/dockerfile-bytes.js';
import { type RewriteOptions, type RewriteResult, rewriteFrom } from '../variants/rewrite-from.js';

export function rewriteDockerfile(file: string, opts: RewriteOptions & { write?: boolean }): RewriteResult {
  // Bytes, not text: a Dockerfile that is not valid UTF-8 is rewritten too, and every byte outside the edit kept.
  const bytes = readInputBytes(file, displayPath(file), 'Dockerfile');
  const text = decodeBytes(bytes);
  let result: RewriteResult;
  try {
    result = rewriteFrom(text, { stage: opts.stage, arg: opts.arg });
  } catch (e) {
    if (!(e instanceof RewriteError)) throw e;
    // With a position the problem is in the file; without one, in what --stage asked of it.
    if (e.position) throw new CatalogError([{ file: displayPath(file), ...e.position, path: '', message: e.detail }]);
    throw new UserError(`${file}: ${e.detail}`, 2);
  }
  if (opts.write && result.changed) writeAtomic(file, applyEditsToBytes(bytes, text, result.edits));
  return result;
}
