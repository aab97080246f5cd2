// The installed package set of a pushed image, per platform, read from its layers through the
// registry API (the top-most /var/lib/dpkg/status), streamed: what the lock records as `installed`.
import { DPKG_STATUS, installedPackages } from '../datasources/debian/dpkg-status.js';
import { UserError } from '../errors.js';
import { fileInLayers } from '../lib/tar.js';
import { blobStream, platformManifest } from '../oci/registry.js';

export async function installedInImage(
  repository: string,
  digest: string,
  platform: string,
): Promise<Record<string, string>> {
  const manifest = await platformManifest(repository, digest, platform);
  const layers = manifest.layers ?? [];
  // Top-down: every layer that installs packages rewrites the status file, so the top one usually answers.
  const status = await fileInLayers(
    layers.length,
    (i) => Promise.resolve(blobStream(repository, layers[i].digest)),
    DPKG_STATUS,
  ).catch((e: unknown) => {
    // A connection that breaks off, or a layer that is not gzip/tar, is the registry's answer, not a defect here.
    if (e instanceof UserError) throw e;
    throw new UserError(`${repository}@${digest} (${platform}): cannot read its layers: ${(e as Error).message}`);
  });
  return status
    ? installedPackages(status.toString('utf8'), `${repository}@${digest} (${platform}) /${DPKG_STATUS}`)
    : {};
}
