// Base-image overloading by edit: make the base of ONE Dockerfile stage replaceable at build time.
//
// `rewriteFrom` turns the chosen stage's `FROM <ref>` into `FROM ${BASE_IMAGE}` and declares
// `ARG BASE_IMAGE=<ref>` before the first FROM, so `--build-arg BASE_IMAGE=...` swaps the base while
// the default build stays exactly what it was. Every other byte of the file is preserved: the edit
// is two splices at offsets taken from dockerfile-ast ranges, never a regex over lines.
// (`overloadContexts` in contexts.ts is the zero-edit alternative for buildx.)
import { RewriteError } from '../errors.js';
import { parseReference } from '../oci/reference.js';
import { applyEdits, toPosition, type TextEdit } from './dockerfile-lines.js';
import { loadDockerfile, type DockerfileModel } from './dockerfile-model.js';
import { describeStage, resolveTarget, stageRef, type StageRef, type StageSelector } from './stages.js';

export const DEFAULT_BASE_ARG = 'BASE_IMAGE';

export interface RewriteOptions {
  /**
   * The stage to overload, by `AS` name (case-insensitive) or 0-based index; default: the final stage.
   * When that stage is built FROM an earlier stage, the chain is followed to the stage whose base is
   * an external image.
   */
  stage?: StageSelector;
  /** Name of the global build argument that carries the base; default `BASE_IMAGE`. */
  arg?: string;
}

export interface RewriteResult {
  text: string;
  /** What changed, in offsets of the input text: `text` is the input with these applied. */
  edits: TextEdit[];
  /** The stage whose FROM carries (or now carries) `${arg}`. */
  stage: StageRef;
  /** The base reference as written in the Dockerfile (ARGs unexpanded), which is the new ARG's default. */
  original: string;
  changed: boolean;
}

function checkArgName(arg: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) {
    throw new RewriteError(`"${arg}" is not a valid build argument name`);
  }
  return arg;
}

/**
 * Where the new global ARG goes: right after the last instruction before the first FROM (so ARGs it
 * references are declared first); with no such instruction, after the parser directives and before
 * the comment block that belongs to the first FROM, keeping a file header (comments that start at the
 * top) above it. Returns a line number; the ARG is inserted at that line's start.
 */
function insertionLine(m: DockerfileModel): number {
  const firstFrom = m.stages[0]!.from.getRange().start.line;
  const before = m.df.getInstructions().filter((i) => i.getRange().start.line < firstFrom);
  if (before.length > 0) {
    return Math.max(...before.map((i) => i.getRange().end.line)) + 1;
  }
  let lower = 0;
  for (const d of m.df.getDirectives()) lower = Math.max(lower, d.getRange().end.line + 1);
  const commentLines = new Set(
    m.df
      .getComments()
      .filter((c) => c.getRange().start.line === c.getRange().end.line)
      .map((c) => c.getRange().start.line),
  );
  let top = firstFrom;
  while (top - 1 >= lower && commentLines.has(top - 1)) top--;
  return top > lower ? top : firstFrom;
}

/**
 * Make the base of one stage overloadable with `--build-arg <arg>=<image>`.
 *
 * The chosen stage (default: the final one, following FROM <stage> links to the stage with an external
 * base) gets `FROM ... ${arg} ...` and the file gets `ARG <arg>=<original>` before the first FROM.
 * Idempotent: a stage already FROM `${arg}` / `$arg` is left alone (`changed: false`).
 */
export function rewriteFrom(text: string, opts: RewriteOptions = {}): RewriteResult {
  const arg = checkArgName(opts.arg ?? DEFAULT_BASE_ARG);
  const m = loadDockerfile(text);
  const target = resolveTarget(m, opts.stage, arg);
  const existing = m.globals.filter((g) => g.name === arg).pop();

  if (target.overloaded) {
    return { text, edits: [], stage: stageRef(target.stage), original: existing?.value ?? target.ref, changed: false };
  }

  const where = toPosition(target.refSpan.start);
  // A literal reference becomes the ARG's default, which BuildKit pulls as written: one outside the
  // image-reference grammar (a stray byte, a space, upper case) would only fail later, and elsewhere.
  if (target.expansion.refs.length === 0 && !parseReference(target.ref)) {
    throw new RewriteError(
      `${describeStage(target.stage)}: FROM ${JSON.stringify(target.ref)} is not an image reference ([HOST[:PORT]/]PATH[:TAG][@DIGEST], lower-case path)`,
      where,
    );
  }
  if (target.expansion.refs.includes(arg)) {
    throw new RewriteError(
      `${describeStage(target.stage)}: FROM ${target.ref} already uses $${arg}; pass another argument name`,
      where,
    );
  }
  if (existing && existing.value !== target.ref) {
    const was = existing.value === null ? 'without a default' : `with default "${existing.value}"`;
    throw new RewriteError(
      `a global ARG ${arg} is already declared (line ${existing.line + 1}) ${was}; overloading ` +
        `${describeStage(target.stage)} (FROM ${target.ref}) with it would change the default build; ` +
        `pass another argument name`,
      where,
    );
  }

  const edits: TextEdit[] = [
    {
      start: m.lines.offsetAt(target.refSpan.start),
      end: m.lines.offsetAt(target.refSpan.end),
      insert: `\${${arg}}`,
    },
  ];
  if (!existing) {
    // The ARG goes at or before the first FROM line, so it never overlaps the FROM edit.
    const line = insertionLine(m);
    const at = m.lines.insertionOffset(line);
    edits.push({ start: at, end: at, insert: `ARG ${arg}=${target.ref}${m.lines.eolForInsertion(line)}` });
  }
  return { text: applyEdits(text, edits), edits, stage: stageRef(target.stage), original: target.ref, changed: true };
}
