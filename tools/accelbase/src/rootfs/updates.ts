// minideb gets every update: after debootstrap installs `<suite>`, apt installs what `<suite>-updates`
// and `<suite>-security` provide (bullseye, on LTS, has its fixes only in bullseye-security), with
// apt verifying each InRelease against the archive keyring the tree itself holds.
import { UserError } from '../errors.js';
import { run, tail } from '../exec.js';
import { debug, info } from '../log.js';
import { fetchReleaseEpoch } from './epoch.js';
import { POLICY_RC_D, sourcesListText } from './image-files.js';
import { writeInRoot } from './tree.js';
import { proxyEnv } from '../engine/package-cache.js';
import type { SuiteSource } from '../datasources/debian/suites.js';

/**
 * SOURCE_DATE_EPOCH for a rootfs: the newest `Date:` of the Release files it installs from, so a
 * new security release makes a new tarball and an unchanged archive the same one. The suite itself
 * must answer; an -updates or -security suite that has no Release is left out.
 */
export async function newestReleaseEpoch(
  sources: readonly SuiteSource[],
  fetchEpoch = fetchReleaseEpoch,
): Promise<number> {
  const [first, ...rest] = sources;
  let newest = await fetchEpoch(first.mirror, first.suite);
  for (const s of rest) {
    try {
      newest = Math.max(newest, await fetchEpoch(s.mirror, s.suite));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      info(`rootfs: ${s.suite} at ${s.mirror}: no Release, left out`);
    }
  }
  return newest;
}

/** Where a keyring other than Debian's goes in the tree. */
export const TRUSTED_KEYRING = 'etc/apt/trusted.gpg.d/accelbase-archive-keyring.gpg';

/** apt inside the bootstrapped tree, with nothing from the host's configuration. */
const aptInTree = (target: string, epoch: number, args: string[], aptProxy?: string) =>
  run(
    'chroot',
    [
      target,
      'apt-get',
      '-q',
      '-o',
      'Dpkg::Options::=--force-confdef',
      '-o',
      'Dpkg::Options::=--force-confold',
      ...args,
    ],
    {
      env: {
        DEBIAN_FRONTEND: 'noninteractive',
        LC_ALL: 'C',
        SOURCE_DATE_EPOCH: String(epoch),
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        ...proxyEnv(aptProxy),
      },
      allowFailure: true,
      timeoutMs: 60 * 60_000,
    },
  );

/**
 * The error for an apt run that failed because the archive answered 404 for package files its indexes
 * list (decoded URLs), or undefined when that is not why it failed. Seen for bullseye-security once
 * Debian 11's LTS ended: the indexes stayed, the arm64 pool went.
 */
export function unservedFilesError(suite: string, aptOutput: string): UserError | undefined {
  const gone = [
    ...new Set([...aptOutput.matchAll(/^E: Failed to fetch (\S+)\s+404\b/gm)].map((m) => decodeURIComponent(m[1]))),
  ];
  if (!gone.length) return undefined;
  // The archive's pool, not the first file's folder: the files are spread over many.
  const pool = gone[0].includes('/pool/')
    ? gone[0].slice(0, gone[0].indexOf('/pool/') + '/pool/'.length)
    : gone[0].slice(0, gone[0].lastIndexOf('/') + 1);
  return new UserError(
    `rootfs: the ${suite} archive lists ${gone.length} package file${gone.length === 1 ? '' : 's'} it no longer serves (404), ` +
      `e.g. ${gone
        .slice(0, 3)
        .map((u) => u.split('/').pop())
        .join(', ')} under ${pool}: ` +
      `without them the image would miss updates, so none is built. A suite past its security support loses its files this way: ` +
      `build it from an archive that still serves them (ACCELBASE_DEBIAN_MIRROR, ACCELBASE_DEBIAN_SECURITY_MIRROR) or take it out of the catalog`,
  );
}

/** Upgrade every installed package to the newest version the suites offer; services never start. */
export async function applyUpdates(
  target: string,
  o: { suite: string; mirror: string; securityMirror?: string; epoch: number; trust?: Buffer; aptProxy?: string },
): Promise<void> {
  writeInRoot(target, 'etc/apt/sources.list', sourcesListText(o.mirror, o.suite, o.securityMirror));
  // An archive keyring other than Debian's (ACCELBASE_DEBIAN_KEYRING) is what this archive is signed
  // with: apt in the tree, and in every image built on it, trusts it as accelbase does.
  if (o.trust) writeInRoot(target, TRUSTED_KEYRING, o.trust);
  writeInRoot(target, 'usr/sbin/policy-rc.d', POLICY_RC_D, 0o755);
  info(
    `rootfs: ${o.suite}: installing what ${o.suite}-updates${o.securityMirror ? ` and ${o.suite}-security` : ''} provide`,
  );
  // --error-on=any: a suite that fails to download (or is skipped) is an error, never an image without its fixes.
  for (const args of [['update', '--error-on=any'], ['-y', '--no-install-recommends', 'dist-upgrade'], ['clean']]) {
    const r = await aptInTree(target, o.epoch, args, o.aptProxy);
    if (r.exitCode !== 0)
      throw (
        unservedFilesError(o.suite, `${r.stdout}\n${r.stderr}`) ??
        new UserError(
          `rootfs: apt-get ${args.join(' ')} in the ${o.suite} tree failed (exit ${r.exitCode})\n${tail(r.stderr || r.stdout, 15)}`,
        )
      );
    debug(`rootfs: apt-get ${args[0]}:\n${tail(`${r.stdout}\n${r.stderr}`, 40)}`);
  }
}
