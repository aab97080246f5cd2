// `merge`: a split build's parts (one results file per platform, from `build --push-by-digest`) made
// into one multi-platform index per image, tagged with the build tags. Every check runs before
// anything is pushed: a missing or extra platform, parts from two commits or locks, an unreachable
// registry or a part it does not hold all fail with nothing moved.
import type { Run } from '../config/run-config.js';
import { createIndex } from '../docker/imagetools.js';
import { requireEngine } from '../engine/engine.js';
import { UserError } from '../errors.js';
import { getManifest } from '../oci/registry.js';
import { byDigest } from '../oci/reference.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { buildTags } from '../plan/tags.js';
import type { EngineClient } from '../engine/client.js';
import type { SigningSession } from '../sign/sign.js';
import { lockHashOf } from './build.js';
import { sbomFacts } from './sbom.js';
import { openRunSigning, signIndex } from './signing.js';
import { readPartsFile, writeBuildResults, type BuildPart, type BuildPartsFile, type BuildResult } from './state.js';
import type { OpenWorkspace } from './workspace.js';

export interface LoadedParts {
  file: string;
  value: BuildPartsFile;
}

export interface MergePlan {
  revision: string;
  date: string;
  images: { image: PlannedImage; parts: BuildPart[] }[];
}

const short = (r: string) => r.slice(0, 7);

/**
 * What the parts make, or every reason they cannot (all at once, one per line). `plan` is this
 * checkout's; `lockHash` its lock's.
 */
export function planMerge(plan: Plan, files: LoadedParts[], lockHash: string): MergePlan {
  const problems: string[] = [];
  if (files.length === 0)
    throw new UserError(
      'usage: accelbase merge RESULTS... (the files `build --push-by-digest --results FILE` wrote)',
      2,
    );
  const revisions = [...new Set(files.map((f) => f.value.revision))];
  if (revisions.length > 1)
    problems.push(
      `parts from ${revisions.length} commits: ${files.map((f) => `${f.file} (${short(f.value.revision)})`).join(', ')}`,
    );
  const locks = [...new Set(files.map((f) => f.value.lockHash))];
  if (locks.length > 1)
    problems.push(
      `parts from ${locks.length} different catalog.lock.yaml files: ${files.map((f) => `${f.file} (${f.value.lockHash.slice(7, 19)})`).join(', ')}`,
    );
  else if (locks[0] !== lockHash)
    problems.push(
      `the parts were built from another catalog.lock.yaml (${locks[0].slice(7, 19)}) than this checkout's (${lockHash.slice(7, 19)})`,
    );

  const byImage = new Map<string, Map<string, { part: BuildPart; file: string }>>();
  for (const f of files) {
    for (const part of f.value.parts) {
      if (part.platform !== f.value.platform)
        problems.push(`${f.file}: ${part.image} is for ${part.platform}, in a file for ${f.value.platform}`);
      const platforms = byImage.get(part.image) ?? new Map<string, { part: BuildPart; file: string }>();
      byImage.set(part.image, platforms);
      const seen = platforms.get(part.platform);
      if (seen && seen.part.digest !== part.digest)
        problems.push(
          `${part.image} ${part.platform}: two parts, ${seen.part.digest} in ${seen.file} and ${part.digest} in ${f.file}`,
        );
      else platforms.set(part.platform, { part, file: f.file });
    }
  }

  const images: MergePlan['images'] = [];
  const known = new Set<string>();
  for (const image of plan.images) {
    const got = byImage.get(image.name);
    if (!got) continue;
    known.add(image.name);
    const missing = image.platforms.filter((p) => !got.has(p));
    if (missing.length)
      problems.push(
        `${image.name}: no part for ${missing.join(', ')} (it declares ${image.platforms.join(', ')}; the parts have ${[...got.keys()].sort().join(', ')})`,
      );
    const extra = [...got.keys()].filter((p) => !(image.platforms as string[]).includes(p));
    if (extra.length)
      problems.push(
        `${image.name}: parts for ${extra.join(', ')}, which it does not declare (${image.platforms.join(', ')})`,
      );
    for (const { part, file } of got.values()) {
      if (part.repository !== image.repository)
        problems.push(
          `${image.name} ${part.platform}: ${file} pushed it to ${part.repository}, this checkout builds ${image.repository}`,
        );
      const basePart = image.base ? byImage.get(image.base.name)?.get(part.platform)?.part : undefined;
      if (basePart && part.baseDigest && basePart.digest !== part.baseDigest)
        problems.push(
          `${image.name} ${part.platform}: built on ${image.base!.name}@${part.baseDigest}, but the parts hold ${basePart.digest} for it`,
        );
    }
    images.push({ image, parts: image.platforms.flatMap((p) => (got.has(p) ? [got.get(p)!.part] : [])) });
  }
  for (const name of byImage.keys()) if (!known.has(name)) problems.push(`${name}: not an image of this catalog`);
  if (problems.length) throw new UserError(`merge: nothing pushed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    revision: revisions[0],
    date: files
      .map((f) => f.value.date)
      .sort()
      .at(-1)!,
    images,
  };
}

/** Every part must be in the registry before any tag moves; an unreachable registry is said once. */
async function checkPartsPushed(m: MergePlan): Promise<void> {
  const problems: string[] = [];
  outer: for (const { parts } of m.images) {
    for (const part of parts) {
      try {
        await getManifest(part.repository, part.digest);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        if (e.message.startsWith('cannot reach')) {
          problems.push(`registry unreachable: ${e.message}`);
          break outer;
        }
        problems.push(
          `${part.image} ${part.platform} ${byDigest(part.repository, part.digest)} is not in the registry (${e.message})`,
        );
      }
    }
  }
  if (problems.length) throw new UserError(`merge: nothing pushed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

export async function mergeWorkspace(ws: OpenWorkspace, files: string[], run: Run): Promise<BuildResult[]> {
  const loaded = files.map((file) => ({ file, value: readPartsFile(file) }));
  const lockHash = await lockHashOf(ws.ws.lockFile);
  const m = planMerge(ws.plan, loaded, lockHash);
  await checkPartsPushed(m);
  const engine = await requireEngine(run.config);
  // Before any tag moves: a key that cannot be used stops the merge with nothing pushed.
  const signing = await openRunSigning(run);
  try {
    return await mergeImages(ws, m, engine, run, signing, lockHash);
  } finally {
    signing?.dispose();
  }
}

async function mergeImages(
  ws: OpenWorkspace,
  m: MergePlan,
  engine: EngineClient,
  run: Run,
  signing: SigningSession | undefined,
  lockHash: string,
): Promise<BuildResult[]> {
  const results: BuildResult[] = [];
  const byName = new Map<string, BuildResult>();
  const facts = {
    ws,
    revision: m.revision,
    date: m.date,
    lockHash,
    builder: run.config.builder,
    sbomFacts: sbomFacts(ws),
  };
  for (const { image, parts } of m.images) {
    const tags = buildTags(image, m.date, m.revision).map((t) => `${image.repository}:${t}`);
    const start = performance.now();
    run.reporter.info(`\n==> merge ${image.name} (${parts.map((p) => p.platform).join(', ')})`);
    await createIndex(
      engine,
      tags,
      parts.map((p) => byDigest(p.repository, p.digest)),
    );
    const digest = (await getManifest(image.repository, tags[0].slice(tags[0].lastIndexOf(':') + 1))).digest;
    const installed = Object.fromEntries(parts.flatMap((p) => (p.installed ? [[p.platform, p.installed]] : [])));
    const result: BuildResult = {
      image: image.name,
      repository: image.repository,
      platforms: parts.map((p) => p.platform),
      status: parts.every((p) => p.status === 'cached') ? 'cached' : 'built',
      ...(digest ? { digest } : {}),
      tags,
      durationS: Math.max(...parts.map((p) => p.durationS)) + (performance.now() - start) / 1000,
      ...(Object.keys(installed).length ? { installed } : {}),
    };
    byName.set(image.name, result);
    if (signing && digest) result.signed = await signIndex(signing, image, result, byName, facts);
    results.push(result);
  }
  writeBuildResults(ws.root, { date: m.date, output: 'push', results });
  return results;
}
