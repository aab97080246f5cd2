// The SPDX 2.3 JSON document for one image and platform. Pure and deterministic: the same facts
// give the same bytes. `created` is the day the facts are from (SPDX requires a timestamp; no clock
// is read), and the document namespace is derived from the content.
import { archOf } from '../catalog/platform.js';
import { sha256Hex } from '../lib/fs.js';
import type { SbomInput } from './input.js';
import { debPurl, npmPurl, ociPurl, pypiPurl } from './purl.js';

export const SPDX_MEDIA_TYPE = 'application/spdx+json';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  primaryPackagePurpose?: 'CONTAINER' | 'LIBRARY' | 'OPERATING-SYSTEM';
  checksums?: { algorithm: 'SHA256'; checksumValue: string }[];
  externalRefs?: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
  comment?: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[]; comment?: string };
  packages: SpdxPackage[];
  relationships: {
    spdxElementId: string;
    relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DESCENDANT_OF';
    relatedSpdxElement: string;
  }[];
}

/** SPDX identifiers allow `[A-Za-z0-9.-]` only: everything else becomes `-`, and a repeat gets a counter. */
function idMaker(): (prefix: string, name: string) => string {
  const used = new Set<string>();
  return (prefix, name) => {
    const base = `SPDXRef-${prefix}-${name.replace(/[^A-Za-z0-9.-]/g, '-')}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
}

const purlRef = (locator: string) => [
  { referenceCategory: 'PACKAGE-MANAGER' as const, referenceType: 'purl' as const, referenceLocator: locator },
];
const digestChecksum = (digest: string | undefined) =>
  digest ? { checksums: [{ algorithm: 'SHA256' as const, checksumValue: digest.slice('sha256:'.length) }] } : {};

const INSTALLED_FROM = {
  lock: 'catalog.lock.yaml (installed)',
  build: "the last build's push (.accelbase/build/results.json)",
  registry: "the SBOM the registry publishes for the image's manifest",
} as const;

export function spdxDocument(input: SbomInput): SpdxDocument {
  const id = idMaker();
  const imageId = 'SPDXRef-image';
  const image: SpdxPackage = {
    SPDXID: imageId,
    name: input.repository,
    versionInfo: input.tag,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: 'CONTAINER',
    ...digestChecksum(input.digest),
    externalRefs: purlRef(ociPurl(input.repository, input.digest, { platform: input.platform, tag: input.tag })),
    comment: `${input.image} for ${input.platform}${input.digest ? `; the checksum is the image index digest` : '; no digest recorded yet'}`,
  };
  const bases = input.bases.map((b) => ({
    SPDXID: id('base', b.name),
    name: b.repository,
    versionInfo: b.ref.slice(b.ref.lastIndexOf(':') + 1),
    downloadLocation: 'NOASSERTION' as const,
    filesAnalyzed: false as const,
    primaryPackagePurpose: 'CONTAINER' as const,
    ...digestChecksum(b.digest),
    externalRefs: purlRef(ociPurl(b.repository, b.digest, { platform: input.platform })),
  }));
  const lib = (prefix: string, name: string, version: string, purl: string): SpdxPackage => ({
    SPDXID: id(prefix, name),
    name,
    versionInfo: version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    externalRefs: purlRef(purl),
  });
  const contained = [
    ...Object.entries(input.debs).map(([name, version]) =>
      lib('deb', name, version, debPurl(name, version, input.platform, input.debianMajor)),
    ),
    ...input.pip.map((p) => lib('pypi', p.name, p.version, pypiPurl(p.name, p.version))),
    ...input.npm.map((p) => lib('npm', p.name, p.version, npmPurl(p.name, p.version))),
  ];
  const chainIds = [imageId, ...bases.map((b) => b.SPDXID)];
  const doc: Omit<SpdxDocument, 'documentNamespace'> = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${input.repository}:${input.tag} ${input.platform}`,
    creationInfo: {
      created: `${input.date}T00:00:00Z`,
      creators: [`Tool: ${input.tool.name}-${input.tool.version}`],
      comment: `Installed Debian packages from ${INSTALLED_FROM[input.installedFrom]}; created is the date of those facts.`,
    },
    packages: [image, ...bases, ...contained],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId },
      ...chainIds.slice(1).map((b, i) => ({
        spdxElementId: chainIds[i],
        relationshipType: 'DESCENDANT_OF' as const,
        relatedSpdxElement: b,
      })),
      ...contained.map((p) => ({
        spdxElementId: imageId,
        relationshipType: 'CONTAINS' as const,
        relatedSpdxElement: p.SPDXID,
      })),
    ],
  };
  const hash = sha256Hex(JSON.stringify(doc));
  // Key order as SPDX's examples have it: the namespace beside the name.
  const { spdxVersion, dataLicense, SPDXID, name, ...rest } = doc;
  return {
    spdxVersion,
    dataLicense,
    SPDXID,
    name,
    documentNamespace: `https://accelbase.invalid/spdx/${input.image}/${archOf(input.platform)}/${hash}`,
    ...rest,
  };
}

/** What `spdxDocument` wrote, read back: the packages it lists as contained (purl `pkg:deb|pypi|npm`), name -> version. */
export function spdxInstalled(doc: unknown): Record<string, string> {
  const packages = (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(packages)) return {};
  const out: Record<string, string> = {};
  // Read from a registry: any field may be missing.
  for (const p of packages as (Partial<SpdxPackage> | null)[]) {
    if (!p || typeof p !== 'object') continue;
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs : [];
    const purl = refs.find(
      (r) => typeof r?.referenceLocator === 'string' && r.referenceLocator.startsWith('pkg:'),
    )?.referenceLocator;
    if (p.primaryPackagePurpose === 'CONTAINER' || purl?.startsWith('pkg:oci/') || typeof p.name !== 'string') continue;
    out[p.name] = typeof p.versionInfo === 'string' ? p.versionInfo : '';
  }
  return out;
}
