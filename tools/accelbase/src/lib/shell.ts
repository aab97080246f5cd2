/** argv as one line a POSIX shell reads back the same: arguments beyond a safe set are single-quoted. */
export function shellJoin(args: string[]): string {
  return args.map((a) => (/^[A-Za-z0-9_/:=.,+@%-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
