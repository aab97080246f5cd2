import { expect, test } from 'vitest';
import { catalogJsonSchema } from './schema.js';

// The committed JSON Schema editors validate catalog.yaml with must match the zod schema.
// After changing schema.ts: `npx accelbase schema --write` (or `vitest -u`).
test('catalog.schema.json matches the zod schema', async () => {
  await expect(`${JSON.stringify(catalogJsonSchema(), null, 2)}\n`).toMatchFileSnapshot('../../catalog.schema.json');
});

test('the JSON Schema carries the grammars', () => {
  const text = JSON.stringify(catalogJsonSchema());
  expect(text).toContain('^[A-Za-z_][A-Za-z0-9_]*$'); // env names
  expect(text).toContain('"additionalProperties":false');
});
