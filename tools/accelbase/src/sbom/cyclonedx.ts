// The CycloneDX 1.5 JSON BOM for one image and platform. Pure and deterministic: the timestamp is
// the day the facts are from, the serial number a name-based UUID of the content.
import { sha256Hex } from '../lib/fs.js';
import type { SbomInput } from './input.js';
import { debPurl, npmPurl, ociPurl, pypiPurl } from './purl.js';

export const CYCLONEDX_MEDIA_TYPE = 'application/vnd.cyclonedx+json';

interface CdxComponent {
  type: 'container' | 'library' | 'application';
  'bom-ref'?: string;
  name: string;
  version?: string;
  purl?: string;
  hashes?: { alg: 'SHA-256'; content: string }[];
  properties?: { name: string; value: string }[];
  pedigree?: { ancestors: CdxComponent[] };
}

export interface CycloneDxBom {
  $schema: string;
  bomFormat: 'CycloneDX';
  specVersion: '1.5';
  serialNumber: string;
  version: 1;
  metadata: { timestamp: string; tools: { components: CdxComponent[] }; component: CdxComponent };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

/** An RFC 4122 UUID (version 5 layout) from a sha256 of the content: stable, and unique per content. */
function contentUuid(text: string): string {
  const h = sha256Hex(text).slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const hashes = (digest: string | undefined) =>
  digest ? { hashes: [{ alg: 'SHA-256' as const, content: digest.slice('sha256:'.length) }] } : {};

export function cyclonedxBom(input: SbomInput): CycloneDxBom {
  const lib = (name: string, version: string, purl: string): CdxComponent => ({
    type: 'library',
    'bom-ref': purl,
    name,
    version,
    purl,
  });
  const components = [
    ...Object.entries(input.debs).map(([name, version]) =>
      lib(name, version, debPurl(name, version, input.platform, input.debianMajor)),
    ),
    ...input.pip.map((p) => lib(p.name, p.version, pypiPurl(p.name, p.version))),
    ...input.npm.map((p) => lib(p.name, p.version, npmPurl(p.name, p.version))),
  ];
  const imageRef = ociPurl(input.repository, input.digest, { platform: input.platform, tag: input.tag });
  const ancestors: CdxComponent[] = input.bases.map((b) => {
    const purl = ociPurl(b.repository, b.digest, { platform: input.platform });
    return {
      type: 'container',
      'bom-ref': purl,
      name: b.repository,
      version: b.ref.slice(b.ref.lastIndexOf(':') + 1),
      purl,
      ...hashes(b.digest),
    };
  });
  const bom: Omit<CycloneDxBom, 'serialNumber'> = {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      timestamp: `${input.date}T00:00:00Z`,
      tools: { components: [{ type: 'application', name: input.tool.name, version: input.tool.version }] },
      component: {
        type: 'container',
        'bom-ref': imageRef,
        name: input.repository,
        version: input.tag,
        purl: imageRef,
        ...hashes(input.digest),
        properties: [
          { name: 'accelbase:image', value: input.image },
          { name: 'accelbase:platform', value: input.platform },
          { name: 'accelbase:installed-from', value: input.installedFrom },
        ],
        ...(ancestors.length ? { pedigree: { ancestors } } : {}),
      },
    },
    components,
    dependencies: [{ ref: imageRef, dependsOn: components.map((c) => c['bom-ref']!) }],
  };
  const { $schema, bomFormat, specVersion, ...rest } = bom;
  return { $schema, bomFormat, specVersion, serialNumber: `urn:uuid:${contentUuid(JSON.stringify(bom))}`, ...rest };
}
