// `rootfs`: the minideb root filesystems of the workspace, as reproducible tarballs, for the suites
// and architectures asked (default: every one minideb is built for).
import { archesOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import { rootfsForSuites, type SuiteRootfs } from '../rootfs/ensure.js';
import type { OpenWorkspace } from './workspace.js';

export async function rootfsWorkspace(
  ws: OpenWorkspace,
  request: { suites: readonly string[]; arches: readonly string[] },
): Promise<SuiteRootfs[]> {
  const { minideb } = ws.model.catalog;
  const { suites, arches } = request;
  for (const s of suites)
    if (!minideb.distributions.includes(s))
      throw new UserError(`--suite ${s}: minideb is built for ${minideb.distributions.join(', ')}`, 2);
  const known = archesOf(minideb.platforms);
  for (const a of arches)
    if (!known.includes(a)) throw new UserError(`--arch ${a}: minideb is built for ${known.join(', ')}`, 2);
  return rootfsForSuites(ws.root, suites.length ? suites : minideb.distributions, arches.length ? arches : known);
}
