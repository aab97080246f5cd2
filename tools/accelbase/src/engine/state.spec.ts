import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { formatState, parseState, type EngineState } from './state.js';

describe('state file', () => {
  const state: EngineState = {
    version: 1,
    managed: true,
    dockerHost: 'unix:///e/docker.sock',
    client: '/e/prefix/usr/bin/docker',
    socket: '/e/docker.sock',
    registryUrl: 'http://127.0.0.1:5000',
    pids: { dockerd: 1234, containerd: 1240, registry: 1300 },
    startedAt: '2026-01-01T00:00:00.000Z',
  };

  it('round-trips', () => {
    expect(parseState(formatState(state))).toEqual(state);
  });

  it('rejects what it cannot trust', () => {
    expect(() => parseState('{')).toThrow(UserError);
    expect(() => parseState(JSON.stringify({ ...state, version: 2 }))).toThrow(/version/);
    expect(() => parseState(JSON.stringify({ ...state, pids: { dockerd: 1 } }))).toThrow(/pid dockerd/);
    expect(() => parseState(JSON.stringify({ ...state, pids: { dockerd: '12' } }))).toThrow(/pid dockerd/);
    expect(() => parseState(JSON.stringify({ ...state, managed: 'yes' }))).toThrow(/managed/);
  });
});
