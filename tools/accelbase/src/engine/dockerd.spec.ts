import { describe, expect, it } from 'vitest';
import { DAEMON_CONFIG, daemonJson } from './dockerd.js';

describe('daemon.json', () => {
  it('is exactly the network-free configuration, with a bounded build cache', () => {
    expect(daemonJson()).toBe(
      '{"features":{"containerd-snapshotter":true},"bridge":"none","iptables":false,"ip-masq":false,"ip6tables":false,"builder":{"gc":{"enabled":true,"defaultKeepStorage":"24GB"}}}\n',
    );
    expect(JSON.parse(daemonJson())).toEqual(DAEMON_CONFIG);
  });
});
