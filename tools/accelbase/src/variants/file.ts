// The variants file: one application Dockerfile, one image per base. Two input formats, one model:
// accelbase's own, and the SODALITE image builder's (so its users can switch over).
import { z } from 'zod';
import { CatalogError, type CatalogIssue } from '../errors.js';
import { IMAGE_REFERENCE_RE } from '../oci/reference.js';
import { DockerTag, Platform } from '../catalog/grammar.js';
import { HttpsUrl } from '../lib/grammar.js';
import { issueAt, parseYaml, zodError, type PathKey, type YamlDoc } from '../catalog/yaml-doc.js';

/** An image reference: [host[:port]/]path[:tag][@digest], plain characters only. */
const ImageRef = z.string().max(512).regex(IMAGE_REFERENCE_RE, { message: 'not an image reference' });
/** A path inside the source tree: relative, no `..`. */
const RelPath = z
  .string()
  .max(1024)
  .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/+-]+$/, { message: 'not a relative path inside the source' });
const GitUrl = z
  .string()
  .max(2048)
  .regex(/^(?:https:\/\/[A-Za-z0-9.-]+(?::[0-9]+)?\/[A-Za-z0-9._~/+-]+|file:\/\/\/[A-Za-z0-9._~/+-]+)$/, {
    message: 'not a git URL (https:// or file:///)',
  });
const GitRef = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { message: 'not a git ref' });
/** The stage to build: its `AS` name or its 0-based index. */
const STAGE = 'not a stage: an AS name (letters, digits, _ . -) or a 0-based index';
const Stage = z.union(
  [
    z
      .string()
      .max(128)
      .regex(/^(?:[0-9]+|[A-Za-z][A-Za-z0-9_.-]*)$/, { message: STAGE }),
    z.number().int().min(0),
  ],
  { message: STAGE },
);
const Credentials = z.never({
  message:
    'credentials never sit in the variants file: use docker login (the credential store) or environment variables',
});

export const NativeVariants = z.strictObject({
  source: z.union([
    z.strictObject({
      context: RelPath.default('.'),
      dockerfile: RelPath.default('Dockerfile'),
      stage: Stage.optional(),
    }),
    z.strictObject({
      git: z.strictObject({ url: GitUrl, ref: GitRef.default('HEAD'), subdir: RelPath.default('.') }),
      dockerfile: RelPath.default('Dockerfile'),
      stage: Stage.optional(),
    }),
  ]),
  target: z.strictObject({
    image: ImageRef.describe('registry/name the variants are tagged under'),
    username: Credentials.optional(),
    password: Credentials.optional(),
  }),
  variants: z
    .array(
      z.strictObject({ tag: DockerTag, base: ImageRef.optional(), platforms: z.array(Platform).min(1).optional() }),
    )
    .min(1),
});

/** A registry login as SODALITE files carry it: read, used through a temporary DOCKER_CONFIG, never printed. */
const Secret = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[\x21-\x7e]+$/, { message: 'not a credential (printable ASCII, no spaces)' });
/** Any OCI platform SODALITE users list (buildx's spelling); accelbase builds the ones `Platform` names. */
const OciPlatform = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/v[0-9]+)?$/, { message: 'not a platform (os/arch[/variant])' });
const SodaliteImage = z.strictObject({
  image: ImageRef,
  tag: DockerTag,
  base: ImageRef.optional(),
  platforms: z.array(OciPlatform).min(1).optional(),
});

export const SodaliteVariants = z.strictObject({
  source: z.union([
    z.strictObject({
      git_repo: z.strictObject({
        url: GitUrl,
        version: GitRef.default('HEAD'),
        dockerfile: RelPath.default('Dockerfile'),
        workdir: RelPath.default('.'),
        username: Credentials.optional(),
        password: Credentials.optional(),
      }),
    }),
    z.strictObject({
      dockerfile: z.strictObject({
        url: z.union([HttpsUrl, RelPath], { message: 'not a Dockerfile: an https URL or a relative path' }),
        username: Credentials.optional(),
        password: Credentials.optional(),
      }),
      build_context: z
        .strictObject({
          url: z.union([GitUrl, RelPath], { message: 'not a build context: a git URL or a relative path' }),
          subdir: RelPath.default('.'),
          username: Credentials.optional(),
          password: Credentials.optional(),
        })
        .optional(),
    }),
  ]),
  target: z.strictObject({
    registry: z
      .strictObject({
        url: z
          .string()
          .max(256)
          .regex(/^(?:https?:\/\/)?[A-Za-z0-9.-]+(?::[0-9]{1,5})?\/?$/, { message: 'not a registry URL' }),
        username: Secret.optional(),
        password: Secret.optional(),
      })
      .optional(),
    images: z.array(SodaliteImage).min(1),
  }),
});

export type Source =
  | { kind: 'local'; context: string; dockerfile: string; dockerfileUrl?: string }
  /** `dockerfile` is relative to the repository root (SODALITE's rule; accelbase's own is joined onto subdir). */
  | { kind: 'git'; url: string; ref: string; subdir: string; dockerfile: string; dockerfileUrl?: string };

export interface VariantSpec {
  image: string;
  tag: string;
  /** Absent: the Dockerfile's own FROM, not rewritten. */
  base?: string;
  platforms?: Platform[];
  /** Where this variant is declared, for positioned errors later (unknown base, platform). */
  path: PathKey[];
}

export interface RegistryLogin {
  host: string;
  username: string;
  password: string;
}

export interface VariantsFile {
  yaml: YamlDoc;
  format: 'accelbase' | 'sodalite';
  source: Source;
  stage?: string | number;
  variants: VariantSpec[];
  /** SODALITE's in-file registry login (see README "Credentials in SODALITE files"). */
  login?: RegistryLogin;
  /** Positioned warnings (credentials in the file). */
  warnings: CatalogIssue[];
}

/** SODALITE's fields: `target.images`, `target.registry`, `source.git_repo`, `source.dockerfile` as an object, `source.build_context`. */
export function isSodalite(raw: unknown): boolean {
  if (!isRecord(raw)) return false;
  const { source, target } = raw;
  if (isRecord(target) && (Object.hasOwn(target, 'images') || Object.hasOwn(target, 'registry'))) return true;
  return (
    isRecord(source) &&
    (Object.hasOwn(source, 'git_repo') || Object.hasOwn(source, 'build_context') || isRecord(source.dockerfile))
  );
}

/** The registry host of `registry.url`: scheme and trailing slash dropped. */
export const registryHost = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '');

function parseSodalite(yaml: YamlDoc): VariantsFile {
  const parsed = SodaliteVariants.safeParse(yaml.value);
  if (!parsed.success) throw zodError(yaml, SodaliteVariants, parsed.error);
  const { source, target } = parsed.data;
  const host = target.registry ? registryHost(target.registry.url) : undefined;
  const warnings: CatalogIssue[] = [];
  let login: RegistryLogin | undefined;
  const reg = target.registry;
  if (reg && (reg.username !== undefined || reg.password !== undefined)) {
    for (const k of ['username', 'password'] as const)
      if (reg[k] !== undefined)
        warnings.push(
          issueAt(
            yaml,
            ['target', 'registry', k],
            `credentials belong in the credential store (docker login ${host}), not in the variants file; used once through a temporary DOCKER_CONFIG`,
            true,
          ),
        );
    if (reg.username === undefined || reg.password === undefined)
      throw new CatalogError([
        issueAt(yaml, ['target', 'registry'], 'a registry login needs both username and password', true),
      ]);
    login = { host: host!, username: reg.username, password: reg.password };
  }
  let src: Source;
  if ('git_repo' in source) {
    const g = source.git_repo;
    src = { kind: 'git', url: g.url, ref: g.version, subdir: g.workdir, dockerfile: g.dockerfile };
  } else {
    const remote = /^https:\/\//.test(source.dockerfile.url) ? source.dockerfile.url : undefined;
    const ctx = source.build_context;
    const dockerfile = remote ? 'Dockerfile' : source.dockerfile.url;
    src =
      ctx && /^(?:https|file):\/\//.test(ctx.url)
        ? {
            kind: 'git',
            url: ctx.url,
            ref: 'HEAD',
            subdir: ctx.subdir,
            dockerfile: joinRel(ctx.subdir, dockerfile),
            dockerfileUrl: remote,
          }
        : { kind: 'local', context: joinRel(ctx?.url ?? '.', ctx?.subdir ?? '.'), dockerfile, dockerfileUrl: remote };
  }
  const variants = target.images.map((i, n): VariantSpec => {
    const path = ['target', 'images', n];
    const platforms = i.platforms?.filter((p, k) => {
      const ok = Platform.safeParse(p).success;
      if (!ok)
        warnings.push(
          issueAt(
            yaml,
            [...path, 'platforms', k],
            `${p} skipped: accelbase builds ${Platform.options.join(' and ')} only`,
          ),
        );
      return ok;
    }) as Platform[] | undefined;
    if (platforms && platforms.length === 0)
      throw new CatalogError([
        issueAt(
          yaml,
          [...path, 'platforms'],
          `none of these platforms is one accelbase builds (${Platform.options.join(', ')})`,
        ),
      ]);
    return {
      image: host && !i.image.startsWith(`${host}/`) ? `${host}/${i.image}` : i.image,
      tag: i.tag,
      base: i.base,
      platforms,
      path,
    };
  });
  throwOnDuplicates(yaml, variants, (n) => ['target', 'images', n, 'tag']);
  warnings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { yaml, format: 'sodalite', source: src, variants, login, warnings };
}

/** Two variants tagging the same image:tag would overwrite each other. */
function throwOnDuplicates(yaml: YamlDoc, variants: VariantSpec[], tagPath: (n: number) => PathKey[]): void {
  const seen = new Map<string, number>();
  const issues = variants.flatMap((v, i) => {
    const key = `${v.image}:${v.tag}`;
    const first = seen.get(key);
    seen.set(key, first ?? i);
    return first === undefined ? [] : [issueAt(yaml, tagPath(i), `tag "${v.tag}" is already used by variant ${first}`)];
  });
  if (issues.length) throw new CatalogError(issues);
}

/** Parse and validate; the format is told by its fields (see `isSodalite`). JSON files are YAML too. */
export function parseVariantsFile(file: string, text: string): VariantsFile {
  const yaml = parseYaml(file, text);
  if (isSodalite(yaml.value)) return parseSodalite(yaml);
  const parsed = NativeVariants.safeParse(yaml.value);
  if (!parsed.success) throw zodError(yaml, NativeVariants, parsed.error);
  const { source, target, variants } = parsed.data;
  const specs = variants.map(
    (v, i): VariantSpec => ({
      image: target.image,
      tag: v.tag,
      base: v.base,
      platforms: v.platforms,
      path: ['variants', i],
    }),
  );
  throwOnDuplicates(yaml, specs, (i) => ['variants', i, 'tag']);
  return {
    yaml,
    format: 'accelbase',
    source:
      'git' in source
        ? {
            kind: 'git',
            url: source.git.url,
            ref: source.git.ref,
            subdir: source.git.subdir,
            dockerfile: joinRel(source.git.subdir, source.dockerfile),
          }
        : { kind: 'local', context: source.context, dockerfile: source.dockerfile },
    stage: source.stage,
    variants: specs,
    warnings: [],
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const joinRel = (a: string, b: string) => [a, b].filter((p) => p !== '.').join('/') || '.';
