// Command-line parsing shared by every command: one table of options, strict, with clear errors.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';

export const options = {
  catalog: { type: 'string', default: 'catalog.yaml' },
  json: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  write: { type: 'boolean', default: false },
  registry: { type: 'string' },
  platform: { type: 'string', multiple: true },
  push: { type: 'boolean', default: false },
  load: { type: 'boolean', default: false },
  'keep-going': { type: 'boolean', default: false },
  'no-cache': { type: 'boolean', default: false },
  'require-device': { type: 'boolean', default: false },
  junit: { type: 'string' },
  changelog: { type: 'string' },
  suite: { type: 'string', multiple: true },
  arch: { type: 'string', multiple: true },
  date: { type: 'string' },
  stage: { type: 'string' },
  base: { type: 'string' },
  accelerator: { type: 'string' },
  variant: { type: 'string' },
  dist: { type: 'string' },
  runtime: { type: 'string' },
  pin: { type: 'boolean', default: false },
  head: { type: 'string' },
  arg: { type: 'string' },
  revision: { type: 'string' },
  debug: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

export type Flags = ReturnType<typeof parse>['flags'];

export function parse(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    return { command, args: rest, flags: values };
  } catch (e) {
    throw new UserError(`${(e as Error).message}\nRun \`accelbase --help\` for usage.`, 2);
  }
}

/** `--platform linux/amd64,linux/arm64` and repeated flags both work. */
export const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export const usage = `accelbase: accelerator base images from one catalog

Usage: accelbase <command> [options]

Catalog
  validate                     check catalog.yaml (and catalog.lock.yaml); positioned errors, exit 1
  render [--check]             write images/*/ and docker-bake.json; --check: exit 1 if out of date
  plan [--json]                the images in build order, with bases, platforms and tags
  ls [--json]                  one line per image
  schema [--write]             the catalog's JSON Schema (--write: tools/accelbase/catalog.schema.json)
  affected --base REF [--head REF]
                               images a change touches, and their dependants (what nx affected selects)
  diff --base REF [--head REF] per affected image: the rendered Dockerfile diff and the package changes
  update [--json]              resolve every package from its real source into catalog.lock.yaml,
                               re-render, and print what changed; unreachable sources are reported

Engine, builds and smoke tests
  engine up|down|status        start (provisioning from Debian packages if needed) or stop the build
                               engine and the local registry on 127.0.0.1:5000
  rootfs [--suite S] [--arch A]
                               bootstrap minideb root filesystems into .accelbase/rootfs/<suite>/
  build [IMAGE...] [--platform P] [--push | --load] [--keep-going] [--no-cache] [--date YYYYMMDD]
                               bake the images and their bases; pushes build tags, never floating ones
  smoke [IMAGE...] [--platform P] [--require-device] [--junit FILE]
                               run each image's device query: passed, no-device or failed
  publish [IMAGE...]           move floating tags to the last build where packages, base or rootfs
                               changed and every platform passed smoke; record it in catalog.lock.yaml

  nightly [--changelog FILE]   update -> build what changed, is outdated or was never published -> smoke
                               -> publish; the changelog (Markdown) goes to FILE, else to stdout
  outdated [IMAGE...]          installed packages with a newer version in <suite>, -updates or -security
                               (security fixes marked); exit 1 when any

Picking a base image
  tags [--accelerator A] [--variant V] [--arch A] [--dist D] [--runtime PKG@RANGE] [--registry NS [--pin]]
                               matching images, newest runtime first, with the FROM line to paste
  show IMAGE[:TAG]             one image: base chain, locked packages, device flags, placement, smoke, tags
  k8s IMAGE[:TAG]              Pod spec fragment (YAML) placing the image: nodeSelector, limits, device mounts

App variants
  variants FILE [--push] [--platform P]
                               one image per base from one app Dockerfile (accelbase or SODALITE format);
                               with --push, lists the registry's tags afterwards
  rewrite-from DOCKERFILE [--stage NAME|INDEX] [--arg BASE_IMAGE] [--write]
                               make one stage's base overloadable: ARG BASE_IMAGE=<original> + FROM \${BASE_IMAGE}

Options for every command
  --catalog PATH               another catalog file (default: catalog.yaml)
  --registry NS                registry/namespace for image names (e.g. 127.0.0.1:5000/acceleratorbase)
  --json                       machine-readable output on stdout
  --debug                      log every command line run
  -h, --help                   this text
`;
