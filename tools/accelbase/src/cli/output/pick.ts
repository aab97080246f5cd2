// --json of the commands that pick a base image (tags, show, k8s, sbom) and of the app variants
// commands (variants, rewrite-from).
import { z } from 'zod';
import {
  byPlatform,
  DeviceProfile,
  PackageSet,
  PackageVersions,
  Placement,
  PlannedPackage,
  Platform,
  Smoke,
  Support,
  imageIdentity,
} from './common.js';

/** What a registry publishes under a reference (workflows/published.ts). */
const Published = z.strictObject({
  ref: z.string(),
  digest: z.string().nullable().describe('the index digest; null: not in the registry'),
  platforms: z.record(
    z.string(),
    z.strictObject({
      digest: z.string(),
      size: z.number().int().describe('compressed bytes'),
      revision: z.string().optional(),
      created: z.string().optional(),
      version: z.string().optional(),
      supportEnd: z.string().optional(),
      packageCount: z.number().int().nullable().describe('installed packages in its SBOM referrer; null: none'),
      smoke: z.string().nullable().describe("its smoke attestation's outcome; null: none"),
    }),
  ),
});

const TagCandidate = z.strictObject({
  name: z.string(),
  accelerator: z.string().optional(),
  variant: z.string().optional(),
  dist: z.string(),
  repository: z.string(),
  tag: z.string(),
  tags: z.array(z.string()),
  ref: z.string(),
  from: z.string().describe('the line to paste into a Dockerfile'),
  platforms: z.array(Platform),
  version: z.string().nullable(),
  runtime: PackageVersions.nullable(),
  matched: PackageVersions.optional(),
  inRegistry: z.boolean().optional(),
  digest: z.string().optional(),
  published: Published.optional().describe('with --registry, for a tag found there: what the registry publishes'),
  support: Support,
});

export const tags = z.strictObject({
  namespace: z.string(),
  images: z.array(TagCandidate),
  leftOut: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});

export const show = z.strictObject({
  ...imageIdentity,
  tag: z.string(),
  ref: z.string(),
  from: z.string(),
  tags: z.array(z.string()),
  platforms: z.array(Platform),
  version: z.string().nullable(),
  chain: z.array(z.strictObject({ name: z.string(), ref: z.string() })),
  runtime: PackageVersions.nullable(),
  packages: z.array(PlannedPackage),
  device: z.strictObject({ profile: DeviceProfile, dockerRunFlags: z.array(z.string()) }),
  placement: Placement,
  smoke: Smoke,
  env: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.string()),
  installed: byPlatform(PackageSet.nullable()).describe('the installed package set the lock records; null: not yet'),
  updatesAsOf: byPlatform(z.string()).describe("the newest Release date its minideb's updates are current to"),
  support: Support,
  tested: z
    .array(
      z.strictObject({
        platform: Platform,
        outcome: z.string(),
        tiers: z
          .object({ query: z.object({ outcome: z.string() }), compute: z.object({ outcome: z.string() }) })
          .optional(),
      }),
    )
    .optional()
    .describe("the last smoke outcome per platform: this workspace's run, else the registry's smoke attestation"),
  published: Published.optional().describe(
    'with --registry HOST[:PORT]/NAMESPACE: what the registry publishes under the reference',
  ),
  signature: z
    .strictObject({
      reference: z.string(),
      digest: z.string(),
      signed: z.boolean(),
      signatures: z.array(
        z.strictObject({
          kind: z.enum(['key', 'keyless']),
          identity: z.string().optional(),
          issuer: z.string().optional(),
        }),
      ),
      attestations: z.array(z.string()).describe('the predicate types attested on the digest'),
      signedByConfiguredKey: z.string().optional(),
    })
    .optional()
    .describe('with --signature: what the registry holds for the digest'),
});

const PodSpec = z.strictObject({
  nodeSelector: z.record(z.string(), z.string()).optional(),
  containers: z.array(
    z.strictObject({
      name: z.string(),
      image: z.string(),
      resources: z.strictObject({ limits: z.record(z.string(), z.number()) }).optional(),
      securityContext: z.strictObject({ privileged: z.literal(false) }),
    }),
  ),
});

export const k8s = z.union([
  z
    .strictObject({
      image: z.string(),
      reference: z.string(),
      podSpec: PodSpec,
      devicePlugin: z
        .strictObject({ resource: z.string(), plugin: z.string(), url: z.string(), config: z.string().optional() })
        .optional()
        .describe('the device plugin the node must run; absent for an image with no device'),
      containerDeviceArgs: z.array(z.string()).describe('docker/podman run arguments giving the device'),
    })
    .describe('the Pod spec fragment, and what the node needs'),
  z
    .looseObject({
      apiVersion: z.string(),
      kind: z.string(),
      metadata: z.object({ name: z.string() }),
      spec: z.object({}),
    })
    .describe('with --policy: the Kyverno ClusterPolicy or policy-controller ClusterImagePolicy'),
]);

export const sbom = z.union([
  z
    .strictObject({
      image: z.string(),
      repository: z.string(),
      tag: z.string(),
      platform: Platform,
      format: z.enum(['spdx-json', 'cyclonedx-json']),
      mediaType: z.string(),
      packageCount: z.number().int(),
      installedFrom: z.enum(['lock', 'build', 'registry']),
      digest: z.string().nullable(),
      file: z.string(),
    })
    .describe('with --output FILE: a summary of what was written'),
  z.looseObject({}).describe('without --output: the SPDX 2.3 or CycloneDX 1.5 document itself'),
]);

export const variants = z.union([
  z.strictObject({
    variants: z.array(
      z.strictObject({
        image: z.string(),
        tag: z.string(),
        base: z.string(),
        platforms: z.array(Platform),
        overload: z.string(),
      }),
    ),
    tags: z.record(z.string(), z.array(z.string())).describe("after --push: each image's tags in the registry"),
  }),
  z
    .strictObject({ format: z.enum(['accelbase', 'sodalite']), converted: z.string() })
    .describe("with --convert: the file in accelbase's format"),
]);

export const rewriteFrom = z.strictObject({
  file: z.string(),
  changed: z.boolean(),
  stage: z.strictObject({ index: z.number().int(), name: z.string().optional() }),
  original: z.string().describe("the base as written: the new ARG's default"),
  text: z.string().optional().describe('the rewritten Dockerfile (without --write)'),
});
