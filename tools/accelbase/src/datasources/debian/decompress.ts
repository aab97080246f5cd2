// The forms of a Packages index accelbase can read. Packages.gz is preferred because Node's zlib
// reads gzip in process; Packages.xz (all Debian's -updates and -security suites publish) goes
// through xz-utils' `xz -dc`, as Node has no xz decoder.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { UserError } from '../../errors.js';
import { run } from '../../exec.js';
import { describeCause } from '../../lib/http.js';

const gunzipAsync = promisify(gunzip);
// The default 16 KiB output chunks cost ~40% more time on a 56 MB index than 1 MiB ones.
const GUNZIP_CHUNK = 1 << 20;

// Best first. `Packages` (uncompressed) is usually listed but not served by Debian mirrors; it is
// still tried before giving up because some repositories do serve it.
export const INDEX_NAMES = ['Packages.gz', 'Packages.xz', 'Packages'] as const;

export const UNSUPPORTED_NOTE = 'accelbase reads Packages.gz, Packages.xz and plain Packages (not bzip2 or lzma)';

/** The text of an index file downloaded from `url`, decompressed as its name says. */
export async function indexText(url: string, data: Buffer): Promise<string> {
  if (url.endsWith('.xz')) {
    const r = await run('xz', ['--decompress', '--stdout'], { input: data, allowFailure: true });
    if (r.exitCode !== 0)
      throw new UserError(`${url}: cannot decompress: ${r.stderr.trim() || `xz exit code ${r.exitCode}`}`);
    return r.stdout;
  }
  if (!url.endsWith('.gz')) return data.toString('utf8');
  try {
    return (await gunzipAsync(data, { chunkSize: GUNZIP_CHUNK })).toString('utf8');
  } catch (err) {
    throw new UserError(`${url}: cannot decompress: ${describeCause(err)}`);
  }
}
