import { expect, test } from 'vitest';
import { Source, sourceTypeFacts, sourceTypes } from './source-types.js';

test('every source type is listed once, in the order catalog.schema.json has them', () => {
  expect(sourceTypes).toEqual(['debian', 'apt', 'npm', 'pip']);
  for (const type of sourceTypes) expect(sourceTypeFacts(type).schema.shape.type.value).toBe(type);
});

test('the settings of a source are checked by the schema of its type', () => {
  expect(Source.safeParse({ type: 'pip', index: 'https://pypi.org/simple' }).success).toBe(true);
  expect(Source.safeParse({ type: 'pip', components: ['main'] }).success).toBe(false);
  expect(Source.safeParse({ type: 'conda' }).success).toBe(false);
});

test('what a build fetches from each source type, probed before it starts', () => {
  const apt = {
    type: 'apt',
    url: 'https://v.example/apt',
    suite: 'stable',
    components: ['main'],
    key: { url: 'https://v.example/k.gpg', fingerprint: 'A'.repeat(40) },
    architectures: ['amd64'],
  } as const;
  expect(sourceTypeFacts('apt').buildUrls(apt)).toEqual([
    'https://v.example/k.gpg',
    'https://v.example/apt/dists/stable/InRelease',
  ]);
  expect(sourceTypeFacts('pip').buildUrls({ type: 'pip', index: 'https://pypi.org/simple//' })).toEqual([
    'https://pypi.org/simple/',
  ]);
  expect(sourceTypeFacts('debian').buildUrls({ type: 'debian', components: ['main'] })).toEqual([]);
  expect(sourceTypeFacts('npm').buildUrls({ type: 'npm' })).toEqual([]);
});
