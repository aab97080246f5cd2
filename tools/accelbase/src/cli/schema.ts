// `accelbase schema [--write]`: the catalog's JSON Schema, generated from the zod schema.
import { catalogSchemaText, writeCatalogSchema } from '../workflows/schema.js';
import type { Context } from './context.js';

export function schema(ctx: Context): number {
  if (!ctx.flags.write) {
    ctx.out(catalogSchemaText());
    return 0;
  }
  const { file, written } = writeCatalogSchema(ctx.flags.catalog);
  ctx.out(`${written ? 'wrote' : 'up to date'} ${file}\n`);
  return 0;
}
