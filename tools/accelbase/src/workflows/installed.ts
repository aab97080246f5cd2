// The installed package set of a pushed image, per platform, read from its layers through the
// registry API (the top-most /var/lib/dpkg/status): what the lock records as `installed`.
import { DPKG_STATUS, installedPackages } from '../datasources/debian/dpkg-status.js';
import { fileInLayers } from '../lib/tar.js';
import { getBlob, platformManifest } from '../oci/registry.js';

export async function installedInImage(repository: string, digest: string, platform: string): Promise<Record<string, string>> {
  const manifest = await platformManifest(repository, digest, platform);
  const layers = manifest.layers ?? [];
  // Top-down: every layer that installs packages rewrites the status file, so the top one usually answers.
  const status = await fileInLayers(layers.length, (i) => getBlob(repository, layers[i].digest), DPKG_STATUS);
  return status ? installedPackages(status.toString('utf8'), `${repository}@${digest} (${platform}) /${DPKG_STATUS}`) : {};
}
