// `verify`: rebuild a published image from the commit that produced it (its revision label), on the
// base it was built on (the base's `sha-<revision>` build tag, shaTag: the same run pushed it), and compare digests per platform; where they differ,
// the first differing layer and its paths. Nothing is pushed: the rebuild stays an OCI layout.
import type { Run } from '../config/run-config.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { archOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import { addWorktree, removeWorktree, topLevel } from '../git.js';
import { blobPath, layoutRoot } from '../oci/layout.js';
import {
  getBlob,
  getManifest,
  indexPlatforms,
  platformEntry,
  platformManifest,
  type ImageIndex,
  type ImageManifest,
} from '../oci/registry.js';
import { resolveImage } from '../pick/resolve.js';
import { shaTag } from '../plan/tags.js';
import { ensureRootfs } from '../rootfs/ensure.js';
import { rootfsFacts, rootfsTarball } from '../rootfs/paths.js';
import { compareManifests, diffConfigs, diffLayers, type PathDifference } from '../verify/layer-diff.js';
import { buildImages, layoutDirOf, type PinnedBase } from './build.js';
import { openWorkspace, type OpenWorkspace } from './workspace.js';

export interface PlatformVerdict {
  platform: string;
  identical: boolean;
  published: string;
  rebuilt?: string;
  /** Config fields that differ (JSON paths). */
  config?: string[];
  /** The first differing layer, and up to `MAX_PATHS` of its paths that differ. */
  layer?: { index: number; published?: string; rebuilt?: string; paths: PathDifference[]; morePaths: number };
}

export interface VerifyOutcome {
  image: string;
  reference: string;
  digest: string;
  rebuiltDigest?: string;
  revision: string;
  identical: boolean;
  platforms: PlatformVerdict[];
  durationS: number;
}

const MAX_PATHS = 50;

interface ImageConfig {
  created?: string;
  config?: { Labels?: Record<string, string> };
}

const configOf = async (repository: string, m: ImageManifest): Promise<ImageConfig> =>
  JSON.parse((await getBlob(repository, m.config!.digest)).toString('utf8')) as ImageConfig;
const readLayoutJson = <T>(layout: string, digest: string): T =>
  JSON.parse(readFileSync(blobPath(layout, digest), 'utf8')) as T;

/** The platforms a pushed image serves: its index's, or for a one-platform push (a manifest) its config's. */
async function platformsOf(repository: string, digest: string): Promise<string[]> {
  const { body } = await getManifest(repository, digest);
  const manifest = body as ImageManifest;
  if (!manifest.layers) return indexPlatforms(body);
  const config = JSON.parse((await getBlob(repository, manifest.config!.digest)).toString('utf8')) as {
    os?: string;
    architecture?: string;
  };
  return [`${config.os}/${config.architecture}`];
}

/** One platform's manifest in the rebuilt layout. */
function layoutManifest(layout: string, platform: string): { digest: string; body: ImageManifest } | undefined {
  const root = layoutRoot(layout);
  const top = readLayoutJson<ImageIndex & ImageManifest>(layout, root.digest);
  if (top.layers) return { digest: root.digest, body: top };
  const entry = platformEntry(top, platform);
  return entry ? { digest: entry.digest, body: readLayoutJson<ImageManifest>(layout, entry.digest) } : undefined;
}

async function comparePlatform(
  repository: string,
  layout: string,
  platform: string,
  publishedDigest: string,
): Promise<PlatformVerdict> {
  // One read of the index: a one-platform push is a manifest itself.
  const { body: index } = await getManifest(repository, publishedDigest);
  const entry = platformEntry(index, platform);
  if (!entry && !(index as ImageManifest).layers)
    throw new UserError(
      `${repository}@${publishedDigest} has no ${platform} image (it has ${indexPlatforms(index).join(', ') || 'none'})`,
    );
  const published = entry
    ? ((await getManifest(repository, entry.digest)).body as ImageManifest)
    : (index as ImageManifest);
  const rebuilt = layoutManifest(layout, platform);
  const verdict: PlatformVerdict = {
    platform,
    identical: false,
    published: entry?.digest ?? publishedDigest,
    rebuilt: rebuilt?.digest,
  };
  if (!rebuilt) return verdict;
  const c = compareManifests(published, rebuilt.body);
  if (c.identical) return { ...verdict, identical: verdict.published === verdict.rebuilt };
  if (c.config)
    verdict.config = diffConfigs(
      await configOf(repository, published),
      readLayoutJson(layout, rebuilt.body.config!.digest),
    );
  if (c.layer) {
    const paths =
      c.layer.published && c.layer.rebuilt
        ? diffLayers(await getBlob(repository, c.layer.published), readFileSync(blobPath(layout, c.layer.rebuilt)))
        : [];
    verdict.layer = { ...c.layer, paths: paths.slice(0, MAX_PATHS), morePaths: Math.max(0, paths.length - MAX_PATHS) };
  }
  return verdict;
}

/** Copy this workspace's rootfs tarballs (and their facts) into the rebuild, so minideb is rebuilt from the same tarball. */
function carryRootfs(from: string, to: string, dist: string, platforms: string[]): void {
  for (const arch of new Set(platforms.map(archOf))) {
    for (const file of [rootfsTarball(dist, arch), rootfsFacts(dist, arch)]) {
      if (!existsSync(join(from, file))) continue;
      mkdirSync(dirname(join(to, file)), { recursive: true });
      copyFileSync(join(from, file), join(to, file));
    }
  }
}

export async function verifyImage(
  ws: OpenWorkspace,
  ref: string,
  platforms: string[],
  run: Run,
): Promise<VerifyOutcome> {
  const start = performance.now();
  const { image, tag } = resolveImage(ws.plan, ws.model, ref, { buildTags: true });
  const reference = `${image.repository}:${tag}`;
  const { digest } = await getManifest(image.repository, tag);
  if (!digest) throw new UserError(`${reference}: the registry did not say its digest`);
  const wanted = platforms.length ? platforms : await platformsOf(image.repository, digest);
  const labels =
    (await configOf(image.repository, await platformManifest(image.repository, digest, wanted[0]))).config?.Labels ??
    {};
  const revision = labels['org.opencontainers.image.revision'];
  if (!revision)
    throw new UserError(
      `${reference} has no org.opencontainers.image.revision label: it was not built by accelbase from a commit, so there is nothing to rebuild it from`,
    );

  let pinnedBases: PinnedBase[] = [];
  if (image.base) {
    // Not a label: a split build's part and a one-engine build would then differ in their configs.
    const base = ws.plan.images.find((i) => i.name === image.base!.name)!;
    const baseTag = shaTag(base, revision);
    const baseDigest = (await getManifest(base.repository, baseTag).catch(() => ({ digest: undefined }))).digest;
    if (!baseDigest)
      throw new UserError(
        `${base.repository}:${baseTag} is not in the registry: the base ${reference} was built on, pushed by the same build, is needed to rebuild it`,
      );
    const baseConfig = await configOf(base.repository, await platformManifest(base.repository, baseDigest, wanted[0]));
    pinnedBases = [
      {
        image: base.name,
        repository: base.repository,
        digest: baseDigest,
        epoch: Date.parse(baseConfig.created ?? '') / 1000 || 0,
      },
    ];
  }

  const gitRoot = await topLevel(ws.root);
  const tmp = mkdtempSync(join(tmpdir(), 'accelbase-verify-'));
  const tree = join(tmp, 'tree');
  try {
    run.reporter.step(`verify ${reference}: rebuilding ${revision.slice(0, 12)} (${wanted.join(', ')})`);
    await addWorktree(gitRoot, revision, tree);
    const at = openWorkspace({
      catalog: join(tree, relative(gitRoot, ws.ws.catalogFile)),
      registry: ws.options.registry,
    });
    const planned = at.plan.images.find((i) => i.name === image.name);
    if (!planned) throw new UserError(`${revision.slice(0, 12)} has no image ${image.name} in its catalog`);
    if (planned.kind === 'minideb') carryRootfs(ws.root, at.root, planned.dist, wanted);
    const [result] = await buildImages([planned], {
      root: at.root,
      catalog: at.model.catalog,
      platforms: wanted,
      output: 'layout',
      keepGoing: false,
      noCache: true,
      allTargets: at.plan.images.map((i) => i.name),
      date: '00000000',
      revision,
      lockUpdated: (name) => at.lock.images[name]?.updated,
      provenance: run.config.provenance,
      pinnedBases,
      ensureRootfs: (dist, p) => ensureRootfs(at.root, dist, p, run.config),
      ...run,
    });
    if (result.status === 'failed' || result.status === 'skipped')
      throw new UserError(
        `rebuilding ${image.name} at ${revision.slice(0, 12)} ${result.status}: ${result.reason ?? ''}`,
      );
    const layout = layoutDirOf(at.root, image.name);
    const verdicts: PlatformVerdict[] = [];
    for (const p of wanted) verdicts.push(await comparePlatform(image.repository, layout, p, digest));
    return {
      image: image.name,
      reference,
      digest,
      rebuiltDigest: result.digest,
      revision,
      // One platform asked for: its rebuilt index holds only that platform, so only the manifests can match.
      identical:
        verdicts.length > 0 && verdicts.every((v) => v.identical) && (platforms.length > 0 || result.digest === digest),
      platforms: verdicts,
      durationS: (performance.now() - start) / 1000,
    };
  } finally {
    await removeWorktree(gitRoot, tree);
    rmSync(tmp, { recursive: true, force: true });
  }
}
