// The one table of commands: name, summary, arguments, options, and the code that runs it. Parsing
// (../args.ts), help (help.ts), the reference pages (reference.ts) and dispatch (../main.ts) all read it.
// A new command is one entry here and its file in cli/.
import {
  instance,
  verifierKey,
  identity,
  issuer,
  onlyPlatforms,
  images,
  oneImage,
  base,
  head,
  type CommandSpec,
} from './command-spec.js';
import type { EveryCommandOption, OptionName } from './options.js';

export const commands = {
  validate: {
    group: 'Catalog',
    summary: 'check catalog.yaml (and catalog.lock.yaml); positioned errors, exit 1',
    arguments: [],
    options: {},
    load: async () => (await import('../validate.js')).validate,
  },
  render: {
    group: 'Catalog',
    summary: 'write images/*/ and docker-bake.json from the catalog and its lock',
    arguments: [],
    options: {
      check: { description: 'write nothing; exit 1 listing every changed, missing and stale file' },
    },
    load: async () => (await import('../render.js')).render,
  },
  plan: {
    group: 'Catalog',
    summary: 'the images in build order, with bases, platforms and tags',
    arguments: [],
    options: {},
    load: async () => (await import('../plan.js')).plan,
  },
  ls: {
    group: 'Catalog',
    summary: 'one line per image: name, architectures, repository and tags',
    arguments: [],
    options: {},
    load: async () => (await import('../ls.js')).ls,
  },
  schema: {
    group: 'Catalog',
    summary: "the catalog's JSON Schema, generated from its zod schema",
    arguments: [],
    options: {
      write: { description: 'write it to tools/accelbase/catalog.schema.json instead of stdout' },
    },
    load: async () => (await import('../schema.js')).schema,
  },
  affected: {
    group: 'Catalog',
    summary: 'images a change touches, and their dependants (what nx affected selects)',
    arguments: [],
    options: { base, head },
    load: async () => (await import('../affected.js')).affected,
  },
  diff: {
    group: 'Catalog',
    summary: 'per affected image: the rendered Dockerfile diff and the package changes',
    arguments: [],
    options: { base, head },
    load: async () => (await import('../diff.js')).diff,
  },
  update: {
    group: 'Catalog',
    summary:
      'resolve every package from its real source into catalog.lock.yaml, re-render, and print what changed; unreachable hosts are reported, one line each, and exit 1',
    arguments: [],
    options: {},
    load: async () => (await import('../update.js')).update,
  },
  engine: {
    group: 'Engine, builds and smoke tests',
    summary: 'start, stop or inspect the build engine and the local registry on 127.0.0.1:5000',
    arguments: [
      {
        name: 'up|down|status',
        description:
          'up: start them, provisioning the engine from Debian packages if needed; down: stop what up started; status: engine, builder, registry and package cache (exit 1 when not running)',
      },
    ],
    options: {
      instance,
      builder: {
        value: 'NAME',
        description: "the buildx builder status describes (default: ACCELBASE_BUILDER, else buildx's current one)",
      },
    },
    load: async () => (await import('../engine.js')).engine,
  },
  rootfs: {
    group: 'Engine, builds and smoke tests',
    summary: 'bootstrap minideb root filesystems (reproducible tarballs) into .accelbase/rootfs/<suite>/',
    arguments: [],
    options: {
      suite: {
        value: 'S',
        description: 'these suites only, repeated or comma-separated (default: every one minideb has)',
      },
      arch: { value: 'A', description: 'these architectures only, repeated or comma-separated (default: every one)' },
    },
    load: async () => (await import('../rootfs.js')).rootfs,
  },
  build: {
    group: 'Engine, builds and smoke tests',
    summary: 'bake the images and their bases; pushes build tags, never floating ones',
    arguments: [images('images (or accelerators) to build; their bases come along')],
    options: {
      platform: onlyPlatforms,
      push: { description: 'push the images and their build tags to the registry' },
      load: { description: 'load the images into the engine (excludes --push)' },
      'keep-going': { description: 'build the rest when an image fails (its dependants are still skipped)' },
      'no-cache': {
        description:
          'bake every step again, without the build cache, and never reuse a pushed image with the same inputs',
      },
      date: { value: 'YYYYMMDD', description: 'the date in the dated build tag (default: today, UTC)' },
      revision: {
        value: 'COMMIT',
        description: "the commit for the sha- tag and the revision label, 7 to 64 hex digits (default: HEAD's)",
      },
      instance,
      builder: {
        value: 'NAME',
        description: "bake with this buildx builder (default: ACCELBASE_BUILDER, else buildx's current one)",
      },
      cache: {
        value: 'registry|local|none',
        description:
          'the build cache per image (default: ACCELBASE_CACHE, else registry when pushing and none otherwise)',
      },
      'push-by-digest': {
        description:
          'one platform (give exactly one --platform), pushed by digest without tags, its parts recorded for merge',
      },
      results: {
        value: 'FILE',
        description:
          'with --push-by-digest: where the parts are recorded (default: .accelbase/build/parts-<platform>.json)',
      },
    },
    load: async () => (await import('../build.js')).build,
  },
  merge: {
    group: 'Engine, builds and smoke tests',
    summary:
      "check the parts of a split build (every platform, one commit and lock), make each image's index and push its build tags",
    arguments: [{ name: 'RESULTS...', description: 'the files `build --push-by-digest --results FILE` wrote' }],
    options: { instance },
    load: async () => (await import('../merge.js')).merge,
  },
  smoke: {
    group: 'Engine, builds and smoke tests',
    summary:
      "run each image's device query, then its compute probe (a known result computed on the device and checked): passed, no-device or failed, per tier",
    arguments: [images('images to smoke-test')],
    options: {
      platform: onlyPlatforms,
      'require-device': { description: 'no-device fails too (exit 1): for a runner that has the device' },
      junit: { value: 'FILE', description: 'also write the results as JUnit XML to FILE' },
      instance,
    },
    load: async () => (await import('../smoke.js')).smoke,
  },
  publish: {
    group: 'Engine, builds and smoke tests',
    summary:
      'move floating tags to the last build whose index digest differs from the published one and where every platform passed smoke; record it in the lock',
    arguments: [images('images to publish')],
    options: { instance },
    load: async () => (await import('../publish.js')).publish,
  },
  verify: {
    group: 'Engine, builds and smoke tests',
    summary:
      "rebuild a pushed image from its commit (its revision label), without cache, and compare digests: identical, or the first differing layer's paths; exit 1 when they differ. With --signature: check its signature and every attestation with cosign instead",
    arguments: [oneImage],
    options: {
      platform: {
        value: 'P',
        description: 'these platforms only, repeated or comma-separated (default: all of the image)',
      },
      instance,
      signature: {
        description:
          'check the signature and the SPDX SBOM and SLSA provenance attestations of the digest the tag names (cosign; exit 1 when any fails)',
      },
      key: verifierKey,
      identity,
      issuer,
    },
    load: async () => (await import('../verify.js')).verify,
  },
  nightly: {
    group: 'Engine, builds and smoke tests',
    summary: 'update, then build what changed, is outdated or was never published, smoke it and publish it',
    arguments: [],
    options: {
      platform: {
        value: 'P',
        description: "build and smoke these platforms only, repeated or comma-separated (default: each image's own)",
      },
      changelog: { value: 'FILE', description: 'write the changelog (Markdown) to FILE instead of stdout' },
      instance,
      prune: { description: 'prune old build tags at the end of the night, as `accelbase prune` does' },
    },
    load: async () => (await import('../nightly.js')).nightly,
  },
  prune: {
    group: 'Engine, builds and smoke tests',
    summary:
      "delete the dated build tags past the catalog's registry.retention.buildTags per image, with their platform manifests and SBOMs (never a digest a floating tag, the lock or a retired release names), then garbage-collect the local registry",
    arguments: [],
    options: {
      'dry-run': { description: 'print what would be kept (and why) and deleted; delete nothing' },
    },
    load: async () => (await import('../prune.js')).prune,
  },
  docs: {
    group: 'Engine, builds and smoke tests',
    summary:
      'the image matrix with what was built and tested (build date, digest, smoke, size, packages, outdated, SBOM) from recorded results',
    arguments: [],
    options: {
      output: { value: 'DIR', description: 'write the pages into DIR (default: .accelbase/docs/)' },
    },
    load: async () => (await import('../docs.js')).docs,
  },
  outdated: {
    group: 'Engine, builds and smoke tests',
    summary:
      'installed packages with a newer version in <suite>, -updates or -security (security fixes marked); exit 1 when any, or when an installed set is unknown (--registry reads the published SBOMs)',
    arguments: [images('images to check')],
    options: {},
    load: async () => (await import('../outdated.js')).outdated,
  },
  tags: {
    group: 'Picking a base image',
    summary: 'matching images, newest runtime first, with the FROM line to paste',
    arguments: [],
    options: {
      accelerator: { value: 'A', description: 'images of this accelerator only' },
      variant: { value: 'V', description: 'images of this variant only' },
      arch: { value: 'A', description: 'images built for these architectures, repeated or comma-separated' },
      dist: { value: 'D', description: 'images on this distribution only, e.g. trixie' },
      runtime: { value: 'PKG@RANGE', description: "images whose runtime package PKG's version is in the semver RANGE" },
      pin: {
        description:
          "pin each FROM line to the image's digest in the registry (needs --registry HOST[:PORT]/NAMESPACE)",
      },
      'include-retired': {
        description:
          'also offer images on a retired release (no longer built or updated); without it they are named as left out',
      },
    },
    load: async () => (await import('../tags.js')).tags,
  },
  show: {
    group: 'Picking a base image',
    summary: 'one image: base chain, locked packages, device flags, placement, smoke, tags',
    arguments: [oneImage],
    options: {
      signature: {
        description:
          'also read the registry: signed or unsigned, by which key or identity, and the attestations (verified when ACCELBASE_SIGNING_KEY is a key)',
      },
    },
    load: async () => (await import('../show.js')).show,
  },
  k8s: {
    group: 'Picking a base image',
    summary:
      'a Pod spec fragment (YAML) placing the image: nodeSelector, device-plugin limits, never a hostPath device; or with --policy, an admission policy requiring its signature and signed SBOM',
    arguments: [oneImage],
    options: {
      policy: {
        value: 'kyverno|policy-controller',
        description:
          "instead: a Kyverno ClusterPolicy or a policy-controller ClusterImagePolicy for the image's repository that requires the signature and the SPDX SBOM attestation",
      },
      'public-key': {
        value: 'F',
        description: 'with --policy: the PEM public key to trust (default: derived from ACCELBASE_SIGNING_KEY)',
      },
      identity,
      issuer,
    },
    load: async () => (await import('../k8s.js')).k8s,
  },
  sbom: {
    group: 'Picking a base image',
    summary: 'the SBOM of one image and platform from its recorded installed set (purls, base chain, digest)',
    arguments: [oneImage],
    options: {
      platform: { value: 'P', description: 'the platform (needed when the image is built for several)' },
      format: {
        value: 'spdx-json|cyclonedx-json',
        description: 'SPDX 2.3 (spdx-json, the default) or CycloneDX 1.5 (cyclonedx-json)',
      },
      output: {
        value: 'FILE',
        description: 'write the SBOM to FILE and print a summary (default: the SBOM on stdout)',
      },
    },
    load: async () => (await import('../sbom.js')).sbom,
  },
  variants: {
    group: 'App variants',
    summary: 'one image per base from one app Dockerfile',
    arguments: [
      { name: 'FILE', description: "the variants file, in accelbase's format or the SODALITE image builder's" },
    ],
    options: {
      push: { description: "push the images, then list the registry's tags" },
      'build-bases': {
        description:
          'build catalog bases in the same bake even where the registry publishes them (default: use the digest)',
      },
      platform: onlyPlatforms,
      convert: { description: "print a SODALITE file in accelbase's format, comments kept, and build nothing" },
      instance,
    },
    load: async () => (await import('../variants.js')).variants,
  },
  'rewrite-from': {
    group: 'App variants',
    summary: "make one stage's base overloadable: ARG BASE_IMAGE=<original> + FROM ${BASE_IMAGE}",
    arguments: [{ name: 'DOCKERFILE', description: 'the Dockerfile (printed rewritten unless --write)' }],
    options: {
      stage: {
        value: 'NAME|INDEX',
        description: 'the stage, by AS name or 0-based index (default: the last), following FROM <stage> links',
      },
      arg: { value: 'NAME', description: 'the build argument that carries the base (default: BASE_IMAGE)' },
      write: { description: 'rewrite the file in place, every byte outside the edit kept' },
    },
    load: async () => (await import('../rewrite-from.js')).rewriteFromCommand,
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof commands;

/** Every command's name, in the table's order. */
export const commandNames = Object.keys(commands) as CommandName[];

/** The command named `name`, or undefined (never one of Object's own properties: `constructor`). */
export const commandSpec = (name: string): CommandSpec | undefined =>
  Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined;

/** The options `spec` takes beyond those every command takes, in its table order. */
export const ownOptions = (spec: CommandSpec) => Object.keys(spec.options) as Exclude<OptionName, EveryCommandOption>[];
