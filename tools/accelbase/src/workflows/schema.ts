// `schema`: the catalog's JSON Schema, generated from the zod schema, and kept as
// tools/accelbase/catalog.schema.json in the workspace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceFor } from '../catalog/workspace-paths.js';
import { catalogJsonSchema } from '../catalog/schema.js';
import { writeAtomic } from '../lib/fs.js';

/** The JSON Schema as the file holds it. */
export const catalogSchemaText = (): string => `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`;

/** Writes the schema file of the workspace whose catalog is `catalogPath`, unless it is up to date. */
export function writeCatalogSchema(catalogPath?: string): { file: string; written: boolean } {
  const text = catalogSchemaText();
  const file = join(workspaceFor(catalogPath).root, 'tools', 'accelbase', 'catalog.schema.json');
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* first write */
  }
  if (current !== text) writeAtomic(file, text);
  return { file, written: current !== text };
}
