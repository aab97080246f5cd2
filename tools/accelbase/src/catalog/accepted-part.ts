// The part of a document its schema accepts: every node the schema refused is taken out (a bad field,
// then its object when the field is required), until what is left passes. The catalog's semantic
// checks run on that part, so one misspelt key does not hide an unknown source elsewhere (README:
// every error at once). Pure: data in, data out.
import type { z } from 'zod';
import { MAX_ISSUES } from '../errors.js';
import { closest } from '../lib/suggest.js';
import { keysAt, valueAt } from './schema-walk.js';

type PathKey = string | number;

export interface AcceptedPart<T> {
  /** What the schema made of the part it accepts. */
  data: T;
  /** The nodes taken out, as paths of the document. */
  removed: PathKey[][];
  /** Is `path` (in `data`'s own coordinates) a node taken out, inside one, or around one? */
  refused(path: readonly PathKey[]): boolean;
  /** `path` in `data` as a path of the document (list items taken out shift the ones after them). */
  originalPath(path: readonly PathKey[]): PathKey[];
}

/** Rounds of taking out before giving up: each round takes out every node the schema refused. */
const MAX_ROUNDS = 8;

const isContainer = (v: unknown): v is Record<PathKey, unknown> => v !== null && typeof v === 'object';

export const startsWith = (path: readonly PathKey[], prefix: readonly PathKey[]) =>
  prefix.length <= path.length && prefix.every((k, i) => path[i] === k);

/**
 * The accepted part of `value` under `schema`, given the schema's first refusal; undefined when no
 * part can pass (a required top-level field is missing or wrong).
 */
export function acceptedPart<T>(schema: z.ZodType<T>, value: unknown, error: z.ZodError): AcceptedPart<T> | undefined {
  // The document itself until the first node is taken out (most refusals give up before that).
  let copy: unknown = value;
  // Each list's items by their index in the document, kept as items are taken out.
  const origins = new WeakMap<object, number[]>();
  const removed: PathKey[][] = [];
  const removedKeys = new Set<string>();
  // A misspelt key stands for the field it likely means (`packges` for `packages`): that field is not
  // missing, it is misspelt, and reported so.
  const meant: PathKey[][] = [];
  const originalPath = (path: readonly PathKey[]): PathKey[] => {
    let node: unknown = copy;
    return path.map((key) => {
      const here = node;
      node = isContainer(node) && Object.hasOwn(node, key) ? node[key] : undefined;
      return Array.isArray(here) && typeof key === 'number' ? (origins.get(here)?.[key] ?? key) : key;
    });
  };
  let issues = error.issues;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const targets = issues.flatMap((issue) => {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => [...path, k]);
      // A missing field: the object that needs it goes.
      if (valueAt(copy, path) === undefined) return [path.slice(0, -1)];
      // A bad item of a list of names (platforms, architectures): the whole list goes, as the rest of
      // it would tell the checks less than the list meant (a platform "missing" that was misspelt).
      const item = path[path.length - 1];
      if (typeof item === 'number' && !isContainer(valueAt(copy, path))) return [path.slice(0, -1)];
      return [path];
    });
    if (targets.some((t) => t.length === 0)) return undefined;
    if (round === 0) copy = structuredClone(value);
    for (const issue of issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      const known = keysAt(schema, copy, path);
      // As many as an error reports (MAX_ISSUES): a hostile file can hold millions of keys.
      for (const k of issue.keys.slice(0, MAX_ISSUES)) {
        const field = closest(k, known);
        if (field !== undefined) meant.push([...originalPath(path), field]);
      }
    }
    // Deepest and last first, so taking out one list item does not move another target.
    targets.sort((a, b) => compareDescending(a, b));
    for (const target of targets) {
      const original = originalPath(target);
      if (original.some((_, i) => removedKeys.has(JSON.stringify(original.slice(0, i + 1))))) continue;
      const parent = valueAt(copy, target.slice(0, -1));
      const key = target[target.length - 1];
      if (!isContainer(parent) || !Object.hasOwn(parent, key)) continue;
      removed.push(original);
      removedKeys.add(JSON.stringify(original));
      if (Array.isArray(parent) && typeof key === 'number') {
        const indices = origins.get(parent) ?? parent.map((_, i) => i);
        indices.splice(key, 1);
        origins.set(parent, indices);
        parent.splice(key, 1);
      } else delete parent[key];
    }
    const parsed = schema.safeParse(copy);
    if (parsed.success)
      return {
        data: parsed.data,
        removed,
        originalPath,
        refused: (path) => {
          const original = originalPath(path);
          return [...removed, ...meant].some((r) => startsWith(original, r) || startsWith(r, original));
        },
      };
    issues = parsed.error.issues;
  }
  return undefined;
}

/** Longer paths first, then later keys first (list indices by number). */
function compareDescending(a: readonly PathKey[], b: readonly PathKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (b[i] as number) - (a[i] as number);
    return String(b[i]).localeCompare(String(a[i]));
  }
  return b.length - a.length;
}
