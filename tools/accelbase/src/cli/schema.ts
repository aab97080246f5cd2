// `accelbase schema [--write]`: the catalog's JSON Schema, generated from the zod schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceFor } from '../catalog/load.js';
import { catalogJsonSchema } from '../catalog/schema.js';
import { writeAtomic } from '../lib/fs.js';
import type { Context } from './context.js';

export function schema(ctx: Context): number {
  const text = `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`;
  if (!ctx.flags.write) {
    ctx.out(text);
    return 0;
  }
  const file = join(workspaceFor(ctx.flags.catalog).root, 'tools', 'accelbase', 'catalog.schema.json');
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* first write */
  }
  if (current !== text) writeAtomic(file, text);
  ctx.out(`${current === text ? 'up to date' : 'wrote'} ${file}\n`);
  return 0;
}
