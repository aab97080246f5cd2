// The pieces every command's --json shares: one definition of a platform, an image reference, a
// package set, a release's support. The vocabulary: platforms are `linux/amd64`, package sets are
// maps (name -> version), lists of images or projects are lists of objects, `files` are paths.
import { z } from 'zod';
import { Platform } from '../../catalog/grammar.js';
import { DeviceProfile, Placement, Smoke } from '../../catalog/schema.js';

export { DeviceProfile, Placement, Platform, Smoke };

/** Per platform: one value each (a version, a count, a record). */
export const byPlatform = <T extends z.ZodType>(value: T) => z.partialRecord(Platform, value);

/** Package name -> version. */
export const PackageSet = z.record(z.string(), z.string()).describe('package name -> version');

/** The fields that say which image an entry is, wherever a command describes one in full (plan, show). */
export const imageIdentity = {
  name: z.string(),
  kind: z.enum(['minideb', 'accelerator']),
  accelerator: z.string().optional(),
  variant: z.string().optional(),
  description: z.string().optional(),
  dist: z.string(),
  repository: z.string(),
};

/** An image of the catalog, named. */
export const ImageRef = z.strictObject({ name: z.string() });

/** An Nx project: a rendered folder, `images/<name>`. */
export const ProjectRef = z.strictObject({ name: z.string(), dir: z.string() });

export const Support = z.strictObject({
  debian: z.string().describe("Debian's release number"),
  securityEnd: z.string().optional(),
  regularSecurityEnd: z.string().optional(),
  retired: z.boolean(),
});

/** A catalog package as planned: its source, the catalog's range, and the version locked per platform. */
export const PlannedPackage = z.strictObject({
  name: z.string(),
  source: z.string(),
  sourceType: z.string(),
  constraint: z.string().optional(),
  locked: byPlatform(z.string()),
});

export const PackageVersions = z.strictObject({
  name: z.string(),
  versions: byPlatform(z.string()),
  from: z.string().optional(),
});

/** Why a command also warned (an image within its release's end-of-support window). */
export const Warnings = z.array(z.string());
