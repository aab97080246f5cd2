// The catalog's shape: the source of truth for types, validation and catalog.schema.json. Each
// source type's settings are its schema (catalog/source-types.ts).
import { z } from 'zod';
import { DebianArchitecture } from './debian-names.js';
import { Source } from './source-types.js';
import { freeText, FreeText, HttpsUrl, Identifier } from '../lib/grammar.js';
import {
  DebconfSelection,
  CommandArg,
  EnvName,
  ImagePath,
  K8sLabelKey,
  K8sLabelValue,
  LabelKey,
  PlainValue,
  Platform,
  ProbeName,
  RegistryNamespace,
  ScriptName,
  Sha256,
} from './grammar.js';

/** A semver range (`>=6 <7`, `^1.21`), applied to the upstream part of a package version. */
export const VersionRange = z
  .string()
  .max(256)
  .regex(/^[0-9A-Za-z.*^~<>=| -]+$/, { message: 'not a version range (semver syntax, e.g. ">=6.0 <7")' })
  .describe('semver range matched against the upstream version (Debian: epoch and revision stripped)');

export const Requirements = z
  .strictObject({
    python: VersionRange.optional().describe("range the distribution's Python version must satisfy"),
    debian: VersionRange.optional().describe("range the distribution's Debian release number must satisfy"),
  })
  .describe('compatibility constraints checked at validation');
export type Requirements = z.infer<typeof Requirements>;

export const Distribution = z.strictObject({
  version: z
    .string()
    .max(8)
    .regex(/^[0-9]+$/, { message: 'not a Debian release number' })
    .describe('Debian release number'),
  python: z
    .string()
    .max(8)
    .regex(/^3\.[0-9]+$/, { message: 'not a Python 3 version like 3.11' })
    .describe('default python3 version of the suite'),
  retired: z
    .boolean()
    .default(false)
    .describe(
      'retired: its images get no rootfs, build or nightly, and their last published tags stay pullable (support dates come from the lock, never from here)',
    ),
});
export type Distribution = z.infer<typeof Distribution>;

export const PackageSpec = z.strictObject({
  name: z.string().min(1).max(214).describe('package name; its grammar depends on the source type'),
  source: Identifier.optional().describe('a key of `sources`; default `debian`'),
  version: VersionRange.optional(),
  requires: Requirements.optional(),
  architectures: z.array(DebianArchitecture).min(1).optional().describe('architectures the package exists for'),
});
export type PackageSpec = z.infer<typeof PackageSpec>;

export const Download = z.strictObject({
  url: HttpsUrl,
  sha256: Sha256,
  dest: ImagePath,
});
export type Download = z.infer<typeof Download>;

export const DeviceProfile = z
  .enum(['none', 'usb', 'apex', 'edgetpu', 'nvidia', 'rocm', 'dri'])
  .describe(
    'device access a container needs: none, usb (/dev/bus/usb + cgroup rule), apex (/dev/apex_0), edgetpu (a Coral on USB or PCIe: both of those), nvidia (--gpus), rocm (/dev/kfd + /dev/dri), dri (/dev/dri)',
  );
export type DeviceProfile = z.infer<typeof DeviceProfile>;

const Regex = freeText(1024).min(1).describe('JavaScript regular expression');

/**
 * The compute tier: a small known computation on the device the query found, checked. Either a probe
 * (generators/compute-probes/<probe>/, built into a test image FROM the image, which stays as it is)
 * or the device query itself when it already computes and checks a result (ONNX Runtime's inference).
 */
export const Compute = z
  .strictObject({
    probe: ProbeName.optional().describe(
      'compute probe from generators/compute-probes/, built into the test image <image>-test FROM the image',
    ),
    query: z
      .literal(true)
      .optional()
      .describe('the device query already computes and checks a result: its outcome is the compute tier too'),
    expect: Regex.optional().describe("pattern the probe's output matches when its result was right"),
    noDevice: Regex.optional().describe('pattern meaning the probe ran but found no device (never a wrong result)'),
    timeout: z.number().int().min(1).max(3600).default(300).describe('seconds, building the test image excluded'),
  })
  .describe('second smoke tier: compute a known result on the device and check it (none: the query is the only tier)');
export type Compute = z.infer<typeof Compute>;

export const Smoke = z.strictObject({
  script: ScriptName.optional().describe(
    'device-query script from generators/device-queries/, installed as /usr/local/bin/accelbase-device-query',
  ),
  command: z.array(CommandArg).min(1).optional().describe('argv run in the container; default: the script'),
  expect: Regex.describe('pattern the output matches when a device was found and queried'),
  noDevice: Regex.optional().describe('pattern meaning the runtime loaded but no device is present'),
  timeout: z.number().int().min(1).max(3600).default(120).describe('seconds'),
  compute: Compute.optional(),
});
export type Smoke = z.infer<typeof Smoke>;

const EnvMap = z.record(EnvName, PlainValue);
const LabelMap = z.record(LabelKey, PlainValue);

/** Image base: `minideb:<distribution>` or the name of another catalog image. */
export const BaseRef = z
  .string()
  .max(128)
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?::[a-z]+)?$/, {
    message: 'not a base like "minideb:trixie" or "cuda-runtime"',
  });

export const Placement = z
  .strictObject({
    nodeSelector: z
      .record(K8sLabelKey, K8sLabelValue)
      .default({})
      .describe('node labels a node with this accelerator carries (e.g. Node Feature Discovery PCI/USB labels)'),
    resources: z
      .record(K8sLabelKey, z.number().int().min(1))
      .default({})
      .describe('extended resources from device plugins, e.g. nvidia.com/gpu: 1'),
  })
  .describe('where images of this accelerator run on a heterogeneous Kubernetes cluster');
export type Placement = z.infer<typeof Placement>;

export const Variant = z.strictObject({
  description: FreeText.optional(),
  base: BaseRef.optional(),
  platforms: z.array(Platform).min(1).optional().describe("default: the base's platforms"),
  runtime: z.string().max(214).optional().describe('the package whose version names the image (tags like 6.0-trixie)'),
  packages: z.array(z.union([z.string(), PackageSpec])).default([]),
  plainBase: z
    .literal(true)
    .optional()
    .describe(
      'this image installs nothing of its own on purpose (a plain base other images build on); without it, a variant with no packages and no downloads is an error',
    ),
  downloads: z.array(Download).default([]),
  debconf: z
    .array(DebconfSelection)
    .default([])
    .describe('debconf selections set before installing (e.g. a pre-accepted EULA)'),
  env: EnvMap.default({}),
  labels: LabelMap.default({}),
  device: DeviceProfile.optional(),
  placement: Placement.optional(),
  smoke: Smoke.optional(),
});
export type Variant = z.infer<typeof Variant>;

export const Accelerator = z.strictObject({
  description: FreeText,
  defaults: Variant.partial().optional().describe('fields every variant inherits unless it sets them'),
  variants: z
    .record(Identifier, Variant)
    .refine((v) => Object.keys(v).length > 0, { message: 'needs at least one variant' }),
});
export type Accelerator = z.infer<typeof Accelerator>;

export const Minideb = z.strictObject({
  distributions: z.array(Identifier).min(1),
  platforms: z.array(Platform).min(1),
  smoke: Smoke,
});

export const Catalog = z.strictObject({
  $schema: freeText(1024).optional(),
  version: z.literal(1),
  registry: z.strictObject({
    namespace: RegistryNamespace.default('acceleratorbase').describe(
      'default image namespace; override per run with --registry',
    ),
    source: HttpsUrl.optional().describe('repository URL recorded as org.opencontainers.image.source'),
    retention: z
      .strictObject({
        buildTags: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .describe('dated build tags (<version>-<dist>-<YYYYMMDD>) kept per image by `accelbase prune`'),
      })
      .optional()
      .describe(
        'what `accelbase prune` keeps; digests a floating tag, the lock or a retired release names are always kept',
      ),
  }),
  defaultDistribution: Identifier,
  distributions: z.record(Identifier, Distribution),
  minideb: Minideb,
  sources: z.record(Identifier, Source),
  accelerators: z.record(Identifier, Accelerator),
});
export type Catalog = z.infer<typeof Catalog>;

/** The JSON Schema editors use (yaml-language-server), generated from the zod schema. */
export function catalogJsonSchema(): object {
  return z.toJSONSchema(Catalog, { io: 'input', unrepresentable: 'any' });
}
