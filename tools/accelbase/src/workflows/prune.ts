// `prune`: delete the build tags retention no longer keeps, with their platform manifests and SBOMs,
// from the registry the plan names; on the engine's local registry, collect the garbage afterwards.
// Everything is read and planned (plan/retention.ts) before the first DELETE, and a registry that
// refuses DELETE is found out before it too: nothing is left half-done.
import { existsSync } from 'node:fs';
import { enginePaths, prefixTool } from '../engine/paths.js';
import { collectGarbage, REGISTRY_ADDR } from '../engine/registry.js';
import { UserError } from '../errors.js';
import { directoryBytes } from '../lib/fs.js';
import { parseReference } from '../oci/reference.js';
import {
  deleteManifest,
  deletionAllowed,
  getManifest,
  hasManifest,
  listReferrers,
  listTags,
  splitRepository,
} from '../oci/registry.js';
import {
  planRetention,
  referrersSubject,
  retainedImages,
  tagRole,
  type RepositoryContents,
  type RepositoryRetention,
  type RetainedImage,
} from '../plan/retention.js';
import type { Reporter } from '../reporter.js';
import type { Run } from '../config/run-config.js';
import type { OpenWorkspace } from './workspace.js';

/** A registry whose storage this machine holds: its collector, configuration and storage folder. */
export interface LocalStorage {
  tool: string;
  config: string;
  data: string;
}

export interface PruneOptions {
  dryRun?: boolean;
  /** Collect the garbage there after deleting (the engine's registry; a test's private one). */
  storage?: LocalStorage;
}

export interface PruneOutcome {
  /** The registry host (`127.0.0.1:5000`). */
  registry: string;
  /** Build tags kept per image (`registry.retention.buildTags`). */
  keep: number;
  dryRun: boolean;
  repositories: RepositoryRetention[];
  tagsBefore: number;
  tagsAfter: number;
  /** Manifests deleted (planned, on a dry run). */
  deleted: number;
  /** The storage folder's size around the deletions and the garbage collection, where it is local. */
  storage?: { bytesBefore: number; bytesAfter: number; freed: number };
}

/** Every tag, the index each names, and the referrers of each subject, from the registry. */
async function readRepository(repository: string): Promise<RepositoryContents> {
  const contents: RepositoryContents = { repository, tags: {}, children: {}, referrers: {} };
  for (const tag of await listTags(repository)) {
    const { digest, body } = await getManifest(repository, tag);
    if (!digest) throw new UserError(`${repository}:${tag}: the registry sent no Docker-Content-Digest`);
    contents.tags[tag] = digest;
    const listed = (body.manifests ?? []).map((m) => m.digest);
    const role = tagRole(tag);
    const subject = role === 'referrers' ? referrersSubject(tag) : undefined;
    if (subject) contents.referrers[subject] = listed;
    // A cache index lists layer blobs, not platform manifests.
    else if (body.manifests && role !== 'cache') contents.children[digest] = listed;
  }
  const subjects = [...new Set([...Object.keys(contents.children), ...Object.values(contents.children).flat()])];
  // A registry with the referrers API keeps no referrers tags: ask it for each subject.
  if (subjects.length && (await listReferrers(repository, subjects[0])).via === 'api') {
    for (const s of subjects)
      contents.referrers[s] = ((await listReferrers(repository, s)).index.manifests ?? []).map((m) => m.digest);
  }
  // A referrers tag whose subject is gone was left by an interrupted prune: it goes now.
  const known = new Set([...Object.values(contents.tags), ...subjects]);
  const absent: string[] = [];
  for (const tag of Object.keys(contents.tags)) {
    const subject = referrersSubject(tag);
    if (subject && !known.has(subject) && !(await hasManifest(repository, subject))) absent.push(subject);
  }
  contents.absentSubjects = absent;
  return contents;
}

const hostOf = (repository: string): string => parseReference(repository)?.domain ?? repository;

/** Plan, check the registry deletes, delete, collect the garbage. */
export async function pruneRegistry(
  images: readonly RetainedImage[],
  keep: number,
  reporter: Reporter,
  o: PruneOptions = {},
): Promise<PruneOutcome> {
  const repositories = [...new Set(images.map((i) => i.repository))].sort();
  if (!repositories.length) throw new UserError('prune: no images to prune');
  // A namespace without a registry host fails here, naming --registry.
  const registry = new URL(splitRepository(repositories[0]).base).host;
  reporter.step(`reading ${repositories.length} repositories on ${registry}`);
  const contents: RepositoryContents[] = [];
  for (const r of repositories) contents.push(await readRepository(r));
  const plans = planRetention(contents, images, keep);
  const deletions = plans.flatMap((p) => p.deletions.map((digest) => ({ repository: p.repository, digest })));
  const outcome: PruneOutcome = {
    registry,
    keep,
    dryRun: o.dryRun === true,
    repositories: plans,
    tagsBefore: plans.reduce((n, p) => n + p.tags.length, 0),
    tagsAfter: plans.reduce((n, p) => n + p.tags.filter((t) => t.stays).length, 0),
    deleted: deletions.length,
  };
  if (o.dryRun) return outcome;
  if (deletions.length && !(await deletionAllowed(deletions[0].repository)))
    throw new UserError(
      `the registry ${registry} refuses DELETE (HTTP 405 UNSUPPORTED), so nothing was deleted: enable deletion in its configuration (docker-registry: \`storage: { delete: { enabled: true } }\` in its config.yml, or REGISTRY_STORAGE_DELETE_ENABLED=true) and restart it`,
    );
  const bytesBefore = o.storage ? directoryBytes(o.storage.data) : 0;
  for (const { repository, digest } of deletions) {
    reporter.info(`deleting ${repository}@${digest}`);
    await deleteManifest(repository, digest);
  }
  if (o.storage) {
    reporter.step(`collecting garbage in ${o.storage.data}`);
    await collectGarbage(o.storage.tool, o.storage.config);
    const bytesAfter = directoryBytes(o.storage.data);
    outcome.storage = { bytesBefore, bytesAfter, freed: bytesBefore - bytesAfter };
  }
  return outcome;
}

/** The engine's registry, when the plan's images live there and its configuration is on this machine. */
export function engineStorage(repository: string, engineHome: string): LocalStorage | undefined {
  if (hostOf(repository) !== REGISTRY_ADDR) return undefined;
  const paths = enginePaths(engineHome);
  if (!existsSync(paths.registryConfig)) return undefined;
  return { tool: prefixTool(paths.prefix, 'docker-registry'), config: paths.registryConfig, data: paths.registryData };
}

/** Prune the registry the workspace's plan names, by the catalog's retention rule. */
export async function pruneWorkspace(
  ws: OpenWorkspace,
  { config, reporter }: Run,
  o: { dryRun?: boolean } = {},
): Promise<PruneOutcome> {
  const keep = ws.model.catalog.registry.retention?.buildTags;
  if (keep === undefined)
    throw new UserError(
      'the catalog has no registry.retention.buildTags: set how many dated build tags prune keeps per image',
    );
  const images = retainedImages(ws.plan, ws.lock);
  const storage = images.length ? engineStorage(images[0].repository, config.engineHome) : undefined;
  if (!o.dryRun && images.length && hostOf(images[0].repository) === REGISTRY_ADDR && !storage)
    reporter.warn(`no engine registry configuration here: ${REGISTRY_ADDR} gets no garbage collection`);
  return pruneRegistry(images, keep, reporter, { dryRun: o.dryRun, storage });
}
