// Every source type a catalog may use, as pure facts: its settings in catalog.yaml, the grammar of
// its package names, the Dockerfile step that installs them, the architectures it builds for and
// what a build fetches from it. How a package's newest version is found (network, signatures) is
// the type's datasource (datasources/index.ts), which builds on these; the catalog needs only these.
import { z } from 'zod';
import { FreeText, GpgFingerprint, HttpsUrl, Identifier, pattern, RepositoryUrl } from '../lib/grammar.js';
import { DEBIAN_COMPONENTS, DebianArchitecture, DebPackageName } from './debian-names.js';

/** A source's settings in catalog.yaml: a strict object whose `type` names its source type. */
export type SourceSchema = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape, z.core.$strict>;

/** The Dockerfile step that installs a source's packages (each is a section of the template). */
export type Installer = 'apt' | 'pip' | 'npm';

export interface SourceTypeFacts<Schema extends SourceSchema = SourceSchema> {
  /** The zod schema of the settings (and through it catalog.schema.json). */
  readonly schema: Schema;
  /** Package names this source can hold; checked when the catalog is validated. */
  readonly packageName: z.ZodString;
  readonly installer: Installer;
  /** Architectures the source builds for; absent: every architecture an image targets. */
  architectures?(source: z.infer<Schema>): readonly string[];
  /** URLs a build of an image with packages from this source fetches, probed before building (Debian's own archive is not). */
  buildUrls(source: z.infer<Schema>): string[];
}

/** Declares a source type with its settings' type inferred from its schema. */
const sourceType = <Schema extends SourceSchema>(t: SourceTypeFacts<Schema>): SourceTypeFacts<Schema> => t;

/** npm package names, scoped or not (validate-npm-package-name, new-package rules). */
export const NpmPackageName = pattern(
  /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/,
  'npm package name',
  214,
);

/** PEP 508 distribution names. */
export const PipPackageName = pattern(
  /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/,
  'pip package name',
  128,
);

/** Debian's own archive: packages of the image's suite, installed by apt from the image's own sources. */
const debianSource = sourceType({
  schema: z.strictObject({
    type: z.literal('debian'),
    components: z.array(z.enum(DEBIAN_COMPONENTS)).min(1),
  }),
  packageName: DebPackageName,
  installer: 'apt',
  // The build reads Debian's archive through the base image's own apt sources: nothing to probe.
  buildUrls: () => [],
});

/** A vendor apt repository: its own URL, suite and signing key, in Debian's archive format. */
const aptSource = sourceType({
  schema: z.strictObject({
    type: z.literal('apt'),
    url: RepositoryUrl,
    suite: Identifier,
    components: z.array(Identifier).min(1),
    key: z
      .strictObject({ url: RepositoryUrl, fingerprint: GpgFingerprint })
      .describe('signed-by key, pinned by fingerprint'),
    architectures: z.array(DebianArchitecture).min(1).describe('architectures the repository builds for'),
  }),
  packageName: DebPackageName,
  installer: 'apt',
  architectures: (source) => source.architectures,
  // The build downloads the signing key and runs apt-get update against the suite.
  buildUrls: (source) => [source.key.url, `${source.url}/dists/${source.suite}/InRelease`],
});

/** npm, through the npm client itself, so the registry is whatever npm is configured with. */
const npmSource = sourceType({
  schema: z.strictObject({
    type: z.literal('npm'),
    description: FreeText.optional().describe("packages come from the builder's configured npm registry"),
  }),
  packageName: NpmPackageName,
  installer: 'npm',
  // The registry is the builder's npm configuration, unknown here: nothing to probe.
  buildUrls: () => [],
});

/** PyPI, or any index with the JSON API. */
const pipSource = sourceType({
  schema: z.strictObject({
    type: z.literal('pip'),
    index: HttpsUrl.describe('simple index URL'),
  }),
  packageName: PipPackageName,
  installer: 'pip',
  // pip reads the simple index, so the build needs it to answer.
  buildUrls: (source) => [`${source.index.replace(/\/+$/, '')}/`],
});

/** In the order catalog.schema.json lists them. Adding a type means listing it here and writing its datasource. */
const registered = [debianSource, aptSource, npmSource, pipSource] as const;

// `map` forgets which element is which; the union's type needs the schemas as the same tuple.
type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

/** A source's settings in catalog.yaml, whichever its type. */
export const Source = z.discriminatedUnion(
  'type',
  registered.map((t) => t.schema) as unknown as SchemasOf<typeof registered>,
);
export type Source = z.infer<typeof Source>;
export type SourceType = Source['type'];
/** The settings of one source type. */
export type SourceOf<T extends SourceType> = Extract<Source, { type: T }>;

const byType = new Map<string, SourceTypeFacts>();
for (const t of registered as readonly SourceTypeFacts[]) byType.set(t.schema.shape.type.value, t);

/** Source types, in registration order. */
export const sourceTypes = [...byType.keys()] as SourceType[];

/** The facts of a source type. */
export function sourceTypeFacts(type: SourceType): SourceTypeFacts {
  const t = byType.get(type);
  if (!t) throw new Error(`source type "${type}" is not registered`);
  return t;
}
