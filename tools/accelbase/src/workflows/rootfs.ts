// `rootfs`: the minideb root filesystems of the workspace, as reproducible tarballs, for the suites
// and architectures asked (default: every one minideb is built for).
import { archesOf } from '../catalog/platform.js';
import type { RunConfig } from '../config/run-config.js';
import { UserError } from '../errors.js';
import { ownValue } from '../lib/own.js';
import { rootfsForSuites, type SuiteRootfs } from '../rootfs/ensure.js';
import type { OpenWorkspace } from './workspace.js';

export async function rootfsWorkspace(
  ws: OpenWorkspace,
  request: { suites: readonly string[]; arches: readonly string[]; config: RunConfig },
): Promise<SuiteRootfs[]> {
  const { minideb } = ws.model.catalog;
  const { suites, arches } = request;
  // A retired release gets no root filesystem: nothing is built on it any more.
  const retired = (d: string) => ownValue(ws.model.catalog.distributions, d)?.retired === true;
  const live = minideb.distributions.filter((d) => !retired(d));
  for (const s of suites) {
    if (!minideb.distributions.includes(s))
      throw new UserError(`--suite ${s}: minideb is built for ${live.join(', ')}`, 2);
    if (retired(s))
      throw new UserError(`--suite ${s}: ${s} is retired in the catalog: no root filesystem is made for it`, 2);
  }
  const known = archesOf(minideb.platforms);
  for (const a of arches)
    if (!known.includes(a)) throw new UserError(`--arch ${a}: minideb is built for ${known.join(', ')}`, 2);
  return rootfsForSuites(ws.root, suites.length ? suites : live, arches.length ? arches : known, request.config);
}
