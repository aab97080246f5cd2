// Publishing: move an image's floating tags to what was just built, only when something really
// changed (packages, base, root filesystem) and every platform passed its smoke test. Pure.
import type { Platform } from '../catalog/grammar.js';
import type { LockedImage } from '../catalog/lock.js';
import type { PlannedImage } from './plan.js';

export interface PublishInput {
  image: PlannedImage;
  locked?: LockedImage;
  /** The index digest `build --push` produced for this image. */
  builtDigest?: string;
  /** Smoke outcome per platform for that digest. */
  smoke: Partial<Record<Platform, 'passed' | 'no-device' | 'failed'>>;
  /** The digest the base is published at now (after this run's publishes); undefined for minideb. */
  baseDigest?: string;
  /** minideb: sha256 of each platform's rootfs tarball in the build. */
  rootfs?: Partial<Record<Platform, string>>;
  /** minideb: the date of each tarball's newest Release, when known. */
  updatesAsOf?: Partial<Record<Platform, string>>;
  /** Every installed package per platform of the built image (dpkg's database), when it was read. */
  installed?: Partial<Record<Platform, Record<string, string>>>;
  today: string;
}

/** Why, in a word a machine can match; `why` says it for people. */
export type PublishReason = 'digest changed' | 'identical digest' | 'not built' | 'smoke' | 'base not published';

export type PublishDecision =
  | {
      action: 'publish';
      image: string;
      reason: 'digest changed';
      digest: string;
      tags: string[];
      why: string;
      locked: LockedImage;
    }
  | { action: 'skip'; image: string; reason: Exclude<PublishReason, 'digest changed'>; why: string };

/** A different installed set; unknown on either side (not read) is no evidence of a change. */
const installedMoved = (was: Record<string, string> | undefined, now: Record<string, string> | undefined) =>
  was !== undefined && now !== undefined && JSON.stringify(was) !== JSON.stringify(now);

/**
 * The rule is the digest: builds are reproducible, so the same inputs give the same index digest and
 * a quiet night publishes nothing. The lock comparison is the second opinion, kept as the `why`.
 */
export function decidePublish(i: PublishInput): PublishDecision {
  const { image, locked } = i;
  const skip = (reason: Exclude<PublishReason, 'digest changed'>, why: string): PublishDecision => ({
    action: 'skip',
    image: image.name,
    reason,
    why,
  });
  if (!i.builtDigest) return skip('not built', 'not built and pushed (run `accelbase build --push` first)');
  if (image.platforms.every((p) => locked?.platforms[p]?.digest === i.builtDigest))
    return skip('identical digest', `identical digest: ${i.builtDigest} is what is published`);
  const unsmoked = image.platforms.filter((p) => i.smoke[p] === undefined || i.smoke[p] === 'failed');
  if (unsmoked.length)
    return skip('smoke', `smoke test ${unsmoked.map((p) => `${p}: ${i.smoke[p] ?? 'not run'}`).join(', ')}`);
  if (image.base && !i.baseDigest) return skip('base not published', `base ${image.base.name} is not published`);

  const reasons: string[] = [];
  for (const p of image.platforms) {
    const was = locked?.platforms[p];
    if (image.kind === 'minideb') {
      if (!was?.rootfs || was.rootfs !== i.rootfs?.[p])
        reasons.push(`${p}: root filesystem ${was?.rootfs ? 'changed' : 'never published'}`);
    } else if (!was?.digest) reasons.push(`${p}: ${locked?.platforms[p] ? 'packages changed' : 'never published'}`);
    else if (was.baseDigest !== i.baseDigest) reasons.push(`${p}: base ${image.base!.name} changed`);
    else if (installedMoved(was.installed, i.installed?.[p])) reasons.push(`${p}: installed packages changed`);
  }
  // A new digest from the same packages, base and rootfs: something in the build is not reproducible.
  if (reasons.length === 0)
    reasons.push('new index digest, though packages, base and root filesystem are unchanged (see `accelbase verify`)');

  const platforms: LockedImage['platforms'] = {};
  for (const p of image.platforms) {
    platforms[p] = {
      ...locked?.platforms[p],
      packages: locked?.platforms[p]?.packages ?? {},
      ...(image.kind === 'minideb'
        ? { rootfs: i.rootfs?.[p], ...(i.updatesAsOf?.[p] ? { updatesAsOf: i.updatesAsOf[p] } : {}) }
        : { baseDigest: i.baseDigest }),
      ...(i.installed?.[p] ? { installed: i.installed[p] } : {}),
      digest: i.builtDigest,
    };
  }
  return {
    action: 'publish',
    image: image.name,
    reason: 'digest changed',
    digest: i.builtDigest,
    tags: image.tags.map((t) => `${image.repository}:${t}`),
    why: reasons.join('; '),
    locked: { updated: locked?.updated ?? i.today, platforms },
  };
}
