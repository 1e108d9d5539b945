import { describe, expect, it } from 'vitest';
import { diffSinceLastScan, knownOf } from '../../src/org/diff.js';
import type { KnownFinding } from '../../src/org/state.js';
import type { Finding } from '../../src/types.js';

// New/resolved since the last completed run of a scope.

function finding(id: string, status?: 'live' | 'inactive' | 'invalid' | 'unknown', repos = ['acme/a']): Finding {
  return {
    id,
    ruleId: 'github-classic-pat',
    issuer: 'github',
    secret: '',
    redacted: `ghp_${id}…`,
    checksum: 'valid',
    entropy: 4,
    occurrences: repos.map((repo) => ({ file: 'x', line: 1, column: 1, repo })),
    ...(status ? { access: { status, source: 'issuer' as const, checkedAt: '2024-01-01T00:00:00Z' } } : {}),
  };
}

function known(f: Finding, status: 'open' | 'resolved' = 'open'): [string, KnownFinding] {
  return [f.id, { ...knownOf(f), status, firstSeen: 't', lastSeen: 't' }];
}

describe('diffSinceLastScan', () => {
  it('first run: everything is new, nothing resolved', () => {
    const d = diffSinceLastScan([finding('b'), finding('a')], new Map());
    expect(d).toEqual({ newSinceLastScan: ['a', 'b'], resolvedSinceLastScan: [] });
  });

  it('new = not open last time (never seen, or resolved and back); gone keys are resolved', () => {
    const prev = new Map([known(finding('kept')), known(finding('gone')), known(finding('back'), 'resolved')]);
    const d = diffSinceLastScan([finding('kept'), finding('back'), finding('fresh')], prev);
    expect(d.newSinceLastScan).toEqual(['back', 'fresh']);
    expect(d.resolvedSinceLastScan).toEqual([{ id: 'gone', redacted: 'ghp_gone…', issuer: 'github', reason: 'gone' }]);
  });

  it('a key still present but now inactive or invalid is resolved once, not again the next night', () => {
    const prev = new Map([
      known(finding('k1', 'live')),
      known(finding('k2', 'unknown')),
      known(finding('k3', 'inactive')),
    ]);
    const d = diffSinceLastScan([finding('k1', 'inactive'), finding('k2', 'invalid'), finding('k3', 'inactive')], prev);
    expect(d.resolvedSinceLastScan.map((r) => [r.id, r.reason])).toEqual([
      ['k1', 'inactive'],
      ['k2', 'invalid'],
    ]);
    expect(d.newSinceLastScan).toEqual([]);
  });

  it('remembers which repositories hold each key', () => {
    expect(knownOf(finding('x', 'live', ['acme/b', 'acme/a', 'acme/b'])).repos).toEqual(['acme/a', 'acme/b']);
  });
});
