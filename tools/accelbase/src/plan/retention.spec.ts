import { describe, expect, test } from 'vitest';
import { emptyLock } from '../catalog/lock.js';
import type { Plan, PlannedImage } from './plan.js';
import {
  planRepositoryRetention,
  referrersSubject,
  retainedImages,
  tagRole,
  type RepositoryContents,
  type RetainedImage,
} from './retention.js';

/** `sha256:` + the letter repeated: a readable fake digest. */
const d = (c: string) => `sha256:${c.repeat(64)}`;
const REPO = 'reg.example:5000/ns/app';

const image = (over: Partial<RetainedImage> = {}): RetainedImage => ({
  name: 'app-trixie',
  repository: REPO,
  dist: 'trixie',
  floating: ['latest', 'trixie', '1-trixie', '1.2-trixie'],
  retired: false,
  lockDigests: [],
  ...over,
});

const contents = (tags: Record<string, string>, over: Partial<RepositoryContents> = {}): RepositoryContents => ({
  repository: REPO,
  tags,
  children: {},
  referrers: {},
  ...over,
});

const deletedImages = (r: ReturnType<typeof planRepositoryRetention>) =>
  r.digests.filter((x) => x.deleted && x.role === 'image').map((x) => x.digest);

describe('tagRole', () => {
  test.each([
    ['latest', 'floating'],
    ['trixie', 'floating'],
    ['13', 'floating'],
    ['1.2-trixie', 'floating'],
    ['1.2.3-trixie-20261128', 'build'],
    ['trixie-20261128', 'build'],
    ['sha-abcdef0', 'revision'],
    ['sha-abcdef0-trixie', 'revision'],
    [`sha256-${'a'.repeat(64)}`, 'referrers'],
    ['sha256-short', 'floating'],
    ['cache-amd64', 'cache'],
    ['cache-amd64-arm64', 'cache'],
  ])('%s is %s', (tag, role) => {
    expect(tagRole(tag)).toBe(role);
  });

  test('a referrers tag names its subject', () => {
    expect(referrersSubject(`sha256-${'b'.repeat(64)}`)).toBe(d('b'));
    expect(referrersSubject('latest')).toBeUndefined();
  });
});

describe('planRepositoryRetention: which image digests go', () => {
  test.each<[string, Record<string, string>, Partial<RetainedImage>, number, string[]]>([
    [
      'the N newest build tags stay, older ones go',
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), 'trixie-20261103': d('3'), latest: d('3') },
      {},
      2,
      [d('1')],
    ],
    [
      'newest by the date in the tag, not by name order',
      { '1.10-trixie-20261101': d('1'), '1.9-trixie-20261105': d('2'), '1.8-trixie-20261103': d('3') },
      {},
      1,
      [d('1'), d('3')],
    ],
    [
      'a floating tag keeps an old digest',
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), '1.1-trixie': d('1') },
      {},
      1,
      [],
    ],
    [
      'a tag the plan does not derive (an older version) is floating too',
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), '0.9-trixie': d('1') },
      {},
      1,
      [],
    ],
    [
      "the lock's digest stays",
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), 'trixie-20261103': d('3') },
      { lockDigests: [d('1')] },
      1,
      [d('2')],
    ],
    [
      'a retired image keeps every digest its tags name',
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), 'sha-1234567': d('1') },
      { retired: true },
      1,
      [],
    ],
    [
      'the build cache stays',
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), 'cache-amd64': d('1') },
      {},
      1,
      [],
    ],
    [
      'a sha tag alone keeps nothing',
      { 'trixie-20261101': d('1'), 'trixie-20261102': d('2'), 'sha-1234567': d('1') },
      {},
      1,
      [d('1')],
    ],
    [
      'a digest one kept build tag names stays, whatever else names it',
      { 'trixie-20261101': d('2'), 'trixie-20261102': d('2'), 'trixie-20261030': d('1') },
      {},
      1,
      [d('1')],
    ],
  ])('%s', (_why, tags, over, keep, deleted) => {
    expect(deletedImages(planRepositoryRetention(contents(tags), [image(over)], keep))).toEqual(deleted.sort());
  });
});

describe('planRepositoryRetention: images sharing a repository (minideb)', () => {
  const trixie = image({ name: 'minideb-trixie', dist: 'trixie', floating: ['latest', 'trixie', '13'] });
  const bookworm = image({ name: 'minideb-bookworm', dist: 'bookworm', floating: ['bookworm', '12'] });
  test.each<[string, Partial<RetainedImage>, string[]]>([
    ['each image keeps its own N newest', {}, [d('1'), d('4')]],
    ['a retired one keeps all of its own, revision tags included', { retired: true }, [d('1')]],
  ])('%s', (_why, bookwormOver, deleted) => {
    const tags = {
      'trixie-20261101': d('1'),
      'trixie-20261102': d('2'),
      'bookworm-20261001': d('3'),
      'bookworm-20260901': d('4'),
      'sha-1234567-bookworm': d('4'),
      latest: d('2'),
      bookworm: d('3'),
    };
    const r = planRepositoryRetention(contents(tags), [trixie, { ...bookworm, ...bookwormOver }], 1);
    expect(deletedImages(r)).toEqual(deleted);
    expect(r.tags.find((t) => t.tag === 'sha-1234567-bookworm')?.image).toBe('minideb-bookworm');
  });
});

describe('planRepositoryRetention: platforms and referrers', () => {
  // d(1) old and deleted, d(2) kept; each lists two platforms; d(2) shares platform 5 with d(1).
  const tags = {
    'trixie-20261101': d('1'),
    'trixie-20261102': d('2'),
    [`sha256-${'a'.repeat(64)}`]: d('c'),
    [`sha256-${'5'.repeat(64)}`]: d('e'),
    [`sha256-${'9'.repeat(64)}`]: d('f'),
  };
  const children = { [d('1')]: [d('a'), d('5')], [d('2')]: [d('b'), d('5')] };
  const referrers = { [d('a')]: [d('6')], [d('5')]: [d('7')], [d('9')]: [d('8')] };
  const plan = (absent: string[]) =>
    planRepositoryRetention(contents(tags, { children, referrers, absentSubjects: absent }), [image()], 1);
  const fate = (r: ReturnType<typeof plan>) =>
    Object.fromEntries(r.digests.map((x) => [x.digest, `${x.role}:${x.deleted ? 'deleted' : 'kept'}`]));

  test.each<[string, string, string]>([
    ['the old index', d('1'), 'image:deleted'],
    ['its own platform', d('a'), 'platform:deleted'],
    ['a platform a kept index lists too', d('5'), 'platform:kept'],
    ['the kept index', d('2'), 'image:kept'],
    ["the deleted platform's SBOM", d('6'), 'referrer:deleted'],
    ["the deleted platform's referrers index", d('c'), 'referrers-index:deleted'],
    ["the kept platform's SBOM", d('7'), 'referrer:kept'],
    ["the kept platform's referrers index", d('e'), 'referrers-index:kept'],
  ])('%s', (_what, digest, expected) => {
    expect(fate(plan([]))[digest]).toBe(expected);
  });

  test.each<[string, string[], string]>([
    ['a referrers tag of a subject the registry still has stays', [], 'kept'],
    ['one whose subject is gone (an interrupted prune) goes', [d('9')], 'deleted'],
  ])('%s', (_why, absent, expected) => {
    const r = fate(plan(absent));
    expect([r[d('f')], r[d('8')]]).toEqual([`referrers-index:${expected}`, `referrer:${expected}`]);
  });

  test('deletions: indexes first, then platforms, referrers tags, artifacts; every kept digest has a reason', () => {
    const r = plan([]);
    expect(r.deletions).toEqual([d('1'), d('a'), d('c'), d('6')]);
    for (const x of r.digests) expect(x.deleted).toBe(x.keptBy.length === 0);
    expect(r.tags.find((t) => t.tag === 'trixie-20261101')).toMatchObject({ stays: false, keeps: undefined });
    expect(r.tags.find((t) => t.tag === 'trixie-20261102')).toMatchObject({
      stays: true,
      keeps: 'one of the 1 newest build tags of app-trixie',
    });
  });
});

test('retainedImages: floating tags from the plan, retired from the support, digests from the lock', () => {
  const planned = {
    name: 'app-trixie',
    repository: REPO,
    dist: 'trixie',
    tags: ['latest', 'trixie'],
    support: { debian: '13', retired: true },
  } as unknown as PlannedImage;
  const lock = emptyLock();
  lock.images['app-trixie'] = {
    updated: '2026-11-01',
    platforms: { 'linux/amd64': { packages: {}, digest: d('1') }, 'linux/arm64': { packages: {}, digest: d('1') } },
  };
  const plan: Plan = { namespace: 'reg.example:5000/ns', images: [planned] };
  expect(retainedImages(plan, lock)).toEqual([
    {
      name: 'app-trixie',
      repository: REPO,
      dist: 'trixie',
      floating: ['latest', 'trixie'],
      retired: true,
      lockDigests: [d('1')],
    },
  ]);
});
