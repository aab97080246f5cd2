// What a minideb root filesystem is configured with: apt and dpkg settings (the docker/debuerreotype
// set plus no recommends), its sources.list, policy-rc.d, and shadow dates clamped to the epoch.

/** dpkg path filters so packages installed later stay as trimmed as the base. */
export const DPKG_EXCLUDES = `# accelbase minideb: keep images small; copyright files stay for license compliance.
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/groff/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/gdb/*
path-exclude=/usr/share/gcc/*
path-exclude=/usr/share/bash-completion/*
`;

const APT_CLEAN =
  '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";';

/** apt configuration files written into /etc/apt/apt.conf.d (the docker/debuerreotype set plus no recommends). */
export const APT_CONF: Readonly<Record<string, string>> = {
  'docker-clean': `# Clean apt's caches after every install: they only bloat image layers.
DPkg::Post-Invoke { ${APT_CLEAN} };
APT::Update::Post-Invoke { ${APT_CLEAN} };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`,
  'docker-gzip-indexes': `# Keep package lists compressed on disk.
Acquire::GzipIndexes "true";
`,
  'docker-no-languages': `# No translated package descriptions.
Acquire::Languages "none";
`,
  'docker-autoremove-suggests': `# Let autoremove drop packages that are only suggested.
Apt::AutoRemove::SuggestsImportant "false";
`,
  'docker-no-recommends': `# minideb: install what was asked for and its dependencies, nothing more.
APT::Install-Recommends "false";
APT::Install-Suggests "false";
`,
};

export const DPKG_SPEEDUP = `# Image builds are thrown away on failure anyway: skip dpkg's fsyncs.
force-unsafe-io
`;

export const POLICY_RC_D = `#!/bin/sh
# Services must not start while packages are installed in an image build.
exit 101
`;

export function sourcesListText(mirror: string, suite: string, securityMirror?: string): string {
  const m = mirror.replace(/\/+$/, '');
  const lines = [`deb ${m} ${suite} main`, `deb ${m} ${suite}-updates main`];
  if (securityMirror) lines.push(`deb ${securityMirror.replace(/\/+$/, '')} ${suite}-security main`);
  return `${lines.join('\n')}\n`;
}

/** /etc/shadow's "last changed" (days since the epoch) is the build day; clamp it like debuerreotype. */
export function clampShadow(text: string, epoch: number): string {
  const day = Math.floor(epoch / 86400);
  return text
    .split('\n')
    .map((line) => {
      const f = line.split(':');
      if (f.length < 3 || f[2] === '' || !/^\d+$/.test(f[2])) return line;
      if (Number(f[2]) > day) f[2] = String(day);
      return f.join(':');
    })
    .join('\n');
}
