// Engine tier, without dockerd or the shared registry: a private docker-registry (the engine prefix's
// binary) on a free loopback port with its own storage. Ten nights of two images are pushed through
// the registry API (a fresh two-platform index each night, its SBOMs under the referrers tag schema,
// the dated build tag, sha-<rev>, the floating tags moved); the lock names night 7 of one image.
// prune with retention 3 must leave exactly the expected tags, every kept image whole (both
// platforms' blobs download), the rest answering 404, a second prune deleting nothing, and the
// garbage collection freeing bytes. A registry with deletion disabled is refused before any DELETE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchDaemon, pidAlive, stopPid, waitFor } from '../engine/daemon.js';
import { enginePaths, prefixTool } from '../engine/paths.js';
import { registryAnswers, registryConfigText } from '../engine/registry.js';
import { UserError } from '../errors.js';
import { directoryBytes, sha256Hex } from '../lib/fs.js';
import { referrersTag } from '../oci/reference.js';
import {
  getBlob,
  getManifest,
  hasManifest,
  listReferrers,
  listTags,
  pushBlob,
  putManifest,
  type ImageManifest,
} from '../oci/registry.js';
import { type Descriptor, OCI_INDEX, OCI_MANIFEST } from '../oci/media-types.js';
import type { RetainedImage } from '../plan/retention.js';
import { silentReporter } from '../reporter.js';
import { envConfig } from '../test/run-config.js';
import { EMPTY_CONFIG, sbomArtifactManifest, withReferrer } from '../sbom/attach.js';
import { SPDX_MEDIA_TYPE } from '../sbom/spdx.js';
import { pruneRegistry, type LocalStorage } from './prune.js';

const NIGHTS = 10;
const KEEP = 3;
const LOCKED_NIGHT = 7;
const ARCHES = ['amd64', 'arm64'] as const;
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const dateOf = (night: number) => `202611${String(night).padStart(2, '0')}`;
const revOf = (night: number) => sha256Hex(`rev ${night}`).slice(0, 7);

interface Registry extends LocalStorage {
  home: string;
  addr: string;
  pid: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

const tool = prefixTool(enginePaths(envConfig().engineHome).prefix, 'docker-registry');
const started: Registry[] = [];

async function startRegistry(reg: Omit<Registry, 'pid'>): Promise<Registry> {
  const log = join(reg.home, 'registry.log');
  const pid = await launchDaemon(reg.tool, ['serve', reg.config], {
    cwd: reg.home,
    logFile: log,
    pidFile: join(reg.home, 'registry.pid'),
  });
  const running = { ...reg, pid };
  started.push(running);
  await waitFor(
    'private docker-registry',
    30_000,
    () => registryAnswers(`http://${reg.addr}`),
    () => pidAlive(pid),
    log,
  );
  return running;
}

async function privateRegistry(deleteEnabled: boolean): Promise<Registry> {
  const home = mkdtempSync(join(tmpdir(), 'accelbase-prune-itg-'));
  const addr = `127.0.0.1:${await freePort()}`;
  const data = join(home, 'data');
  const config = join(home, 'config.yml');
  const text = registryConfigText(data, addr);
  writeFileSync(config, deleteEnabled ? text : text.replace('enabled: true', 'enabled: false'));
  return startRegistry({ home, addr, tool, config, data });
}

const stop = (reg: Registry) => stopPid('private docker-registry', reg.pid, reg.home, 10_000);

/** Pseudo-random (incompressible) bytes, so a night's layer holds real bytes for the collector to free. */
const noise = (seed: string, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  for (let i = 0; i * 32 < size; i++)
    out.set(Buffer.from(sha256Hex(`${seed} ${i}`), 'hex').subarray(0, size - i * 32), i * 32);
  return out;
};

interface Night {
  index: string;
  platforms: string[];
  artifacts: string[];
  blobs: string[];
}

/** One night of one image: a two-platform index with SBOMs, its build tags, and the floating tags moved to it. */
async function pushNight(repo: string, image: string, night: number, floating: readonly string[]): Promise<Night> {
  const manifests: (Descriptor & { platform: { os: string; architecture: string } })[] = [];
  const out: Night = { index: '', platforms: [], artifacts: [], blobs: [] };
  await pushBlob(repo, EMPTY_CONFIG.bytes);
  for (const arch of ARCHES) {
    const raw = noise(`${image} night ${night} ${arch}`, 32 * 1024);
    const layer = await pushBlob(repo, gzipSync(raw));
    const config = await pushBlob(
      repo,
      json({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256Hex(raw)}`] } }),
    );
    const body = json({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    });
    const m = await putManifest(repo, `sha256:${sha256Hex(body)}`, OCI_MANIFEST, body);
    manifests.push({ ...m, platform: { os: 'linux', architecture: arch } });
    out.platforms.push(m.digest);
    out.blobs.push(layer.digest, config.digest);
    // Its SBOM, as sbom/attach.ts records it on a registry without the referrers API.
    const doc = await pushBlob(repo, json({ spdxVersion: 'SPDX-2.3', name: `${image} ${night} ${arch}` }));
    const artifactBody = json(sbomArtifactManifest(m, doc, '2026-11-01', `${image}.${arch}.spdx.json`));
    const artifact = await putManifest(repo, `sha256:${sha256Hex(artifactBody)}`, OCI_MANIFEST, artifactBody);
    out.artifacts.push(artifact.digest);
    const existing = await listReferrers(repo, m.digest);
    await putManifest(
      repo,
      referrersTag(m.digest),
      OCI_INDEX,
      json(withReferrer(existing.index, { ...artifact, artifactType: SPDX_MEDIA_TYPE })),
    );
  }
  const index = json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
  const tags = [`1.2-trixie-${dateOf(night)}`, `sha-${revOf(night)}`, ...floating];
  for (const tag of tags) out.index = (await putManifest(repo, tag, OCI_INDEX, index)).digest;
  return out;
}

const FLOATING = ['latest', 'trixie', '1.2-trixie'];
let reg: Registry;
const nights: Record<string, Night[]> = {};
let images: RetainedImage[];

beforeAll(async () => {
  reg = await privateRegistry(true);
  const repos = { app: `${reg.addr}/prune-itg/app`, tool: `${reg.addr}/prune-itg/tool` };
  for (const [name, repo] of Object.entries(repos)) {
    nights[name] = [];
    for (let n = 1; n <= NIGHTS; n++) nights[name].push(await pushNight(repo, name, n, FLOATING));
  }
  images = Object.entries(repos).map(([name, repository]) => ({
    name,
    repository,
    dist: 'trixie',
    floating: FLOATING,
    retired: false,
    lockDigests: name === 'app' ? [nights.app[LOCKED_NIGHT - 1].index] : [],
  }));
}, 60_000);

afterAll(async () => {
  for (const r of started) await stop(r);
  for (const r of started) rmSync(r.home, { recursive: true, force: true });
});

/** The nights whose build tags stay: the KEEP newest, and the locked one for `app`. */
const keptNights = (name: string) =>
  Array.from({ length: NIGHTS }, (_, i) => i + 1).filter(
    (n) => n > NIGHTS - KEEP || (name === 'app' && n === LOCKED_NIGHT),
  );

const expectedTags = (name: string) =>
  [
    ...FLOATING,
    ...keptNights(name).flatMap((n) => [
      `1.2-trixie-${dateOf(n)}`,
      `sha-${revOf(n)}`,
      ...nights[name][n - 1].platforms.map(referrersTag),
    ]),
  ].sort();

describe('prune on a private registry', () => {
  test('keeps exactly the retained tags, whole; deletes the rest with its SBOMs; the collector frees bytes', async () => {
    const before = Object.fromEntries(
      await Promise.all(images.map(async (i) => [i.name, await listTags(i.repository)])),
    );
    const bytesOnDisk = directoryBytes(reg.data);
    const t0 = Date.now();
    const outcome = await pruneRegistry(images, KEEP, silentReporter, { storage: reg });
    const seconds = (Date.now() - t0) / 1000;

    for (const image of images) expect(await listTags(image.repository)).toEqual(expectedTags(image.name));
    const tagsAfter = images.reduce((n, i) => n + expectedTags(i.name).length, 0);
    expect(outcome.tagsBefore).toBe(Object.values(before).flat().length);
    expect(outcome.tagsAfter).toBe(tagsAfter);
    expect(outcome.storage!.freed).toBeGreaterThan(0);

    // Restarted (nothing cached in the server), every kept image still pulls whole; the rest is gone.
    await stop(reg);
    reg = await startRegistry(reg);
    for (const image of images) {
      const kept = keptNights(image.name);
      for (const tag of [...FLOATING, ...kept.map((n) => `1.2-trixie-${dateOf(n)}`)])
        expect((await getManifest(image.repository, tag)).body.manifests).toHaveLength(2);
      for (const [i, night] of nights[image.name].entries()) {
        const keep = kept.includes(i + 1);
        for (const digest of [night.index, ...night.platforms, ...night.artifacts])
          expect(await hasManifest(image.repository, digest), `${image.name} night ${i + 1} ${digest}`).toBe(keep);
        for (const blob of night.blobs) {
          if (keep) expect((await getBlob(image.repository, blob)).length).toBeGreaterThan(0);
          else await expect(getBlob(image.repository, blob)).rejects.toThrow(/HTTP 404/);
        }
        if (keep)
          for (const p of night.platforms) {
            const m = (await getManifest(image.repository, p)).body as ImageManifest;
            for (const l of m.layers ?? [])
              expect((await getBlob(image.repository, l.digest)).length).toBeGreaterThan(0);
          }
      }
      for (const d of image.lockDigests) expect(await hasManifest(image.repository, d)).toBe(true);
    }

    const again = await pruneRegistry(images, KEEP, silentReporter, { storage: reg });
    expect(again.deleted).toBe(0);
    expect(again.tagsAfter).toBe(tagsAfter);

    console.log(
      `prune itg: tags ${outcome.tagsBefore} -> ${outcome.tagsAfter}; manifests deleted ${outcome.deleted}; storage ${outcome.storage!.bytesBefore} -> ${outcome.storage!.bytesAfter} bytes (freed ${outcome.storage!.freed}; du before the run ${bytesOnDisk}); prune took ${seconds.toFixed(2)} s; second prune deleted ${again.deleted}`,
    );
  }, 60_000);

  test('a registry that refuses DELETE is named, with how to enable it, and nothing is deleted', async () => {
    const readOnly = await privateRegistry(false);
    const repository = `${readOnly.addr}/prune-itg/app`;
    for (let n = 1; n <= 3; n++) await pushNight(repository, 'app', n, FLOATING);
    const before = await listTags(repository);
    const image = { ...images[0], repository, lockDigests: [] };
    const refused = pruneRegistry([image], 1, silentReporter, { storage: readOnly });
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(
      new RegExp(
        `registry ${readOnly.addr.replace(/\./g, '\\.')} refuses DELETE.*nothing was deleted.*storage: \\{ delete: \\{ enabled: true`,
      ),
    );
    expect(await listTags(repository)).toEqual(before);
  }, 60_000);
});
