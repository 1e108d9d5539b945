import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/org/shard.js';

// --shard K/N: every repository in exactly one shard, chosen by its name alone.

const names = Array.from({ length: 400 }, (_, i) => `acme/repo-${i}`);

describe('shards', () => {
  it('parses K/N and rejects the rest', () => {
    expect(parseShard('3/16')).toEqual({ index: 3, count: 16 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3', '-1/4'])
      expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });

  it('puts every repository in exactly one of N shards, roughly evenly', () => {
    for (const n of [1, 2, 4, 7, 16]) {
      const counts = new Array(n).fill(0);
      for (const name of names) {
        const owners = Array.from({ length: n }, (_, k) => k + 1).filter((k) => inShard(name, { index: k, count: n }));
        expect(owners).toHaveLength(1);
        counts[owners[0] - 1]++;
      }
      const mean = names.length / n;
      for (const c of counts) expect(Math.abs(c - mean)).toBeLessThan(mean * 0.5 + 5);
    }
  });

  it('depends on the name only: not on order, on the other repositories, or on case', () => {
    const before = names.map((x) => shardOf(x, 8));
    const after = [...names]
      .reverse()
      .map((x) => shardOf(x, 8))
      .reverse();
    expect(after).toEqual(before);
    expect(shardOf('ACME/Repo-7', 8)).toBe(shardOf('acme/repo-7', 8));
    // Golden values: a change of the hash would silently reshuffle every CI matrix (and its cached state).
    expect([shardOf('acme/api', 4), shardOf('acme/web', 4), shardOf('octo/hello-world', 16)]).toEqual([1, 3, 15]);
  });
});
