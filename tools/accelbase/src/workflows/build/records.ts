// What a build leaves for the commands after it: results.json (every image's outcome) and, for a
// split build, the parts file `merge` reads. Bases pinned by digest (verify) are inputs, not outcomes.
import type { PlannedImage } from '../../plan/plan.js';
import type { Reporter } from '../../reporter.js';
import { writeBuildResults, writePartsFile, type BuildPart, type BuildResult } from '../state.js';

/** A base not built in this run, pinned by digest (verify rebuilds one image on the base it was built on). */
export interface PinnedBase {
  image: string;
  repository: string;
  digest: string;
  /** The base's SOURCE_DATE_EPOCH (its config's `created`). */
  epoch: number;
}

/** A pinned base as the build sees a base it built: cached, with its digest. */
export const pinnedResult = (b: PinnedBase): BuildResult => ({
  image: b.image,
  repository: b.repository,
  platforms: [],
  status: 'cached',
  tags: [],
  durationS: 0,
  digest: b.digest,
});

export interface RecordOptions {
  root: string;
  date: string;
  output: string;
  platforms: string[];
  revision?: string;
  /** Split build: the parts file and the lock hash `merge` checks them against. */
  parts?: { file: string; lockHash: string };
  reporter: Reporter;
}

/** results.json, and the parts file of a split build. */
export function writeBuildRecords(results: BuildResult[], images: readonly PlannedImage[], o: RecordOptions): void {
  writeBuildResults(o.root, { date: o.date, output: o.output, results });
  if (o.parts) writeParts(results, images, { ...o, parts: o.parts });
}

/** The parts file of a split build: every image pushed by digest, with the part of its base. */
function writeParts(
  list: BuildResult[],
  images: readonly PlannedImage[],
  o: RecordOptions & { parts: NonNullable<RecordOptions['parts']> },
): void {
  const byName = new Map(list.map((r) => [r.image, r]));
  const parts: BuildPart[] = [];
  for (const r of list) {
    if (!r.digest || (r.status !== 'built' && r.status !== 'cached')) continue;
    const image = images.find((i) => i.name === r.image)!;
    const baseDigest = image.base ? byName.get(image.base.name)?.digest : undefined;
    const platform = r.platforms[0];
    parts.push({
      image: r.image,
      repository: r.repository,
      platform,
      digest: r.digest,
      ...(baseDigest ? { baseDigest } : {}),
      status: r.status,
      durationS: r.durationS,
      ...(r.installed?.[platform] ? { installed: r.installed[platform] } : {}),
    });
  }
  writePartsFile(o.parts.file, {
    version: 1,
    platform: o.platforms[0],
    // buildWorkspace refuses a split build without a revision.
    revision: o.revision!,
    lockHash: o.parts.lockHash,
    date: o.date,
    parts,
  });
  o.reporter.info(
    `build: ${parts.length} part${parts.length === 1 ? '' : 's'} for ${o.platforms[0]} in ${o.parts.file}`,
  );
}
