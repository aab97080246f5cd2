// Base-image overloading: make the base of ONE Dockerfile stage replaceable at build time.
//
// `rewriteFrom` turns the chosen stage's `FROM <ref>` into `FROM ${BASE_IMAGE}` and declares
// `ARG BASE_IMAGE=<ref>` before the first FROM, so `--build-arg BASE_IMAGE=...` swaps the base while
// the default build stays exactly what it was. Every other byte of the file is preserved: the edit
// is two splices at offsets taken from dockerfile-ast ranges, never a regex over lines.
//
// `overloadContexts` is the zero-edit alternative for buildx: a bake `contexts` map that replaces
// the same base through a named context.

import { DockerfileParser, type Dockerfile, type From } from 'dockerfile-ast';
import { RewriteError } from '../errors.js';
import { contextKey } from '../oci/reference.js';

export const DEFAULT_BASE_ARG = 'BASE_IMAGE';

export interface RewriteOptions {
  /**
   * The stage to overload, by `AS` name (case-insensitive) or 0-based index; default: the final stage.
   * When that stage is built FROM an earlier stage, the chain is followed to the stage whose base is
   * an external image.
   */
  stage?: string | number;
  /** Name of the global build argument that carries the base; default `BASE_IMAGE`. */
  arg?: string;
}

export interface StageRef {
  index: number;
  /** The `AS` name as written, if the stage has one. */
  name?: string;
}

export interface RewriteResult {
  text: string;
  /** The stage whose FROM carries (or now carries) `${arg}`. */
  stage: StageRef;
  /** The base reference as written in the Dockerfile (ARGs unexpanded), which is the new ARG's default. */
  original: string;
  changed: boolean;
}

/** 1-based position in the Dockerfile, like editors show it. */
export interface RewritePosition {
  line: number;
  column: number;
}

/**
 * A Dockerfile that can't be overloaded as asked. `detail` is the message without position;
 * `position` (when known) lets the caller prefix `file:line:column`.
 */

// ---------------------------------------------------------------------------------------------
// Offsets: dockerfile-ast reports LSP positions (line, UTF-16 character). Its TextDocument breaks
// lines at \r\n, \n and a lone \r, so the index below does exactly the same.

interface Pos {
  line: number;
  character: number;
}
interface Span {
  start: Pos;
  end: Pos;
}

class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Same clamping as TextDocument.offsetAt. */
  offsetAt(p: Pos): number {
    if (p.line >= this.starts.length) return this.text.length;
    if (p.line < 0) return 0;
    const lineStart = this.starts[p.line]!;
    const next = p.line + 1 < this.starts.length ? this.starts[p.line + 1]! : this.text.length;
    return Math.max(Math.min(lineStart + p.character, next), lineStart);
  }

  /** The terminator of a line: '\r\n', '\n', '\r', or '' for a last line without one. */
  eolOf(line: number): string {
    if (line < 0 || line + 1 >= this.starts.length) return '';
    const end = this.starts[line + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) return this.text.charCodeAt(end - 2) === 13 ? '\r\n' : '\n';
    return '\r';
  }
}

function toPosition(p: Pos): RewritePosition {
  return { line: p.line + 1, column: p.character + 1 };
}

// ---------------------------------------------------------------------------------------------
// Word expansion, just enough to tell whether a FROM reference names an earlier stage.
// Values are resolved from the defaults of global ARGs (what a build without --build-arg sees);
// anything that a build could still change (ARG without default, BuildKit's automatic platform ARGs)
// is WILD and matches anything.

const WILD = Symbol('wild');
type Value = string | typeof WILD;
type Env = ReadonlyMap<string, Value>;
type Part = { lit: string } | { wild: true };

/** Predefined in the global scope by BuildKit; usable in FROM without declaring them. */
const PLATFORM_ARGS = new Set([
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
]);

interface Expansion {
  parts: Part[];
  /** Variables the word references, in order, without duplicates. */
  refs: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

function expandWord(word: string, env: Env, escapeChar: string): Expansion {
  const refs: string[] = [];
  const parts = expandInto(word, env, escapeChar, refs);
  return { parts, refs };
}

function expandInto(word: string, env: Env, esc: string, refs: string[]): Part[] {
  const parts: Part[] = [];
  const lit = (s: string) => {
    if (s) parts.push({ lit: s });
  };
  const lookup = (name: string): Value => {
    if (!refs.includes(name)) refs.push(name);
    const v = env.get(name);
    if (v !== undefined) return v;
    return PLATFORM_ARGS.has(name) ? WILD : '';
  };
  const push = (v: Value) => (v === WILD ? parts.push({ wild: true }) : lit(v));

  let i = 0;
  while (i < word.length) {
    const c = word[i]!;
    if (c === esc && i + 1 < word.length) {
      lit(word[i + 1]!);
      i += 2;
      continue;
    }
    if (c !== '$') {
      lit(c);
      i++;
      continue;
    }
    // `$NAME`
    if (i + 1 < word.length && NAME_START.test(word[i + 1]!)) {
      let j = i + 2;
      while (j < word.length && NAME_CHAR.test(word[j]!)) j++;
      push(lookup(word.slice(i + 1, j)));
      i = j;
      continue;
    }
    if (word[i + 1] !== '{') {
      lit('$');
      i++;
      continue;
    }
    // `${...}`: find the matching brace (defaults may nest `${...}`).
    let depth = 1;
    let j = i + 2;
    for (; j < word.length && depth > 0; j++) {
      if (word[j] === esc) j++;
      else if (word[j] === '{') depth++;
      else if (word[j] === '}') depth--;
    }
    if (depth > 0) {
      // Unterminated: BuildKit rejects it; treat as unknowable.
      parts.push({ wild: true });
      break;
    }
    const inner = word.slice(i + 2, j - 1);
    i = j;
    let n = 0;
    while (n < inner.length && (n === 0 ? NAME_START : NAME_CHAR).test(inner[n]!)) n++;
    const name = inner.slice(0, n);
    const rest = inner.slice(n);
    if (!name) {
      parts.push({ wild: true });
      continue;
    }
    const value = lookup(name);
    const op = /^(:?[-+?])/.exec(rest)?.[1];
    if (rest === '') {
      push(value);
    } else if (op === undefined) {
      // ${X#p}, ${X%p}, ${X/a/b}...: not worth modelling here.
      parts.push({ wild: true });
    } else {
      const alt = rest.slice(op.length);
      const declared = value !== '' || env.has(name);
      const nonEmpty = value !== '';
      if (value === WILD) {
        parts.push({ wild: true });
      } else if (op === ':-' || op === '-') {
        const useAlt = op === ':-' ? !nonEmpty : !declared;
        if (useAlt) parts.push(...expandInto(alt, env, esc, refs));
        else push(value);
      } else if (op === ':+' || op === '+') {
        const useAlt = op === ':+' ? nonEmpty : declared;
        if (useAlt) parts.push(...expandInto(alt, env, esc, refs));
      } else {
        push(value); // ${X:?msg}: the value, or a build error we don't predict
      }
    }
  }
  return parts;
}

function knownValue(parts: Part[]): string | undefined {
  let s = '';
  for (const p of parts) {
    if ('wild' in p) return undefined;
    s += p.lit;
  }
  return s;
}

function couldMatch(parts: Part[], candidate: string): boolean {
  const source = parts.map((p) => ('wild' in p ? '[\\s\\S]*' : p.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(candidate);
}

// ---------------------------------------------------------------------------------------------
// Dockerfile model

interface Stage {
  index: number;
  from: From;
  /** As written. */
  name?: string;
  /** BuildKit registers stage names lowercased. */
  key?: string;
}

interface GlobalArg {
  name: string;
  /** The default after quote removal (dockerfile-ast's Property value), or null for `ARG X`. */
  value: string | null;
  line: number;
}

interface Model {
  df: Dockerfile;
  lines: LineIndex;
  stages: Stage[];
  globals: GlobalArg[];
  env: Map<string, Value>;
  escape: string;
}

function load(text: string): Model {
  const df = DockerfileParser.parse(text);
  const lines = new LineIndex(text);
  const escape = df.getEscapeCharacter();
  const stages: Stage[] = df.getFROMs().map((from, index) => {
    const name = from.getBuildStage() ?? undefined;
    return name ? { index, from, name, key: name.toLowerCase() } : { index, from };
  });
  const globals: GlobalArg[] = [];
  const env = new Map<string, Value>();
  for (const arg of df.getInitialARGs()) {
    for (const prop of arg.getProperties()) {
      const value = prop.getValue();
      globals.push({ name: prop.getName(), value, line: prop.getRange().start.line });
      if (value === null) {
        env.set(prop.getName(), WILD);
      } else {
        env.set(prop.getName(), knownValue(expandWord(value, env, escape).parts) ?? WILD);
      }
    }
  }
  return { df, lines, stages, globals, env, escape };
}

function describeStage(s: Stage): string {
  return s.name ? `stage ${s.index} (${s.name})` : `stage ${s.index}`;
}

function listStages(stages: Stage[]): string {
  return stages.map((s) => (s.name ? `${s.index} (${s.name})` : `${s.index} (unnamed)`)).join(', ');
}

function stageRef(s: Stage): StageRef {
  return s.name ? { index: s.index, name: s.name } : { index: s.index };
}

function pickStage(m: Model, selector: string | number | undefined): Stage {
  const { stages } = m;
  if (selector === undefined) return stages[stages.length - 1]!;
  if (typeof selector === 'number') {
    const s = Number.isInteger(selector) ? stages[selector] : undefined;
    if (!s) {
      throw new RewriteError(
        `stage index ${selector} does not exist; the Dockerfile has ${stages.length} stage(s): ${listStages(stages)}`,
      );
    }
    return s;
  }
  const wanted = selector.toLowerCase();
  const byName = stages.filter((s) => s.key === wanted).pop();
  if (byName) return byName;
  if (/^\d+$/.test(selector) && stages[Number(selector)]) return stages[Number(selector)]!;
  throw new RewriteError(`stage "${selector}" does not exist; the Dockerfile has stages: ${listStages(stages)}`);
}

function isArgReference(ref: string, arg: string | null): boolean {
  return arg !== null && (ref === `$${arg}` || ref === `\${${arg}}`);
}

interface Target {
  stage: Stage;
  /** The reference as written (flags and AS name excluded). */
  ref: string;
  refSpan: Span;
  expansion: Expansion;
  /** Already `${arg}` / `$arg`. */
  overloaded: boolean;
}

/** Follow FROM <stage> links from `start` to the stage whose base is an external image. */
function resolveTarget(m: Model, opts: RewriteOptions, arg: string | null): Target {
  if (m.stages.length === 0) {
    throw new RewriteError('the Dockerfile has no FROM instruction, so there is no base image to overload');
  }
  const chain: Stage[] = [];
  let stage = pickStage(m, opts.stage);
  for (;;) {
    chain.push(stage);
    const from = stage.from;
    const ref = from.getImage();
    const refSpan = from.getImageRange();
    const where = toPosition(from.getRange().start);
    if (ref === null || refSpan === null) {
      throw new RewriteError(`${describeStage(stage)}: FROM has no image reference`, where);
    }
    const expansion = expandWord(ref, m.env, m.escape);
    if (isArgReference(ref, arg)) return { stage, ref, refSpan, expansion, overloaded: true };

    const via = chain.length > 1 ? `, reached from ${chain.slice(0, -1).map(describeStage).join(' -> ')},` : '';
    const value = knownValue(expansion.parts);
    const earlier = m.stages.slice(0, stage.index);
    if (value !== undefined) {
      if (value === 'scratch') {
        throw new RewriteError(
          `${describeStage(stage)}${via} is FROM scratch, so there is no external base image to overload; ` +
            `choose another stage (stages: ${listStages(m.stages)})`,
          where,
        );
      }
      if (value === '') {
        throw new RewriteError(`${describeStage(stage)}: FROM ${ref} expands to an empty image name`, where);
      }
      // BuildKit resolves FROM <name> against stages defined before this one; numeric indexes are
      // accepted here too (the same way COPY --from=<n> refers to stages).
      const named = earlier.filter((s) => s.key === value).pop();
      const indexed = /^\d+$/.test(value) ? earlier[Number(value)] : undefined;
      const next = named ?? indexed;
      if (next) {
        stage = next;
        continue;
      }
    } else {
      const maybe = earlier.filter((s) => s.key !== undefined && couldMatch(expansion.parts, s.key));
      if (maybe.length > 0) {
        throw new RewriteError(
          `${describeStage(stage)}${via} uses FROM ${ref}, which may refer to ${maybe.map(describeStage).join(' or ')} ` +
            `depending on build arguments; overload one of those stages instead`,
          where,
        );
      }
    }
    return { stage, ref, refSpan, expansion, overloaded: false };
  }
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
function insertionLine(m: Model): number {
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
  const m = load(text);
  const target = resolveTarget(m, opts, arg);
  const existing = m.globals.filter((g) => g.name === arg).pop();

  if (target.overloaded) {
    return { text, stage: stageRef(target.stage), original: existing?.value ?? target.ref, changed: false };
  }

  const where = toPosition(target.refSpan.start);
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

  const start = m.lines.offsetAt(target.refSpan.start);
  const end = m.lines.offsetAt(target.refSpan.end);
  let out = text.slice(0, start) + '${' + arg + '}' + text.slice(end);

  if (!existing) {
    // The ARG goes at or before the first FROM line, so offsets before `start` are still valid in `out`.
    const line = insertionLine(m);
    let at = m.lines.starts[line]!;
    if (at === 0 && text.charCodeAt(0) === 0xfeff) at = 1; // stay after a byte-order mark
    const near = m.lines.eolOf(line - 1) || m.lines.eolOf(line) || firstEol(m.lines);
    // A lone \r is a line break to dockerfile-ast but not to BuildKit; never emit one.
    const eol = near === '\r\n' ? '\r\n' : '\n';
    out = out.slice(0, at) + `ARG ${arg}=${target.ref}${eol}` + out.slice(at);
  }
  return { text: out, stage: stageRef(target.stage), original: target.ref, changed: true };
}

function firstEol(lines: LineIndex): string {
  for (let l = 0; l < lines.lineCount; l++) {
    const e = lines.eolOf(l);
    if (e) return e;
  }
  return '\n';
}

// ---------------------------------------------------------------------------------------------
// Named contexts (buildx --build-context / bake `contexts`)

/** Named-context values buildx understands as-is; anything else is taken as an image reference. */
const CONTEXT_SOURCE = /^(?:[a-z][a-z0-9+.-]*:\/\/|target:)/i;

/**
 * The zero-edit path for buildx: a bake `contexts` map (or `--build-context k=v` pairs) that replaces the
 * base of the chosen stage (same choice as `rewriteFrom`), e.g.
 * `{ "acceleratorbase/edgetpu-std": "docker-image://acceleratorbase/edgetpu-max" }`.
 *
 * The key is the name BuildKit looks up: the FROM reference after ARG expansion, familiar form,
 * without `:latest`. So a reference containing ARGs can't be keyed and is an error, and because a named
 * context replaces every use of that name, another stage (or COPY --from) using the same base is an
 * error too: use `rewriteFrom` for those.
 */
export function overloadContexts(
  text: string,
  replacement: string,
  opts: Pick<RewriteOptions, 'stage'> = {},
): Record<string, string> {
  if (!replacement || /\s/.test(replacement)) {
    throw new RewriteError(`"${replacement}" is not a valid replacement image`);
  }
  let value: string;
  if (CONTEXT_SOURCE.test(replacement)) {
    value = replacement;
  } else {
    if (contextKey(replacement) === null) {
      throw new RewriteError(`"${replacement}" is not a valid image reference`);
    }
    value = `docker-image://${replacement}`;
  }

  const m = load(text);
  // No ARG name is special here: a `${BASE_IMAGE}` base is just a reference with an ARG in it.
  const target = resolveTarget(m, opts, null);
  const where = toPosition(target.refSpan.start);
  if (target.expansion.refs.length > 0) {
    const expanded = knownValue(target.expansion.parts);
    const hint = expanded ? ` (with the current defaults that is "${expanded}")` : '';
    throw new RewriteError(
      `${describeStage(target.stage)}: FROM ${target.ref} uses build arguments (${target.expansion.refs
        .map((r) => `$${r}`)
        .join(', ')}), but named contexts are keyed by the literal image name after ARG expansion${hint}; ` +
        `a key containing \${...} never matches. Use rewriteFrom (--build-arg ${DEFAULT_BASE_ARG}=...) instead, ` +
        `or key the context by the expanded name yourself`,
      where,
    );
  }
  const key = contextKey(target.ref);
  if (key === null) {
    throw new RewriteError(`${describeStage(target.stage)}: "${target.ref}" is not a valid image reference`, where);
  }

  const alsoHit: string[] = [];
  for (const s of m.stages) {
    if (s === target.stage) continue;
    const ref = s.from.getImage();
    if (ref === null) continue;
    const v = knownValue(expandWord(ref, m.env, m.escape).parts);
    const isStage = v !== undefined && m.stages.slice(0, s.index).some((e) => e.key === v);
    if (v !== undefined && !isStage && contextKey(v) === key) alsoHit.push(`the base of ${describeStage(s)}`);
  }
  for (const copy of m.df.getCOPYs()) {
    const from = copy.getFromFlag()?.getValue();
    if (!from || /^\d+$/.test(from) || m.stages.some((e) => e.key === from)) continue;
    if (contextKey(from) === key) {
      alsoHit.push(`COPY --from=${from} at line ${copy.getRange().start.line + 1}`);
    }
  }
  if (alsoHit.length > 0) {
    throw new RewriteError(
      `a named context "${key}" would also replace ${alsoHit.join(', ')}, not only the base of ` +
        `${describeStage(target.stage)}; use rewriteFrom to overload one stage`,
      where,
    );
  }
  return { [key]: value };
}
