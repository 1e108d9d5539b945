import type { Severity } from '../types.js';

// Inputs of the risk model beside the finding itself. Everything that changes a score is in here,
// so the same finding with the same context always gets the same score.

export const FACTOR_NAMES = ['privilege', 'breadth', 'liveness', 'environment', 'lifetime', 'exposure'] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

/** Exponents of the factor values: 0 turns a factor off, 1 is the documented default, 2 doubles its pull. */
export type RiskWeights = Record<FactorName, number>;

export const DEFAULT_WEIGHTS: Readonly<RiskWeights> = Object.freeze({
  privilege: 1,
  breadth: 1,
  liveness: 1,
  environment: 1,
  lifetime: 1,
  exposure: 1,
});

export type Visibility = 'public' | 'private' | 'internal';

/** What the world can see of one repository (GitHub API, or `[risk] visibility` in keyscope.toml). */
export interface RepoExposure {
  visibility?: Visibility;
  forks?: number;
  defaultBranch?: string;
  archived?: boolean;
}

/** Exposure of the scanned repositories. `default` applies to occurrences without a listed repo. */
export interface ExposureContext {
  default?: RepoExposure;
  /** Org scans: keyed by `Occurrence.repo` (owner/name). */
  repos?: Record<string, RepoExposure>;
}

/** What the rule catalog knows about a rule (its base severity), for findings no lookup could refine. */
export interface RuleInfo {
  severity?: Severity;
  tokenType?: string;
  description?: string;
}

export interface RiskContext {
  /** Partial overrides of DEFAULT_WEIGHTS (keyscope.toml `[risk.weights]`). */
  weights?: Partial<Record<string, number>>;
  /** The reference time for ages and expiries. Pass it for reproducible scores; defaults to the clock. */
  now?: Date | string;
  exposure?: ExposureContext;
  /** Shorthand for `exposure.default.visibility` (keyscope.toml `[risk] visibility`); exposure data wins. */
  visibility?: Visibility;
  ruleInfo?: (ruleId: string) => RuleInfo | undefined;
}

export class RiskConfigError extends Error {}

/** Merges overrides into the defaults; an unknown factor name is an error (a typo must not pass silently). */
export function resolveWeights(overrides: Partial<Record<string, number>> | undefined): RiskWeights {
  const w: RiskWeights = { ...DEFAULT_WEIGHTS };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (!(FACTOR_NAMES as readonly string[]).includes(name)) {
      throw new RiskConfigError(`risk.weights.${name}: unknown factor (known: ${FACTOR_NAMES.join(', ')})`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RiskConfigError(`risk.weights.${name}: must be a number ≥ 0, got ${String(value)}`);
    }
    w[name as FactorName] = value;
  }
  return w;
}

/** Severity bands over the 0–100 score. */
export const SEVERITY_BANDS: readonly { severity: Severity; min: number }[] = [
  { severity: 'critical', min: 75 },
  { severity: 'high', min: 50 },
  { severity: 'medium', min: 30 },
  { severity: 'low', min: 15 },
  { severity: 'info', min: 0 },
];

export function severityOf(score: number): Severity {
  for (const band of SEVERITY_BANDS) if (score >= band.min) return band.severity;
  return 'info';
}
