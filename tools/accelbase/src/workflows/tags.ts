// `tags`: the images matching a query, newest runtime first; with `registry`, checked against the
// tags the registry holds, and with `pin`, each pinned to the digest it serves.
import { UserError } from '../errors.js';
import { getManifest, listTags, splitRepository } from '../oci/registry.js';
import type { TagCandidate } from '../pick/candidate.js';
import { pickTags, type TagPick } from '../pick/pick.js';
import type { TagQuery } from '../pick/query.js';
import { applyRegistryTags, pinCandidate } from '../pick/registry-tags.js';
import { readPublished } from './published.js';
import { showPublished } from './show.js';
import type { OpenWorkspace } from './workspace.js';

export interface TagsRequest extends TagQuery {
  /** Read the namespace's registry: which of the tags exist there. */
  registry?: boolean;
  /** Also pin each image found there to its digest (reads the registry too). */
  pin?: boolean;
  /** Also offer images on a retired release. */
  includeRetired?: boolean;
}

export interface TagsResult {
  namespace: string;
  images: TagCandidate[];
  /** Matching images on a retired release, left out (unless includeRetired), and why. */
  leftOut: TagPick['leftOut'];
}

/**
 * A tag found in the registry with what it publishes (digests, package counts, smoke outcomes); a
 * registry that lists the tag but will not serve its manifests leaves these extras out.
 */
async function withRegistryFacts(c: TagCandidate): Promise<TagCandidate> {
  if (!c.inRegistry) return c;
  try {
    return { ...c, published: showPublished(c.ref, await readPublished(c.repository, c.tag)) };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return c;
  }
}

export async function tagsWorkspace(ws: OpenWorkspace, request: TagsRequest): Promise<TagsResult> {
  const { plan } = ws;
  const { registry, pin, includeRetired, ...query } = request;
  const picked = pickTags(plan, ws.model, query, { includeRetired });
  let list = picked.candidates;
  if (registry || pin) {
    // Reading tags and digests needs a registry host: fail once, clearly, before any request.
    try {
      splitRepository(`${plan.namespace}/x`);
    } catch {
      throw new UserError(
        `${pin ? '--pin' : '--registry'} needs a registry to read from: --registry HOST[:PORT]/NAMESPACE (got "${plan.namespace}")`,
        2,
      );
    }
    list = await Promise.all(list.map(async (c) => applyRegistryTags(c, await listTags(c.repository))));
    if (list.every((c) => !c.inRegistry)) {
      throw new UserError(
        `none of the matching images is in ${plan.namespace}: ${list.map((c) => `${c.repository}:${c.tag}`).join(', ')} (push with \`accelbase build --push --registry ${plan.namespace}\`)`,
      );
    }
    // What each published tag holds: digests, installed package counts, smoke outcomes.
    list = await Promise.all(list.map(withRegistryFacts));
    if (pin) {
      list = await Promise.all(
        list.map(async (c) => {
          if (!c.inRegistry) return c;
          const { digest } = await getManifest(c.repository, c.tag);
          if (!digest) throw new UserError(`${c.ref}: the registry sent no Docker-Content-Digest header`);
          return pinCandidate(c, digest);
        }),
      );
    }
  }
  return { namespace: plan.namespace, images: list, leftOut: picked.leftOut };
}
