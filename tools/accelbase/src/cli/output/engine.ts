// --json of the commands that need the build engine or a registry: engine, rootfs, build, merge,
// smoke, publish, verify, nightly, prune, docs. Where a workflow already keeps its results as a zod
// schema (workflows/state.ts, smoke/outcome.ts, catalog/lock.ts), that one definition is used.
import { z } from 'zod';
import { LockedImage } from '../../catalog/lock.js';
import { SmokeResult } from '../../smoke/outcome.js';
import { BuildResult } from '../../workflows/state.js';
import { PackageChange, Unresolved } from './catalog.js';
import { byPlatform, ImageRef } from './common.js';

const Pids = z.record(z.string(), z.number().int()).describe('process -> pid');

export const engine = z.union([
  z
    .strictObject({
      managed: z.boolean(),
      alreadyRunning: z.boolean(),
      dockerHost: z.string(),
      registryUrl: z.string(),
      pids: Pids,
    })
    .describe('engine up'),
  z.strictObject({ stopped: Pids }).describe('engine down'),
  z
    .strictObject({
      instance: z.string().optional(),
      running: z.boolean(),
      dockerHost: z.string(),
      dockerVersion: z.string().optional(),
      buildxVersion: z.string().optional(),
      platforms: z.array(z.string()),
      builder: z
        .strictObject({
          name: z.string(),
          driver: z.string().optional(),
          nodes: z.array(
            z.strictObject({
              name: z.string(),
              endpoint: z.string().optional(),
              status: z.string().optional(),
              buildkit: z.string().optional(),
              platforms: z.array(z.string()),
            }),
          ),
        })
        .optional(),
      registry: z.strictObject({ url: z.string(), host: z.string(), up: z.boolean() }),
      packageCache: z.strictObject({ url: z.string(), up: z.boolean() }),
      pids: Pids,
      managed: z.boolean(),
    })
    .describe('engine status'),
]);

export const rootfs = z.strictObject({
  rootfs: z.array(
    z.strictObject({
      suite: z.string(),
      arch: z.string().describe('a Debian architecture, as --arch takes it'),
      path: z.string(),
      sha256: z.string(),
      bytes: z.number().int(),
      sourceDateEpoch: z.number().int(),
      untrimmedBytes: z.number().int(),
      fromCache: z.boolean(),
      trimSteps: z.array(z.strictObject({ step: z.string(), bytes: z.number() })),
    }),
  ),
});

export const build = z.strictObject({ results: z.array(BuildResult) });
export const merge = build;
export const smoke = z.strictObject({ results: z.array(SmokeResult) });

const PublishDecision = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('publish'),
    image: z.string(),
    reason: z.literal('digest changed'),
    digest: z.string(),
    tags: z.array(z.string()),
    why: z.string(),
    locked: LockedImage,
  }),
  z.strictObject({
    action: z.literal('skip'),
    image: z.string(),
    reason: z.enum(['identical digest', 'not built', 'smoke', 'base not published']),
    why: z.string(),
  }),
]);

export const publish = z.strictObject({ published: z.number().int(), decisions: z.array(PublishDecision) });

const PathDifference = z.strictObject({
  path: z.string(),
  change: z.enum(['added', 'removed', 'content', 'metadata']),
  fields: z.array(z.string()).optional(),
});

const SignatureVerdict = z
  .strictObject({
    image: z.string(),
    reference: z.string(),
    digest: z.string(),
    trusted: z.string().describe('the key (and its fingerprint), or the identity and issuer, checked against'),
    checks: z.array(
      z.strictObject({
        name: z.string().describe('signature, or the predicate type cosign checked'),
        ok: z.boolean(),
        verified: z.number().int(),
        reason: z.string().optional(),
      }),
    ),
    ok: z.boolean(),
  })
  .describe('with --signature: the signature and every attestation, checked with cosign');

const Rebuilt = z.strictObject({
  image: z.string(),
  reference: z.string(),
  digest: z.string(),
  rebuiltDigest: z.string().optional(),
  revision: z.string(),
  identical: z.boolean(),
  platforms: z.array(
    z.strictObject({
      platform: z.string(),
      identical: z.boolean(),
      published: z.string(),
      rebuilt: z.string().optional(),
      config: z.array(z.string()).optional(),
      layer: z
        .strictObject({
          index: z.number().int(),
          published: z.string().optional(),
          rebuilt: z.string().optional(),
          paths: z.array(PathDifference),
          morePaths: z.number().int(),
        })
        .optional(),
    }),
  ),
  durationS: z.number(),
});

export const verify = z.union([
  Rebuilt.describe('the published image rebuilt from its commit, compared'),
  SignatureVerdict,
]);

export const prune = z.strictObject({
  registry: z.string(),
  keep: z.number().int(),
  dryRun: z.boolean(),
  repositories: z.array(
    z.strictObject({
      repository: z.string(),
      images: z.array(ImageRef),
      tags: z.array(
        z.strictObject({
          tag: z.string(),
          digest: z.string(),
          role: z.enum(['build', 'revision', 'referrers', 'cache', 'floating']),
          image: z.string().optional(),
          keeps: z.string().optional(),
          stays: z.boolean(),
        }),
      ),
      digests: z.array(
        z.strictObject({
          digest: z.string(),
          role: z.enum(['image', 'platform', 'referrer', 'referrers-index']),
          keptBy: z.array(z.string()),
          deleted: z.boolean(),
          tags: z.array(z.string()),
          of: z.string().optional(),
        }),
      ),
      deletions: z.array(z.string()),
    }),
  ),
  tagsBefore: z.number().int(),
  tagsAfter: z.number().int(),
  deleted: z.number().int(),
  storage: z.strictObject({ bytesBefore: z.number(), bytesAfter: z.number(), freed: z.number() }).optional(),
});

export const nightly = z.strictObject({
  lockChanged: z.boolean(),
  changes: z.array(PackageChange),
  unresolved: z.array(Unresolved),
  wanted: z.array(ImageRef).describe('images the night set out to build: changed, or never published'),
  built: z.array(ImageRef),
  published: z.number().int(),
  moves: z.array(
    z.strictObject({
      image: z.string(),
      platform: z.string(),
      package: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
      security: z.boolean(),
    }),
  ),
  docs: z.string().optional(),
  prune: prune.optional(),
});

const PlatformFacts = z.strictObject({
  status: z.enum(['passed', 'no-device', 'failed', 'not-built', 'not-tested', 'retired']),
  statusText: z.string(),
  built: z
    .strictObject({ date: z.string().nullable(), digest: z.string(), from: z.enum(['build', 'lock', 'registry']) })
    .nullable(),
  size: z.strictObject({ bytes: z.number(), from: z.enum(['registry', 'results']) }).nullable(),
  packageCount: z.number().int().nullable().describe('how many installed packages are recorded; null: not recorded'),
  outdatedCount: z
    .number()
    .int()
    .nullable()
    .describe('how many of them were outdated at the last `outdated` run; null: not checked'),
  sbom: z.string().nullable(),
});

export const docs = z.strictObject({
  output: z.string(),
  files: z.array(z.string()),
  facts: z.record(z.string(), byPlatform(PlatformFacts)).describe('image -> platform -> what was built and tested'),
});
