// YAML documents with positions: every issue found in a user's YAML points at file:line:col.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
} from 'yaml';
import type { z } from 'zod';
import { CatalogError, MAX_ISSUES, type CatalogIssue } from '../errors.js';
import { unknownName, type Unknown } from '../lib/suggest.js';
import { keysAt, valueAt } from './schema-walk.js';
import { MAX_EXPANDED_NODES, nodeIssues, textIssues } from './yaml-checks.js';

export type PathKey = string | number;

export interface YamlDoc {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain JS values (aliases resolved; `<<` merge keys are refused, see yaml-checks.ts). */
  value: unknown;
}

/** 1-based positions of ascending character offsets, in one pass (before a LineCounter exists). */
function positionsOf(text: string, offsets: number[]): { line: number; column: number }[] {
  let line = 1;
  let lineStart = 0;
  let at = 0;
  return offsets.map((offset) => {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) [line, lineStart] = [line + 1, at + 1];
    return { line, column: offset - lineStart + 1 };
  });
}

const firstLine = (message: string) => message.split('\n')[0];

/**
 * Parse YAML text; any problem (characters, size, syntax, duplicate keys, aliases, warnings such as
 * unknown tags) throws a CatalogError with positions. Nothing of the YAML library's own exceptions
 * gets out.
 */
export function parseYaml(file: string, text: string): YamlDoc {
  const early = textIssues(text);
  if (early.length > 0) {
    const positions = positionsOf(
      text,
      early.map((i) => i.offset),
    );
    // A file within the size budget is parsed all the same, to say in which node each character is.
    const doc = early.some((i) => i.whole) ? undefined : parseDocument(text, { uniqueKeys: false, merge: false });
    const path = (offset: number) => (doc ? pathAt(doc, offset).join('.') : '');
    throw new CatalogError(early.map((i, n) => ({ file, ...positions[n], path: path(i.offset), message: i.message })));
  }
  const lines = new LineCounter();
  // Duplicate keys are found by nodeIssues: the library's own check compares keys pairwise. Merge
  // keys are YAML 1.1, not 1.2: nodeIssues refuses them, so the library must not apply them.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: false });
  const at = (offset: number, message: string): CatalogIssue => ({
    file,
    ...positionAt(lines, offset),
    path: pathAt(doc, offset).join('.'),
    message,
  });
  const reported = [...doc.errors, ...doc.warnings];
  // The parser reports running out of stack (flow collections nested thousands deep) in its own words.
  const say = (e: YAMLError) =>
    e.code === 'RESOURCE_EXHAUSTION' ? 'collections nested too deeply to parse' : firstLine(e.message);
  const problems = reported.slice(0, MAX_ISSUES).map((e) => at(e.pos[0], say(e)));
  if (problems.length === 0) problems.push(...nodeIssues(doc).map((i) => at(i.offset, i.message)));
  if (problems.length > 0) throw new CatalogError(problems, Math.max(0, reported.length - MAX_ISSUES));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_EXPANDED_NODES });
  } catch (e) {
    // nodeIssues found every alias problem it knows of; whatever else the library refuses is still positioned.
    throw new CatalogError([at(0, `cannot read the YAML: ${firstLine((e as Error).message)}`)]);
  }
  return { file, text, doc, lines, value };
}

/**
 * The path of the deepest node of `doc` at `offset`: the key itself when the offset is on a key (a
 * duplicate key's path ends with that key). Parsed as far as the parser got, so a syntax error is
 * placed inside the map it broke.
 */
function pathAt(doc: Document.Parsed, offset: number): PathKey[] {
  const path: PathKey[] = [];
  const within = (n: unknown): n is Node => {
    const range = (n as Node | null)?.range;
    return !!range && range[0] <= offset && offset < Math.max(range[2], range[0] + 1);
  };
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 1000 && node; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key) || within(p.value));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      node = within(pair.key) ? undefined : pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(within);
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return path;
}

function positionAt(lines: LineCounter, offset: number): { line: number; column: number } {
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Each map's pairs by key, built on first use: positioning thousands of issues stays linear. */
const pairIndex = new WeakMap<object, Map<unknown, Pair>>();

function pairsOf(map: { items: unknown[] }): Map<unknown, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p)) continue;
      const key = isScalar(p.key) ? p.key.value : p.key;
      if (!index.has(key)) index.set(key, p as Pair);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function child(node: unknown, key: PathKey): { pair?: Pair; node?: unknown } {
  if (isMap(node)) {
    const pair = pairsOf(node).get(key);
    return { pair, node: pair?.value };
  }
  if (isSeq(node) && typeof key === 'number') return { node: node.items[key] };
  return {};
}

/**
 * The position of `path` in the document: the value's start, or the key's when `atKey`.
 * A path that doesn't exist (a missing field) points at the nearest existing parent.
 */
export function positionOf(y: YamlDoc, path: readonly PathKey[], atKey = false): { line: number; column: number } {
  let node: unknown = y.doc.contents;
  let best: Node | undefined = node as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = child(node, path[i]);
    if (step.node === undefined && step.pair === undefined) break;
    const last = i === path.length - 1;
    const target = (last && atKey && step.pair ? step.pair.key : step.node) ?? step.pair?.key;
    if (target && (target as Node).range) best = target as Node;
    node = step.node;
  }
  return positionAt(y.lines, best?.range?.[0] ?? 0);
}

/** An issue at `path`; a message about an unknown name carries the name it suggests. */
export function issueAt(y: YamlDoc, path: readonly PathKey[], message: string | Unknown, atKey = false): CatalogIssue {
  const taught = typeof message === 'string' ? { message } : message;
  return {
    file: y.file,
    ...positionOf(y, path, atKey),
    path: path.join('.'),
    message: taught.message,
    ...(taught.suggestion === undefined ? {} : { suggestion: taught.suggestion }),
  };
}

type ZodIssue = z.core.$ZodIssue;
const keysOf = (path: readonly PropertyKey[]) => path.filter((k): k is PathKey => typeof k !== 'symbol');

/**
 * How badly a union branch fits the value: 2 when it wanted another type altogether, 1 when it is an
 * object with keys of another branch, 0 when it failed only further down.
 */
const misfit = (branch: ZodIssue[]) =>
  branch.some((i) => i.code === 'invalid_type' && i.path.length === 0)
    ? 2
    : branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0)
      ? 1
      : 0;

/** A union nothing fit by type: its own message, or what its branches expected. */
function unionMessage(issue: Extract<ZodIssue, { code: 'invalid_union' }>): string {
  if (issue.message !== 'Invalid input') return issue.message;
  const roots = issue.errors.flatMap((b) => b.filter((i) => i.code === 'invalid_type' && i.path.length === 0));
  const expected = [...new Set(roots.map((i) => (i as { expected: string }).expected))];
  const received = /, received (\S+)$/.exec(roots[0]?.message ?? '')?.[1];
  return `Invalid input: expected ${expected.join(' or ')}${received ? `, received ${received}` : ''}`;
}

/** What a value is, in messages about one not among the valid ones: named by the field that holds it. */
const NOUNS: Record<string, string> = {
  platforms: 'platform',
  device: 'device profile',
  architectures: 'architecture',
  components: 'component',
};

/** `value` is not one of `values`: the valid ones listed, and the closest suggested. */
function notOneOf(y: YamlDoc, path: PathKey[], values: readonly unknown[], fallback: string): CatalogIssue {
  const value = valueAt(y.value, path);
  const named = [...path].reverse().find((k): k is string => typeof k === 'string');
  if (value === undefined && typeof path[path.length - 1] === 'string')
    return issueAt(y, path, `missing required field "${path[path.length - 1]}"`);
  if (typeof value !== 'string' || !values.every((v) => typeof v === 'string'))
    return issueAt(y, path, `${fallback.replace(/^Invalid (?:input|option): /, '')}, not ${JSON.stringify(value)}`);
  const noun = NOUNS[named ?? ''] ?? named ?? 'value';
  return issueAt(y, path, unknownName(noun, value, values as string[], `valid ${noun}s`));
}

/** One zod issue, under `prefix`, as positioned issues; a union reports its best-fitting branch's issues. */
function positioned(y: YamlDoc, schema: z.ZodType, issue: ZodIssue, prefix: PathKey[]): CatalogIssue[] {
  const path = [...prefix, ...keysOf(issue.path)];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(schema, y.value, path);
      return issue.keys
        .slice(0, MAX_ISSUES)
        .map((key) => issueAt(y, [...path, key], unknownName('field', key, known, 'valid fields here'), true));
    }
    case 'invalid_key':
      return [issueAt(y, path, `invalid name: ${issue.issues.map((i) => i.message).join('; ')}`, true)];
    case 'invalid_value':
      return [notOneOf(y, path, issue.values, issue.message)];
    case 'invalid_union': {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined && options && issue.errors.length === 0) {
        if (valueAt(y.value, path) !== undefined) return [notOneOf(y, path, options, issue.message)];
        // No `type` at all: perhaps misspelt, as one of the keys no option knows.
        const object = path.slice(0, -1);
        const known = keysAt(schema, y.value, object);
        const held = valueAt(y.value, object);
        const keys = held !== null && typeof held === 'object' && !Array.isArray(held) ? Object.keys(held) : [];
        const unknown = keys.filter((k) => !known.includes(k));
        return [
          issueAt(y, path, `missing required field "${discriminator}"; valid ${discriminator}s: ${options.join(', ')}`),
          ...unknown.map((k) => issueAt(y, [...object, k], unknownName('field', k, known, 'valid fields here'), true)),
        ];
      }
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0) return [issueAt(y, path, issue.message)];
      const best = branches.reduce((a, b) =>
        misfit(b) < misfit(a) || (misfit(b) === misfit(a) && b[0].path.length > a[0].path.length) ? b : a,
      );
      if (misfit(best) === 2) return [issueAt(y, path, unionMessage(issue))];
      return best.flatMap((sub) => positioned(y, schema, sub, path));
    }
    case 'invalid_type':
      if (/ received undefined$/.test(issue.message) && path.length > 0)
        return [issueAt(y, path, `missing required field "${path[path.length - 1]}"`)];
      return [issueAt(y, path, issue.message)];
    default:
      return [issueAt(y, path, issue.message)];
  }
}

/** zod issues to positioned issues (the first MAX_ISSUES of them); unknown keys point at the key itself. */
export function zodIssues(y: YamlDoc, schema: z.ZodType, error: z.ZodError): CatalogIssue[] {
  return error.issues
    .slice(0, MAX_ISSUES)
    .flatMap((issue) => positioned(y, schema, issue, []))
    .slice(0, MAX_ISSUES);
}

/** The CatalogError for `schema`'s failed check of the document, counting the issues beyond MAX_ISSUES it leaves out. */
export function zodError(y: YamlDoc, schema: z.ZodType, error: z.ZodError): CatalogError {
  const issues = zodIssues(y, schema, error);
  const found = error.issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
  return new CatalogError(issues, Math.max(0, found - issues.length));
}
