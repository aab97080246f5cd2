// Candidates checked against what a registry holds (`accelbase tags --registry`, `--pin`). Pure: the
// registry's answers come in as arguments.
import { UserError } from '../errors.js';
import { isDigest } from '../oci/reference.js';
import { mostSpecificTag, newestBuildTag } from '../plan/tags.js';
import { referenceTo, type TagCandidate } from './candidate.js';

/**
 * Checked against the tags a registry holds: the floating tag if it is there, else the newest
 * build tag of the same version and distribution (`build --push` pushes only those; minideb's are
 * cut from the distribution), else missing.
 */
export function applyRegistryTags(c: TagCandidate, registryTags: readonly string[]): TagCandidate {
  const floating = mostSpecificTag(c);
  const tag = registryTags.includes(floating) ? floating : newestBuildTag(registryTags, c);
  if (!tag) return { ...c, tag: floating, ...referenceTo(c.repository, floating), inRegistry: false };
  return { ...c, tag, ...referenceTo(c.repository, tag), inRegistry: true };
}

/** `FROM repo:tag@sha256:...`: the tag for people, the digest for reproducibility. */
export function pinCandidate(c: TagCandidate, digest: string): TagCandidate {
  if (!isDigest(digest)) throw new UserError(`${c.ref}: the registry answered digest "${digest}", not sha256:<64 hex>`);
  return { ...c, digest, ...referenceTo(c.repository, c.tag, digest) };
}
