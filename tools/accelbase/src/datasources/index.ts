// The registration table: every source type a catalog may use. Adding one means writing its
// datasource (./types.ts) and listing it here; the catalog schema, validation, `update`, the build
// preflight and rendering all go through this table.
import { z } from 'zod';
import { aptRepository } from './apt.js';
import { debianArchive } from './debian/datasource.js';
import { npmRegistry } from './npm.js';
import { pipIndex } from './pip.js';
import type { Datasource } from './types.js';

/** In the order catalog.schema.json lists them. */
const registered = [debianArchive, aptRepository, npmRegistry, pipIndex] as const;

// `map` forgets which element is which; the union's type needs the schemas as the same tuple.
type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

/** A source's settings in catalog.yaml, whichever its type. */
export const Source = z.discriminatedUnion(
  'type',
  registered.map((d) => d.schema) as unknown as SchemasOf<typeof registered>,
);
export type Source = z.infer<typeof Source>;
export type SourceType = Source['type'];

const byType = new Map<string, Datasource>();
for (const d of registered as readonly Datasource[]) byType.set(d.schema.shape.type.value, d);

/** Source types, in registration order. */
export const sourceTypes = [...byType.keys()] as SourceType[];

/** The datasource of a source type. */
export function datasourceFor(type: SourceType): Datasource {
  const d = byType.get(type);
  if (!d) throw new Error(`no datasource is registered for source type "${type}"`);
  return d;
}
