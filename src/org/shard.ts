import { createHash } from 'node:crypto';

// `--shard K/N`: a deterministic share of the repositories by name, so N jobs of a CI matrix (or a Kubernetes
// Indexed Job) split the org without talking to each other. The share depends on owner/name alone (lower-cased:
// GitHub names are case-insensitive), never on the listing order or on how many repositories there are.

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new Error(`--shard takes K/N, e.g. 3/16 (got ${JSON.stringify(spec)})`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${spec}: K must be between 1 and N`);
  return { index, count };
}

export function shardLabel(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** Which shard (1-based) a repository belongs to among `count`. */
export function shardOf(fullName: string, count: number): number {
  const h = createHash('sha256').update(fullName.toLowerCase()).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(fullName: string, s: Shard | undefined): boolean {
  return !s || s.count === 1 || shardOf(fullName, s.count) === s.index;
}
