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
} from './common.js';

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
  support: Support,
});

export const tags = z.strictObject({
  namespace: z.string(),
  images: z.array(TagCandidate),
  leftOut: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});

export const show = z.strictObject({
  name: z.string(),
  kind: z.enum(['minideb', 'accelerator']),
  accelerator: z.string().optional(),
  variant: z.string().optional(),
  description: z.string().optional(),
  dist: z.string(),
  repository: z.string(),
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
});

const HostPathType = z.enum(['CharDevice', 'Directory']);

export const k8s = z.strictObject({
  nodeSelector: z.record(z.string(), z.string()).optional(),
  containers: z.array(
    z.strictObject({
      name: z.string(),
      image: z.string(),
      resources: z.strictObject({ limits: z.record(z.string(), z.number()) }).optional(),
      securityContext: z.strictObject({ privileged: z.literal(false) }),
      volumeMounts: z.array(z.strictObject({ name: z.string(), mountPath: z.string() })).optional(),
    }),
  ),
  volumes: z
    .array(z.strictObject({ name: z.string(), hostPath: z.strictObject({ path: z.string(), type: HostPathType }) }))
    .optional(),
});

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
      installedFrom: z.enum(['lock', 'build']),
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
