// Test helper: a real OpenPGP signing key made for the test run (ed25519, no passphrase) in its own
// GNUPGHOME, its public keyring for gpgv, and clear-signed or detached signatures made with it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

export interface SigningKey {
  /** Binary public keyring with just this key, for gpgv --keyring. */
  keyring: string;
  fingerprint: string;
  clearsign(text: string): Buffer;
  detach(data: Buffer): Buffer;
  /** Stops the key's gpg-agent and removes its home. */
  dispose(): void;
}

export function makeSigningKey(name = 'accelbase test archive'): SigningKey {
  const home = mkdtempSync(join(tmpdir(), 'accelbase-gpg-'));
  const gpg = (args: string[], input?: string | Buffer) =>
    execFileSync(
      'gpg',
      ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', ...args],
      { input, stdio: ['pipe', 'pipe', 'ignore'] },
    );
  gpg(['--quick-gen-key', `${name} <archive@example.invalid>`, 'ed25519', 'sign', 'never']);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-keys']).toString())![1];
  const keyring = join(home, 'public.gpg');
  writeFileSync(keyring, gpg(['--export', fingerprint]));
  return {
    keyring,
    fingerprint,
    clearsign: (text) => gpg(['--clearsign', '--output', '-'], text),
    detach: (data) => gpg(['--detach-sign', '--output', '-'], data),
    dispose: () => {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
