import { expect, test } from 'vitest';
import { sourceTypes } from '../catalog/source-types.js';
import { datasourceFor } from './index.js';

test('every source type has a datasource that resolves its packages', () => {
  for (const type of sourceTypes) expect(typeof datasourceFor(type).resolve).toBe('function');
  expect(() => datasourceFor('conda' as never)).toThrow(/no datasource is registered for source type "conda"/);
});
