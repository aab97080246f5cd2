// The validated catalog, flattened: one ImageSpec per buildable image, defaults merged, bases resolved.
import type { SourceType } from './source-types.js';
import type { Catalog, DeviceProfile, Download, Placement, Requirements, Smoke } from './schema.js';
import type { Platform } from './grammar.js';

export type { SourceType };

export interface ResolvedPackage {
  name: string;
  source: string;
  sourceType: SourceType;
  version?: string;
  requires?: Requirements;
  architectures?: string[];
  /** Where in catalog.yaml the package is listed. */
  path: (string | number)[];
}

export interface ImageSpec {
  /** Unique name: `<accelerator>-<variant>`, or `minideb-<dist>` for the base. */
  name: string;
  /** The folder under images/ and the Nx project: `minideb` for every minideb suite. */
  project: string;
  kind: 'minideb' | 'accelerator';
  accelerator?: string;
  variant?: string;
  description?: string;
  dist: string;
  /** Name of the ImageSpec this one is built on; undefined for minideb (FROM scratch). */
  base?: string;
  platforms: Platform[];
  runtime?: string;
  packages: ResolvedPackage[];
  downloads: Download[];
  debconf: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  device: DeviceProfile;
  placement: Placement;
  smoke: Smoke;
  /** Where in catalog.yaml this image is declared (for messages). */
  path: (string | number)[];
}

export interface Model {
  catalog: Catalog;
  /** Images keyed by name, in declaration order. */
  images: Map<string, ImageSpec>;
}
