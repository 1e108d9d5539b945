import type { KeyscopeConfig } from '../config/schema.js';
import type { Finding, Risk } from '../types.js';
import { adviseFor } from './advice.js';
import { combine, computeFactors } from './factors.js';
import { gatherFacts } from './facts.js';
import { nhiFor } from './nhi.js';
import { buildReasons } from './reasons.js';
import { type RiskContext, type RiskWeights, resolveWeights, severityOf } from './types.js';

// score = 100 × Π factor^weight; severity from the bands in types.ts. Pure: same finding + context → same Risk.

export function scoreFinding(finding: Finding, ctx: RiskContext = {}, weights?: RiskWeights): Risk {
  const w = weights ?? resolveWeights(ctx.weights);
  const facts = gatherFacts(finding, ctx);
  const factors = computeFactors(facts, w);
  const score = combine(factors);
  const tags = nhiFor(facts);
  return {
    score,
    severity: severityOf(score),
    reasons: buildReasons(facts, tags),
    nhi: tags.nhi,
    controls: tags.controls,
    factors,
    recommendation: adviseFor(facts),
  };
}

/** Sets `risk` on every finding (in place) and returns them in a new array sorted by score (ties: issuer, rule, id). */
export function scoreAll(findings: Finding[], ctx: RiskContext = {}): Finding[] {
  const w = resolveWeights(ctx.weights);
  // Fix `now` once so every finding of a run is scored against the same instant.
  const fixed: RiskContext = { ...ctx, now: ctx.now ?? new Date() };
  for (const f of findings) f.risk = scoreFinding(f, fixed, w);
  return [...findings].sort(compareByRisk);
}

export function compareByRisk(a: Finding, b: Finding): number {
  const d = (b.risk?.score ?? 0) - (a.risk?.score ?? 0);
  if (d) return d;
  return a.issuer.localeCompare(b.issuer) || a.ruleId.localeCompare(b.ruleId) || a.id.localeCompare(b.id);
}

/** Builds the context from keyscope.toml: `[risk.weights]` and `[risk] visibility`. */
export function riskContextFromConfig(config: Pick<KeyscopeConfig, 'risk'>, extra: RiskContext = {}): RiskContext {
  const weights = { ...(config.risk?.weights ?? {}), ...(extra.weights ?? {}) };
  resolveWeights(weights);
  return { ...extra, weights, visibility: extra.visibility ?? config.risk?.visibility };
}
