import { expect, test } from 'vitest';
import { commandNames } from '../table/commands.js';
import { outputSchemaFile, outputSchemaText, outputSchemas } from './index.js';

// The JSON Schemas published with the package (tools/accelbase/schemas/) must match the zod schemas.
// After changing cli/output/: `npx vitest run tools/accelbase/src/cli/output/schemas.spec.ts -u`.
test.each(commandNames)('schemas/%s.schema.json matches its zod schema', async (command) => {
  await expect(outputSchemaText(command)).toMatchFileSnapshot(`../../../${outputSchemaFile(command)}`);
});

test('every command of the table has an output schema, and nothing else does', () => {
  expect(Object.keys(outputSchemas).sort()).toEqual([...commandNames].sort());
});
