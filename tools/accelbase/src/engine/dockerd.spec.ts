import { describe, expect, it } from 'vitest';
import { DAEMON_CONFIG, daemonJson } from './dockerd.js';

describe('daemon.json', () => {
  it('is exactly the network-free configuration', () => {
    expect(daemonJson()).toBe(
      '{"features":{"containerd-snapshotter":true},"bridge":"none","iptables":false,"ip-masq":false,"ip6tables":false}\n',
    );
    expect(JSON.parse(daemonJson())).toEqual(DAEMON_CONFIG);
  });
});
