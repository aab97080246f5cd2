// What a zod schema allows at a path of a document: the keys an object there may have, so an unknown
// key's error can list them and suggest the one that was meant. Read from the schema itself, so the
// catalog, lock and variants files all get it, and a new field is suggested the day it is added.
import type { z } from 'zod';

/** A key of a map or an index of a list (yaml-doc.ts's PathKey). */
type PathKey = string | number;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  getter?: () => z.ZodType;
}

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** A property of a plain object, never one it inherits. */
const own = (value: unknown, key: PathKey): unknown =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, key)
    ? (value as Record<PathKey, unknown>)[key]
    : undefined;

/** The schemas `s` stands for with its wrappers taken off; a union's options, only the matching one when it is discriminated. */
function unwrapped(s: z.ZodType, value: unknown, depth = 0): z.ZodType[] {
  if (depth > 32) return [];
  const def = defOf(s);
  if (def.innerType) return unwrapped(def.innerType, value, depth + 1);
  if (def.type === 'pipe' && def.in) return unwrapped(def.in, value, depth + 1);
  if (def.type === 'lazy' && def.getter) return unwrapped(def.getter(), value, depth + 1);
  if (def.type === 'union' && def.options) {
    const tag = def.discriminator === undefined ? undefined : own(value, def.discriminator);
    const matching = def.options.filter((o) => {
      const field = defOf(o).shape?.[def.discriminator ?? ''];
      return field !== undefined && defOf(field).values?.includes(tag);
    });
    return (matching.length > 0 ? matching : def.options).flatMap((o) => unwrapped(o, value, depth + 1));
  }
  return [s];
}

function childSchemas(s: z.ZodType, key: PathKey): z.ZodType[] {
  const def = defOf(s);
  if (def.type === 'object' && def.shape && typeof key === 'string' && Object.hasOwn(def.shape, key))
    return [def.shape[key]];
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'array' && def.element && typeof key === 'number') return [def.element];
  return [];
}

/** The keys an object at `path` of `value` may have under `schema` (every option's, where a union leaves it open). */
export function keysAt(schema: z.ZodType, value: unknown, path: readonly PathKey[]): string[] {
  let schemas = unwrapped(schema, value);
  let at = value;
  for (const key of path) {
    at = own(at, key);
    schemas = schemas.flatMap((s) => childSchemas(s, key)).flatMap((s) => unwrapped(s, at));
  }
  const keys = schemas.flatMap((s) => {
    const def = defOf(s);
    return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
  });
  return [...new Set(keys)];
}

/** The value at `path` of a document's plain JS value (own properties only). */
export const valueAt = (value: unknown, path: readonly PathKey[]): unknown =>
  path.reduce<unknown>((v, key) => own(v, key), value);
