// The suites a Debian distribution's packages come from: `<suite>`, `<suite>-updates` on the same
// mirror, and `<suite>-security` on the security archive (bullseye, on LTS, has fixes only there).

export interface SuiteSource {
  mirror: string;
  suite: string;
}

/** The suites a minideb of `suite` installs from: the suite, its -updates, its -security (when known). */
export function updateSources(mirror: string, suite: string, securityMirror?: string): SuiteSource[] {
  const m = mirror.replace(/\/+$/, '');
  return [
    { mirror: m, suite },
    { mirror: m, suite: `${suite}-updates` },
    ...(securityMirror ? [{ mirror: securityMirror.replace(/\/+$/, ''), suite: `${suite}-security` }] : []),
  ];
}
