import type { RiskFactor } from '../types.js';
import type { Facts } from './facts.js';
import type { FactorName, RiskWeights } from './types.js';

// The six factors. Each maps facts to a value in (0, 1], 1 = the worst case for that factor;
// the score is 100 × Π value^weight (see docs/risk.md for every number below and why).

export const LIVENESS_VALUE = { live: 1, unknown: 0.8, skipped: 0.8, inactive: 0.25, invalid: 0.15 } as const;
export const ENVIRONMENT_VALUE = { production: 1, unknown: 0.95, unknownTestPaths: 0.85, test: 0.25 } as const;
export const LIFETIME_VALUE = {
  never: 1,
  long: 0.97,
  unknown: 0.93,
  within90: 0.9,
  within30: 0.85,
  within7: 0.82,
  short: 0.8,
  expired: 0.4,
} as const;
export const VISIBILITY_VALUE = { public: 1, internal: 0.9, unknown: 0.92, private: 0.87, privateForked: 0.9 } as const;
export const PRESENCE_VALUE = { head: 1, historyOnly: 0.95 } as const;
export const SPREAD_VALUE = { one: 0.95, two: 0.98, many: 1 } as const;
export const AGE_VALUE = { year: 1, month: 0.98, recent: 0.96, unknown: 0.98 } as const;
/** Breadth = BREADTH_MIN + (1 − BREADTH_MIN) × min(1, log10(1 + N) / 3), N = leaves + CONTAINER_WEIGHT × containers. */
export const BREADTH_MIN = 0.75;
export const CONTAINER_WEIGHT = 200;

export function breadthValue(leaves: number, containers: number): number {
  const n = leaves + CONTAINER_WEIGHT * containers;
  return BREADTH_MIN + (1 - BREADTH_MIN) * Math.min(1, Math.log10(1 + n) / 3);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

type Computed = { value: number; detail: string };

function privilege(f: Facts): Computed {
  const p = f.privilege;
  const lv = p.level ?? 'unknown';
  const src = p.source === 'prior' ? `assumed for a ${f.prior.label}` : `from ${p.source}`;
  return { value: p.value, detail: `${lv} (${src})` };
}

function breadth(f: Facts): Computed {
  const r = f.reach;
  if (!r.known) {
    return { value: f.prior.breadth, detail: f.prior.accountWide ? 'account-wide by kind of key' : 'reach unknown' };
  }
  return { value: breadthValue(r.leaves, r.containers), detail: r.parts.join(', ') || 'no resources' };
}

function liveness(f: Facts): Computed {
  const value = LIVENESS_VALUE[f.status];
  const detail = f.finding.access ? `${f.status} (${f.finding.access.source})` : 'not looked up';
  return { value, detail };
}

function environment(f: Facts): Computed {
  const e = f.env;
  if (e.environment === 'production') return { value: ENVIRONMENT_VALUE.production, detail: 'production' };
  if (e.environment === 'test') return { value: ENVIRONMENT_VALUE.test, detail: 'test/sandbox' };
  if (e.onlyTestPaths)
    return { value: ENVIRONMENT_VALUE.unknownTestPaths, detail: 'unknown, only in test/example paths' };
  return { value: ENVIRONMENT_VALUE.unknown, detail: 'unknown' };
}

function lifetime(f: Facts): Computed {
  const l = f.lifetime;
  switch (l.kind) {
    case 'never':
      return { value: LIFETIME_VALUE.never, detail: 'never expires' };
    case 'long':
      return { value: LIFETIME_VALUE.long, detail: l.expiresAt ? `expires ${l.expiresAt}` : 'long-lived' };
    case 'expires': {
      const d = l.daysLeft ?? 0;
      const v = d <= 7 ? LIFETIME_VALUE.within7 : d <= 30 ? LIFETIME_VALUE.within30 : LIFETIME_VALUE.within90;
      return { value: v, detail: `expires in ${d} days (${l.expiresAt})` };
    }
    case 'short':
      return { value: LIFETIME_VALUE.short, detail: 'short-lived' };
    case 'expired':
      return { value: LIFETIME_VALUE.expired, detail: `expired ${l.expiresAt}` };
    default:
      return { value: LIFETIME_VALUE.unknown, detail: 'expiry unknown' };
  }
}

function exposure(f: Facts): Computed {
  const x = f.exposure;
  const vis =
    x.visibility === 'public'
      ? VISIBILITY_VALUE.public
      : x.visibility === 'internal'
        ? VISIBILITY_VALUE.internal
        : x.visibility === 'private'
          ? x.forks > 0
            ? VISIBILITY_VALUE.privateForked
            : VISIBILITY_VALUE.private
          : VISIBILITY_VALUE.unknown;
  const presence = x.inHead === false ? PRESENCE_VALUE.historyOnly : PRESENCE_VALUE.head;
  const n = x.places.length;
  const spread = n >= 3 || x.repos.length >= 2 ? SPREAD_VALUE.many : n === 2 ? SPREAD_VALUE.two : SPREAD_VALUE.one;
  const age =
    x.leakAgeDays === undefined
      ? AGE_VALUE.unknown
      : x.leakAgeDays >= 365
        ? AGE_VALUE.year
        : x.leakAgeDays >= 30
          ? AGE_VALUE.month
          : AGE_VALUE.recent;
  const bits = [
    `${x.visibility ?? 'unknown visibility'}${x.forks ? `, ${x.forks} forks` : ''}`,
    x.inHead === false ? 'history only' : 'in HEAD',
    `${n} place${n === 1 ? '' : 's'}${x.repos.length > 1 ? ` in ${x.repos.length} repositories` : ''}`,
  ];
  if (x.firstSeen) bits.push(`since ${x.firstSeen}`);
  return { value: vis * presence * spread * age, detail: bits.join('; ') };
}

const COMPUTE: Record<FactorName, (f: Facts) => Computed> = {
  privilege,
  breadth,
  liveness,
  environment,
  lifetime,
  exposure,
};

export function computeFactors(f: Facts, weights: RiskWeights): RiskFactor[] {
  return (Object.keys(COMPUTE) as FactorName[]).map((name) => {
    const c = COMPUTE[name](f);
    return { name, value: round3(c.value), weight: weights[name], detail: c.detail };
  });
}

/** 100 × Π value^weight, rounded; at least 1 (a leaked key is never worth nothing). */
export function combine(factors: RiskFactor[]): number {
  let p = 1;
  for (const f of factors) p *= Math.max(f.value, 0.001) ** f.weight;
  return Math.max(1, Math.min(100, Math.round(100 * p)));
}
