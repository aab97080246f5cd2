// catalog.lock.yaml: exact versions resolved per image and platform (written by `accelbase update`).
import { stringify } from 'yaml';
import { z } from 'zod';
import { DIGEST_RE } from '../oci/reference.js';
import { DebPackageName } from './debian-names.js';
import { DebVersion, Platform } from './grammar.js';

const Digest = z.string().regex(DIGEST_RE, { message: 'not a sha256 digest' });
/** Locked versions: Debian versions, or npm/pip versions (both fit this grammar). */
// At most 64 characters, so `<version>-<dist>-<YYYYMMDD>` stays within a tag's 128.
const LockedVersion = z.union([
  DebVersion,
  z
    .string()
    .max(64)
    .regex(/^[0-9][A-Za-z0-9.+!-]*$/),
]);

export const LockedPlatform = z.strictObject({
  packages: z.record(z.string().min(1).max(214), LockedVersion).default({}),
  /** Every package the image installs (dpkg's database of the image built), name -> version, sorted. */
  installed: z.record(DebPackageName, DebVersion).optional(),
  /** minideb: sha256 of the root filesystem tarball the published image holds. */
  rootfs: Digest.optional(),
  /** minideb: the date of the newest Release (suite, -updates, -security) that tarball installed from: every update published by then is in it. */
  updatesAsOf: z
    .string()
    .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, { message: 'not a date YYYY-MM-DD' })
    .optional(),
  /** Set by `publish`: the base image digest the published image was built on... */
  baseDigest: Digest.optional(),
  /** ...and the image (index) digest published. Dropped by `update` when the packages change. */
  digest: Digest.optional(),
});
export type LockedPlatform = z.infer<typeof LockedPlatform>;

export const LockedImage = z.strictObject({
  updated: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, { message: 'not a date YYYY-MM-DD' }),
  platforms: z.partialRecord(Platform, LockedPlatform),
});
export type LockedImage = z.infer<typeof LockedImage>;

const IsoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, { message: 'not a date YYYY-MM-DD' });

/** A Debian release's support dates, from distro-info-data's debian.csv (never typed by hand). */
export const LockedDistribution = z.strictObject({
  /** The end of regular security support (debian.csv `eol`). */
  regularSecurityEnd: IsoDate.optional(),
  /** The end of security support: LTS (debian.csv `eol-lts`), else the regular end. */
  securityEnd: IsoDate.optional(),
  /** Freexian's paid Extended LTS (debian.csv `eol-elts`): not in Debian's archive, so informational. */
  extendedEnd: IsoDate.optional(),
});
export type LockedDistribution = z.infer<typeof LockedDistribution>;

export const Lock = z.strictObject({
  version: z.literal(1),
  /** The distro-info-data version the distribution dates were read from (`<version> (<suite>)`). */
  distroInfo: z.string().max(128).optional(),
  distributions: z.record(z.string().max(64), LockedDistribution).optional(),
  images: z.record(z.string().max(128), LockedImage).default({}),
});
export type Lock = z.infer<typeof Lock>;

export const emptyLock = (): Lock => ({ version: 1, images: {} });

/** The lock as committed: images sorted by name, so every writer (update, publish) produces the same text. */
export function serializeLock(lock: Lock): string {
  // Through the schema: every writer then emits the same key order (zod's), whatever order it built in.
  const canonical = Lock.parse(lock);
  const images = Object.fromEntries(Object.entries(canonical.images).sort(([a], [b]) => a.localeCompare(b)));
  const distributions =
    canonical.distributions &&
    Object.fromEntries(Object.entries(canonical.distributions).sort(([a], [b]) => a.localeCompare(b)));
  return `# Written by \`accelbase update\` and \`accelbase publish\`: the exact versions each image installs,\n# per platform, and the digests published. Do not edit by hand.\n${stringify({ ...canonical, distributions, images }, { lineWidth: 0 })}`;
}
