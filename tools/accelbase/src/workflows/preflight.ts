// Before a build: which package sources can this machine reach? An image whose source cannot be
// reached is skipped with that reason up front, never reported as built.
import type { Catalog } from '../catalog/schema.js';
import { sourceTypeFacts } from '../catalog/source-types.js';
import { declared } from '../lib/own.js';
import type { PlannedImage } from '../plan/plan.js';

/** The URLs a build of `image` fetches from, other than Debian's own archive. */
export function sourceUrls(image: PlannedImage, catalog: Catalog): string[] {
  const urls = new Set<string>();
  for (const p of image.packages) {
    const s = declared(catalog.sources, p.source, 'source');
    for (const url of sourceTypeFacts(s.type).buildUrls(s)) urls.add(url);
  }
  for (const d of image.downloads) urls.add(d.url);
  return [...urls];
}

export type Probe = (url: string) => Promise<string | undefined>;

/** undefined when the URL answers; else why not. Only the headers are read. */
export const probeUrl: Probe = async (url) => {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(8000) });
    await res.body?.cancel();
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return cause ?? (e as Error).name;
  }
};

/**
 * Images to skip: those with an unreachable source, and everything built on them. Probes each
 * URL once, all in parallel.
 */
export async function unreachableImages(
  images: PlannedImage[],
  catalog: Catalog,
  probe: Probe = probeUrl,
): Promise<Map<string, string>> {
  const urls = [...new Set(images.flatMap((i) => sourceUrls(i, catalog)))];
  const answers = new Map(await Promise.all(urls.map(async (u) => [u, await probe(u)] as const)));
  const skip = new Map<string, string>();
  for (const image of images) {
    const bad = sourceUrls(image, catalog).find((u) => answers.get(u) !== undefined);
    if (bad) skip.set(image.name, `unreachable source ${bad} (${answers.get(bad)})`);
    else if (image.base && skip.has(image.base.name)) skip.set(image.name, `base ${image.base.name} skipped`);
  }
  return skip;
}
