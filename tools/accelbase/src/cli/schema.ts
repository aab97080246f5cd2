// `accelbase schema [--write]`: the catalog's JSON Schema, generated from the zod schema (JSON
// already, --json or not); with --write and --json, what was written.
import { catalogSchemaText, writeCatalogSchema } from '../workflows/schema.js';
import { type Context, printJson } from './context.js';

export function schema(ctx: Context): number {
  if (!ctx.flags.write) {
    ctx.out(catalogSchemaText());
    return 0;
  }
  const { file, written } = writeCatalogSchema(ctx.flags.catalog);
  if (ctx.flags.json) printJson(ctx, { file, written });
  else ctx.out(`${written ? 'wrote' : 'up to date'} ${file}\n`);
  return 0;
}
