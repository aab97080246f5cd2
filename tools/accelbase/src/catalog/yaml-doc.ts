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
import { MAX_EXPANDED_NODES, nodeIssues, textIssues } from './yaml-checks.js';

export type PathKey = string | number;

export interface YamlDoc {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain JS values (aliases resolved, `<<` merge keys applied). */
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
    throw new CatalogError(early.map((i, n) => ({ file, ...positions[n], path: '', message: i.message })));
  }
  const lines = new LineCounter();
  // Duplicate keys are found by nodeIssues: the library's own check compares keys pairwise.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: true });
  const at = (offset: number, message: string): CatalogIssue => ({
    file,
    ...positionAt(lines, offset),
    path: '',
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

export function issueAt(y: YamlDoc, path: readonly PathKey[], message: string, atKey = false): CatalogIssue {
  return { file: y.file, ...positionOf(y, path, atKey), path: path.join('.'), message };
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

/** One zod issue, under `prefix`, as positioned issues; a union reports its best-fitting branch's issues. */
function positioned(y: YamlDoc, issue: ZodIssue, prefix: PathKey[]): CatalogIssue[] {
  const path = [...prefix, ...keysOf(issue.path)];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.slice(0, MAX_ISSUES).map((key) => issueAt(y, [...path, key], `unknown field "${key}"`, true));
    case 'invalid_key':
      return [issueAt(y, path, `invalid name: ${issue.issues.map((i) => i.message).join('; ')}`, true)];
    case 'invalid_union': {
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0) return [issueAt(y, path, issue.message)];
      const best = branches.reduce((a, b) =>
        misfit(b) < misfit(a) || (misfit(b) === misfit(a) && b[0].path.length > a[0].path.length) ? b : a,
      );
      if (misfit(best) === 2) return [issueAt(y, path, unionMessage(issue))];
      return best.flatMap((sub) => positioned(y, sub, path));
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
function zodIssues(y: YamlDoc, error: z.ZodError): CatalogIssue[] {
  return error.issues
    .slice(0, MAX_ISSUES)
    .flatMap((issue) => positioned(y, issue, []))
    .slice(0, MAX_ISSUES);
}

/** The CatalogError for a failed schema check, counting the issues beyond MAX_ISSUES it leaves out. */
export function zodError(y: YamlDoc, error: z.ZodError): CatalogError {
  const issues = zodIssues(y, error);
  const found = error.issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
  return new CatalogError(issues, Math.max(0, found - issues.length));
}
