// What a YAML file must pass before its values are taken: characters YAML allows, a size the parser
// handles in well under a second, and a node tree without duplicate keys, `__proto__` keys, unknown
// or self-containing aliases, alias-expansion bombs or runaway nesting. Each problem is positioned.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { MAX_ISSUES } from '../errors.js';

/** A problem at a character offset of the text. */
export interface OffsetIssue {
  offset: number;
  message: string;
  /** About the whole file (its size), not about the place it points at. */
  whole?: true;
}

/**
 * Upper bound on the nodes a text can hold: every node but the first follows a line break or one of
 * `- , : ? [ {`. The parser needs ~15 us per node (and a map's keys are compared pairwise when
 * uniqueness is left to it), so this bound, not the byte size, keeps parsing well under a second.
 * The real catalog counts ~550; a 1000-image catalog ~25000.
 */
const MAX_STRUCTURE = 30_000;
/** Nodes after aliases are expanded: reusing anchors is fine, multiplying the document is not. */
export const MAX_EXPANDED_NODES = 100_000;
/** Collections nested deeper than this are no catalog (the real one nests 8 deep). */
const MAX_DEPTH = 64;

/** YAML 1.2 c-printable: tab, line breaks, printable ASCII, NEL and the printable rest of Unicode. */
function printable(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd)
  );
}

const STRUCTURAL = new Set([0x0a, 0x2c, 0x2d, 0x3a, 0x3f, 0x5b, 0x7b]); // \n , - : ? [ {

/** Characters YAML forbids (NUL, other control characters, lone surrogates) and the structure budget. */
export function textIssues(text: string): OffsetIssue[] {
  const issues: OffsetIssue[] = [];
  let structure = 1;
  for (let i = 0; i < text.length && issues.length < MAX_ISSUES; i++) {
    const c = text.charCodeAt(i);
    if (STRUCTURAL.has(c) && ++structure > MAX_STRUCTURE) {
      issues.push({
        offset: i,
        message: `the file is too large for accelbase: more than ${MAX_STRUCTURE} YAML nodes (line breaks and - , : ? [ { indicators)`,
        whole: true,
      });
      break;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i++; // a surrogate pair: one supplementary-plane character, printable
    } else if (!printable(c)) {
      const name = c === 0 ? 'a NUL character' : `the character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      issues.push({ offset: i, message: `${name}, which a YAML file may not contain` });
    }
  }
  return issues;
}

const start = (node: { range?: readonly number[] | null }) => node.range?.[0] ?? 0;

/**
 * YAML 1.1's merge key. The catalog is YAML 1.2, where `<<` is a plain key: merging it would read the
 * file differently from editors and other tools, so it is refused where it stands.
 */
const MERGE_KEY =
  'merge keys (<<) are not YAML 1.2, which accelbase reads: write the keys out, or use an alias (*name) for a whole value';

/** Merge keys, duplicate keys (as the JS object would see them: `1` and "1" are one key), `__proto__` and collection keys. */
function keyIssues(map: { items: unknown[] }): OffsetIssue[] {
  const issues: OffsetIssue[] = [];
  const seen = new Set<string>();
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    if (isMap(pair.key) || isSeq(pair.key)) {
      // The JS object would hold it as its text ("[ a, b ]"), which no catalog name is.
      issues.push({ offset: start(pair.key as Node), message: 'a key must be a plain value, not a collection' });
      continue;
    }
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value ?? '');
    if (key === '__proto__') issues.push({ offset: start(pair.key), message: 'a key named __proto__ is not allowed' });
    else if (key === '<<' && pair.key.type === 'PLAIN') issues.push({ offset: start(pair.key), message: MERGE_KEY });
    else if (seen.has(key))
      issues.push({ offset: start(pair.key), message: `duplicate key "${key}": each key may appear once in a map` });
    seen.add(key);
  }
  return issues;
}

function childrenOf(node: Node): Node[] {
  if (isMap(node))
    return node.items.flatMap((p) => [p.key, p.value]).filter((n): n is Node => n !== null && typeof n === 'object');
  if (isSeq(node)) return node.items.filter((n): n is Node => n !== null && typeof n === 'object');
  return [];
}

interface Step {
  node: Node;
  depth: number;
  /** Set when the node's children are done: the running total it started at. */
  enteredAt?: number;
}

/**
 * Walks the tree once, in document order, without recursion (a deep tree must not overflow the
 * stack). An alias resolves, as the YAML library resolves it, to the last node with its anchor
 * before it; its expansion counts that node's whole expanded size.
 */
export function nodeIssues(doc: Document.Parsed): OffsetIssue[] {
  const issues: OffsetIssue[] = [];
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let total = 0;
  const stack: Step[] = doc.contents ? [{ node: doc.contents, depth: 0 }] : [];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const step = stack.pop()!;
    const { node } = step;
    if (step.enteredAt !== undefined) {
      open.delete(node);
      sizes.set(node, total - step.enteredAt);
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target)
        issues.push({
          offset: start(node),
          message: `unknown alias *${node.source} (no anchor &${node.source} before it)`,
        });
      else if (open.has(target))
        issues.push({ offset: start(node), message: `alias *${node.source} refers to a node that contains it` });
      else if ((total += sizes.get(target)!) > MAX_EXPANDED_NODES) {
        issues.push({
          offset: start(node),
          message: `aliases expand the file to more than ${MAX_EXPANDED_NODES} nodes (an alias-expansion bomb?)`,
        });
        break;
      }
      continue;
    }
    if (step.depth > MAX_DEPTH) {
      issues.push({ offset: start(node), message: `collections nested more than ${MAX_DEPTH} levels deep` });
      break;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    const enteredAt = total++;
    if (isMap(node)) issues.push(...keyIssues(node));
    open.add(node);
    stack.push({ node, depth: step.depth, enteredAt });
    for (const child of childrenOf(node).reverse()) stack.push({ node: child, depth: step.depth + 1 });
  }
  return issues;
}
