// The variants file: one application Dockerfile, one image per base. Two input formats, one model:
// accelbase's own, and the SODALITE image builder's (so its users can switch over).
import { z } from 'zod';
import { CatalogError } from '../errors.js';
import { IMAGE_REFERENCE_RE } from '../oci/reference.js';
import { DockerTag, Platform } from '../catalog/grammar.js';
import { issueAt, parseYaml, zodError, type PathKey, type YamlDoc } from '../catalog/yaml-doc.js';

/** An image reference: [host[:port]/]path[:tag][@digest], plain characters only. */
const ImageRef = z.string().max(512).regex(IMAGE_REFERENCE_RE, { message: 'not an image reference' });
/** A path inside the source tree: relative, no `..`. */
const RelPath = z.string().max(1024).regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/+-]+$/, { message: 'not a relative path inside the source' });
const GitUrl = z.string().max(2048).regex(/^(?:https:\/\/[A-Za-z0-9.-]+(?::[0-9]+)?\/[A-Za-z0-9._~/+-]+|file:\/\/\/[A-Za-z0-9._~/+-]+)$/, { message: 'not a git URL (https:// or file:///)' });
const GitRef = z.string().max(256).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { message: 'not a git ref' });
/** The stage to build: its `AS` name or its 0-based index. */
const STAGE = 'not a stage: an AS name (letters, digits, _ . -) or a 0-based index';
const Stage = z.union([z.string().max(128).regex(/^(?:[0-9]+|[A-Za-z][A-Za-z0-9_.-]*)$/, { message: STAGE }), z.number().int().min(0)], { message: STAGE });
const Credentials = z.never({ message: 'credentials never sit in the variants file: use docker login (the credential store) or environment variables' });

export const NativeVariants = z.strictObject({
  source: z.union([
    z.strictObject({ context: RelPath.default('.'), dockerfile: RelPath.default('Dockerfile'), stage: Stage.optional() }),
    z.strictObject({ git: z.strictObject({ url: GitUrl, ref: GitRef.default('HEAD'), subdir: RelPath.default('.') }), dockerfile: RelPath.default('Dockerfile'), stage: Stage.optional() }),
  ]),
  target: z.strictObject({ image: ImageRef.describe('registry/name the variants are tagged under'), username: Credentials.optional(), password: Credentials.optional() }),
  variants: z.array(z.strictObject({ tag: DockerTag, base: ImageRef, platforms: z.array(Platform).min(1).optional() })).min(1),
});

export const SodaliteVariants = z.strictObject({
  source: z.union([
    z.strictObject({ git_repo: z.strictObject({ url: GitUrl, version: GitRef.default('HEAD'), dockerfile: RelPath.default('Dockerfile'), workdir: RelPath.default('.') }) }),
    z.strictObject({ dockerfile: z.strictObject({ url: RelPath }), build_context: z.strictObject({ url: RelPath, subdir: RelPath.default('.') }).optional() }),
  ]),
  target: z.strictObject({
    registry: z.strictObject({ url: z.string().max(256).regex(/^(?:https?:\/\/)?[a-z0-9.-]+(?::[0-9]{1,5})?\/?$/, { message: 'not a registry URL' }), username: Credentials.optional(), password: Credentials.optional() }),
    images: z.array(z.strictObject({ image: ImageRef, tag: DockerTag, base: ImageRef, platforms: z.array(Platform).min(1).optional() })).min(1),
  }),
});

export type Source = { kind: 'local'; context: string; dockerfile: string } | { kind: 'git'; url: string; ref: string; subdir: string; dockerfile: string };

export interface VariantSpec {
  image: string;
  tag: string;
  base: string;
  platforms?: Platform[];
  /** Where this variant is declared, for positioned errors later (unknown base, platform). */
  path: PathKey[];
}

export interface VariantsFile {
  yaml: YamlDoc;
  format: 'accelbase' | 'sodalite';
  source: Source;
  stage?: string | number;
  variants: VariantSpec[];
}

/** Parse and validate; SODALITE files are recognised by `target.registry`. */
export function parseVariantsFile(file: string, text: string): VariantsFile {
  const yaml = parseYaml(file, text);
  const raw = yaml.value;
  const sodalite = isRecord(raw) && isRecord(raw.target) && Object.hasOwn(raw.target, 'registry');
  if (sodalite) {
    const parsed = SodaliteVariants.safeParse(raw);
    if (!parsed.success) throw zodError(yaml, parsed.error);
    const { source, target } = parsed.data;
    const host = target.registry.url.replace(/^https?:\/\//, '').replace(/\/$/, '');
    return {
      yaml,
      format: 'sodalite',
      source:
        'git_repo' in source
          ? { kind: 'git', url: source.git_repo.url, ref: source.git_repo.version, subdir: source.git_repo.workdir, dockerfile: source.git_repo.dockerfile }
          : { kind: 'local', context: joinRel(source.build_context?.url ?? '.', source.build_context?.subdir ?? '.'), dockerfile: source.dockerfile.url },
      variants: target.images.map((i, n) => ({ image: `${host}/${i.image}`, tag: i.tag, base: i.base, platforms: i.platforms, path: ['target', 'images', n] })),
    };
  }
  const parsed = NativeVariants.safeParse(raw);
  if (!parsed.success) throw zodError(yaml, parsed.error);
  const { source, target, variants } = parsed.data;
  const tags = new Map<string, number>();
  const issues = variants.flatMap((v, i) => {
    const first = tags.get(v.tag);
    tags.set(v.tag, first ?? i);
    return first === undefined ? [] : [issueAt(yaml, ['variants', i, 'tag'], `tag "${v.tag}" is already used by variant ${first}`)];
  });
  if (issues.length) throw new CatalogError(issues);
  return {
    yaml,
    format: 'accelbase',
    source: 'git' in source ? { kind: 'git', ...source.git, dockerfile: source.dockerfile } : { kind: 'local', context: source.context, dockerfile: source.dockerfile },
    stage: source.stage,
    variants: variants.map((v, i) => ({ image: target.image, tag: v.tag, base: v.base, platforms: v.platforms, path: ['variants', i] })),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const joinRel = (a: string, b: string) => [a, b].filter((p) => p !== '.').join('/') || '.';
