// `show`: one image of the workspace in full (base chain, locked packages, device, placement, smoke
// and its last outcome per tier, tags); with a registry, what it publishes under the reference, which
// answers where local records (the lock, .accelbase/) have nothing.
import type { Platform } from '../catalog/grammar.js';
import type { ShowPublished } from '../pick/candidate.js';
import { type ShowDetails, showImage } from '../pick/show.js';
import { type PublishedImage, readPublishedTag, readsRegistry } from './published.js';
import { smokeText } from '../smoke/outcome.js';
import { readSmokeResults } from './state.js';
import type { OpenWorkspace } from './workspace.js';

/** show's view of published facts. Pure. */
export function showPublished(ref: string, p: PublishedImage | undefined): ShowPublished {
  if (!p) return { ref, digest: null, platforms: {} };
  return {
    ref: `${p.repository}:${p.reference}`,
    digest: p.digest,
    platforms: Object.fromEntries(
      Object.entries(p.platforms).map(([platform, f]) => [
        platform,
        {
          digest: f.digest,
          size: f.size,
          ...f.facts,
          packageCount: f.sbom?.packageCount ?? null,
          smoke: f.smoke ? smokeText(f.smoke) : null,
        },
      ]),
    ),
  };
}

/** Local records first; the registry's SBOMs and smoke outcomes fill in what they lack. Pure. */
export function withPublished(details: ShowDetails, p: PublishedImage | undefined): ShowDetails {
  const installed = { ...details.installed };
  for (const platform of details.platforms) {
    const sbom = p?.platforms[platform]?.sbom;
    if (!installed[platform] && sbom) installed[platform] = sbom.packages;
  }
  const tested =
    details.tested ??
    Object.entries(p?.platforms ?? {}).flatMap(([platform, f]) =>
      f.smoke ? [{ platform, outcome: f.smoke.outcome, ...(f.smoke.tiers ? { tiers: f.smoke.tiers } : {}) }] : [],
    );
  return {
    ...details,
    installed: installed as Partial<Record<Platform, Record<string, string> | null>>,
    ...(tested.length ? { tested } : {}),
    published: showPublished(details.ref, p),
  };
}

/** `ref`: IMAGE or REPOSITORY[:TAG], as `resolveImage` reads it. */
export async function showWorkspace(ws: OpenWorkspace, ref: string): Promise<ShowDetails> {
  const details = showImage(ws.plan, ws.model, ref, ws.lock);
  const tested = readSmokeResults(ws.root)
    .filter((r) => r.image === details.name)
    .map((r) => ({ platform: r.platform, outcome: r.outcome, ...(r.tiers ? { tiers: r.tiers } : {}) }));
  const local = tested.length ? { ...details, tested } : details;
  if (!readsRegistry(ws)) return local;
  return withPublished(local, await readPublishedTag(details, details.tag));
}
