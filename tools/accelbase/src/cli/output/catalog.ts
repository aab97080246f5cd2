// --json of the catalog commands: validate, render, plan, ls, schema, affected, diff, update, outdated.
import { z } from 'zod';
import {
  byPlatform,
  DeviceProfile,
  ImageRef,
  PackageVersions,
  Placement,
  PlannedPackage,
  Platform,
  ProjectRef,
  Smoke,
  Support,
  Warnings,
  imageIdentity,
} from './common.js';

export const validate = z.strictObject({
  ok: z.literal(true),
  catalog: z.string(),
  images: z.array(z.strictObject({ name: z.string(), project: z.string() })),
  warnings: Warnings,
});

const FileList = z.array(z.string()).describe('paths relative to the workspace root');

export const render = z.union([
  z.strictObject({ files: FileList, changed: FileList, added: FileList, stale: FileList }),
  z.strictObject({ ok: z.boolean(), changed: FileList, added: FileList, stale: FileList }).describe('with --check'),
]);

export const PlannedImage = z.strictObject({
  ...imageIdentity,
  project: z.string(),
  base: z.strictObject({ name: z.string(), ref: z.string() }).nullable(),
  platforms: z.array(Platform),
  version: z.string().nullable(),
  tags: z.array(z.string()),
  packages: z.array(PlannedPackage),
  downloads: z.array(z.strictObject({ url: z.string(), sha256: z.string(), dest: z.string() })),
  debconf: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.string()),
  device: DeviceProfile,
  placement: Placement,
  smoke: Smoke,
  dir: z.string(),
  support: Support,
});

export const plan = z.strictObject({ namespace: z.string(), images: z.array(PlannedImage), warnings: Warnings });

export const ls = z.strictObject({
  images: z.array(
    z.strictObject({
      name: z.string(),
      repository: z.string(),
      platforms: z.array(Platform),
      tags: z.array(z.string()),
      support: Support,
    }),
  ),
});

export const schema = z.union([
  z.looseObject({ $schema: z.string() }).describe("without --write: the catalog's JSON Schema itself"),
  z.strictObject({ file: z.string(), written: z.boolean() }).describe('with --write'),
]);

const AffectedImage = z.strictObject({
  name: z.string(),
  project: z.string(),
  why: z.array(z.enum(['rendered', 'catalog', 'base', 'project'])),
});
const Review = {
  base: z.string(),
  since: z.string().describe('the merge base of --base and the head'),
  images: z.array(AffectedImage),
  notRendered: z
    .array(z.strictObject({ name: z.string(), project: z.string() }))
    .describe("affected images whose rendered files are not what the head's catalog renders to"),
  hint: z.string().optional().describe('with notRendered: run `accelbase render`'),
};

export const affected = z.strictObject({ ...Review, projects: z.array(ProjectRef) });

const PackageState = z.strictObject({
  source: z.string(),
  constraint: z.string().optional(),
  locked: byPlatform(z.string()),
});

export const diff = z.strictObject({
  ...Review,
  projects: z.array(
    z.strictObject({
      ...ProjectRef.shape,
      dockerfile: z.string().describe("the rendered Dockerfile's diff; empty when only a base changed"),
      packages: z.array(
        z.strictObject({
          image: z.string(),
          package: z.string(),
          change: z.enum(['added', 'removed', 'changed']),
          before: PackageState.optional(),
          after: PackageState.optional(),
        }),
      ),
    }),
  ),
});

const OutdatedPackage = z.strictObject({
  package: z.string(),
  installed: z.string(),
  newest: z.string(),
  suite: z.string(),
  security: z.boolean(),
});

export const OutdatedReport = z.strictObject({
  image: z.string(),
  platform: Platform,
  installedCount: z.number().int().describe('how many installed packages are known (0 with known false)'),
  known: z.boolean(),
  outdated: z.array(OutdatedPackage),
});

export const outdated = z.strictObject({
  count: z.number().int().describe('outdated packages in all'),
  unknown: z.number().int().describe('image platforms with no known installed set (exit 1 when any)'),
  images: z.array(OutdatedReport),
});

export const PackageChange = z.strictObject({
  image: z.string(),
  platform: Platform,
  package: z.string(),
  from: z.string().optional(),
  to: z.string(),
});

export const Unresolved = z.strictObject({
  image: z.string(),
  platform: Platform,
  package: z.string(),
  source: z.string(),
  reason: z.string(),
  cause: z.enum(['no-version', 'unreadable', 'unreachable']),
  unreachable: z.strictObject({ host: z.string(), reason: z.string() }).optional(),
});

export const update = z.strictObject({
  lockChanged: z.boolean(),
  changes: z.array(PackageChange),
  unresolved: z.array(Unresolved),
  rendered: z.array(z.string()),
  outdated: z.array(OutdatedReport),
  rebuild: z.array(ImageRef),
  calendarError: z.string().optional(),
  unreachable: z.array(
    z.strictObject({ host: z.string(), reason: z.string(), sources: z.array(z.string()), images: z.array(ImageRef) }),
  ),
  complete: z.boolean().describe('every source the lock needs was read; false exits 1'),
});

export { PackageVersions };
