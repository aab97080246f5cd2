// YAML documents with positions: every issue found in a user's YAML points at file:line:col.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { z } from 'zod';
import { CatalogError, type CatalogIssue } from '../errors.js';

export type PathKey = string | number;

export interface YamlDoc {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parse YAML text; syntax errors (and duplicate keys) throw a CatalogError with positions. */
export function parseYaml(file: string, text: string): YamlDoc {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = [...doc.errors];
  if (problems.length > 0) {
    throw new CatalogError(
      problems.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] };
      }),
    );
  }
  return { file, text, doc, lines };
}

function child(node: unknown, key: PathKey): { pair?: Pair; node?: unknown } {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === key) as Pair | undefined;
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
  const offset = best?.range?.[0] ?? 0;
  const pos = y.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

export function issueAt(y: YamlDoc, path: readonly PathKey[], message: string, atKey = false): CatalogIssue {
  return { file: y.file, ...positionOf(y, path, atKey), path: path.join('.'), message };
}

/** zod issues to positioned issues; unknown keys point at the key itself. */
export function zodIssues(y: YamlDoc, error: z.ZodError): CatalogIssue[] {
  const out: CatalogIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(issueAt(y, [...path, key], `unknown field "${key}"`, true));
    } else if (issue.code === 'invalid_key') {
      out.push(issueAt(y, path, `invalid name: ${issue.issues.map((i) => i.message).join('; ')}`, true));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest, not "invalid input".
      const deepest = issue.errors.reduce((a, b) => (b.length && (!a.length || b[0].path.length >= a[0].path.length) ? b : a));
      if (deepest.length === 0) out.push(issueAt(y, path, issue.message));
      for (const sub of deepest) out.push(issueAt(y, [...path, ...sub.path.filter((k): k is PathKey => typeof k !== 'symbol')], sub.message));
    } else if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message) && path.length > 0) {
      out.push(issueAt(y, path, `missing required field "${path[path.length - 1]}"`));
    } else {
      out.push(issueAt(y, path, issue.message));
    }
  }
  return out;
}
