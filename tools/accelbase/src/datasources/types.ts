// What every source type provides, Renovate-style: its settings in catalog.yaml, the grammar of its
// package names, what a build fetches from it, and how a package's newest version is found. One
// implementation per type, registered in ./index.ts; nothing else in accelbase switches on the type.
import type { z } from 'zod';
import type { FetchImpl } from '../lib/http.js';

/** A source's settings in catalog.yaml: a strict object whose `type` names its datasource. */
export type SourceSchema = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape, z.core.$strict>;

/** The Dockerfile step that installs a source's packages (each is a section of the template). */
export type Installer = 'apt' | 'pip' | 'npm';

/** One package to resolve, for one image and platform. */
export interface PackageQuery {
  name: string;
  /** The catalog's semver range; undefined: any version. */
  range?: string;
  /** The image's Debian suite. */
  dist: string;
  /** Debian architecture name (`amd64`, `arm64`). */
  arch: string;
}

/** What resolving needs besides the source; one per `update` run, shared by every package. */
export interface ResolveContext {
  /** Root of the Debian archive (`debian` sources). */
  mirror: string;
  /** Root of Debian's security archive, where `<suite>-security` lives; undefined: none known. */
  securityMirror?: string;
  /** Debian's archive keyring: every Debian Release is verified against it; undefined: not verified (tests only). */
  debianKeyring?: string;
  /** Keep downloaded indexes here between runs. */
  cacheDir?: string;
  fetchImpl?: FetchImpl;
  /** Tests point npm at a local registry; otherwise npm's own configuration decides. */
  npmRegistry?: string;
  /** Per-run memo: the first call for `key` loads; later calls share its promise, rejected or not. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface Datasource<Schema extends SourceSchema = SourceSchema> {
  /** The zod schema of the settings (and through it catalog.schema.json). */
  readonly schema: Schema;
  /** Package names this source can hold; checked when the catalog is validated. */
  readonly packageName: z.ZodString;
  readonly installer: Installer;
  /** Architectures the source builds for; absent: every architecture an image targets. */
  architectures?(source: z.infer<Schema>): readonly string[];
  /** URLs a build of an image with packages from this source fetches, probed before building (Debian's own archive is not). */
  buildUrls(source: z.infer<Schema>): string[];
  /**
   * The newest version of the package that satisfies the range; undefined when none does. A source
   * that cannot answer (unreachable, HTTP error, broken index) throws a UserError; anything else is a bug.
   */
  resolve(source: z.infer<Schema>, query: PackageQuery, ctx: ResolveContext): Promise<string | undefined>;
}

/** Declares a datasource with its settings' type inferred from its schema. */
export const datasource = <Schema extends SourceSchema>(d: Datasource<Schema>): Datasource<Schema> => d;
