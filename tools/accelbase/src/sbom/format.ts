// The SBOM formats `accelbase sbom` writes, and one document as bytes. Pure.
import { z } from 'zod';
import { CYCLONEDX_MEDIA_TYPE, cyclonedxBom } from './cyclonedx.js';
import type { SbomInput } from './input.js';
import { SPDX_MEDIA_TYPE, spdxDocument } from './spdx.js';

export const SbomFormat = z.enum(['spdx-json', 'cyclonedx-json']);
export type SbomFormat = z.infer<typeof SbomFormat>;

export interface SbomDocument {
  format: SbomFormat;
  mediaType: string;
  /** The document as written: two-space JSON and a final newline. */
  text: string;
  packages: number;
}

export function sbomDocument(input: SbomInput, format: SbomFormat): SbomDocument {
  const doc = format === 'spdx-json' ? spdxDocument(input) : cyclonedxBom(input);
  const packages = Object.keys(input.debs).length + input.pip.length + input.npm.length;
  return {
    format,
    mediaType: format === 'spdx-json' ? SPDX_MEDIA_TYPE : CYCLONEDX_MEDIA_TYPE,
    text: `${JSON.stringify(doc, null, 2)}\n`,
    packages,
  };
}
