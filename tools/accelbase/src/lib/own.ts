// Lookups by a name that came from a file or a flag: own properties only, so `constructor` or
// `toString` is never mistaken for a declared source, distribution, image or package.
import { UserError } from '../errors.js';

/** `record[key]` when `record` itself holds `key`; undefined otherwise (never an inherited member). */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A name the validated catalog declares: `record[key]`, or a UserError if validation let it through. */
export function declared<T>(record: Readonly<Record<string, T>>, key: string, what: string): T {
  const value = ownValue(record, key);
  if (value === undefined) throw new UserError(`unknown ${what} "${key}"`);
  return value;
}
