import { describe, expect, it } from 'vitest';
import { scoreFinding } from '../../src/risk/index.js';
import { rankingContext, rankingSet } from './fixtures/ranking.js';

// The ranking bar of issue 5: ≥ 95% pair agreement with the hand ranking, and every live admin or
// org-wide key (group A) strictly above every read-only (R) or dead (D) one.

describe('ranking against a hand-ranked set', () => {
  const set = rankingSet().map((r) => ({ ...r, risk: scoreFinding(r.finding, rankingContext) }));

  it('holds about 30 findings in every group', () => {
    expect(set.length).toBeGreaterThanOrEqual(30);
    for (const g of ['A', 'W', 'U', 'R', 'T', 'D', 'P']) expect(set.some((s) => s.group === g)).toBe(true);
  });

  it('agrees with the hand ranking on at least 95% of ordered pairs', () => {
    let agree = 0;
    let total = 0;
    const disagreements: string[] = [];
    for (const a of set)
      for (const b of set) {
        if (a.rank >= b.rank) continue;
        total++;
        if (a.risk.score > b.risk.score) agree++;
        else disagreements.push(`${a.name} (${a.risk.score}) ≤ ${b.name} (${b.risk.score})`);
      }
    const ratio = agree / total;
    expect(total).toBeGreaterThan(300);
    expect(ratio, disagreements.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('puts every live admin or org-wide key above every read-only or dead key', () => {
    const top = set.filter((s) => s.group === 'A');
    const low = set.filter((s) => s.group === 'R' || s.group === 'D');
    const minTop = Math.min(...top.map((s) => s.risk.score));
    const maxLow = Math.max(...low.map((s) => s.risk.score));
    expect(minTop).toBeGreaterThan(maxLow);
  });

  it('gives live admin keys in public repositories the critical band and dead keys low or info, never 0', () => {
    for (const s of set.filter((x) => x.rank === 1)) expect(s.risk.severity).toBe('critical');
    for (const s of set.filter((x) => x.group === 'D')) {
      expect(['low', 'info']).toContain(s.risk.severity);
      expect(s.risk.score).toBeGreaterThan(0);
    }
  });

  it('scores offline-only AWS key id + secret and private keys high', () => {
    for (const name of ['unverified AWS key id + secret, offline only', 'unverified RSA private key, offline']) {
      const s = set.find((x) => x.name === name)!;
      expect(s.risk.severity, name).toBe('high');
    }
  });

  it('is deterministic: same input, same risk', () => {
    const again = rankingSet().map((r) => scoreFinding(r.finding, rankingContext));
    // The factory seeds differ between calls, so compare scores, reasons and tags (not secrets).
    expect(again.map((r) => [r.score, r.severity, r.nhi])).toEqual(
      set.map((s) => [s.risk.score, s.risk.severity, s.risk.nhi]),
    );
    const one = set[0];
    expect(scoreFinding(one.finding, rankingContext)).toEqual(scoreFinding(one.finding, rankingContext));
  });
});
