// The [revoke] policy of keyscope.toml (DESIGN.md, fixed keys): which findings may be revoked at all.
import type { KeyscopeConfig } from '../config/schema.js';
import { type AccessStatus, type Finding, SEVERITIES, type Severity } from '../types.js';

export interface Policy {
  minSeverity: Severity;
  statuses: AccessStatus[];
  /** Allowlist of issuers; undefined = every issuer (those without an API get the runbook). */
  issuers?: string[];
  maxPerRun: number;
  environments?: ('production' | 'test' | 'unknown')[];
  /** False when keyscope.toml has no [revoke] table (the defaults apply). */
  configured: boolean;
}

export function policyFrom(config: KeyscopeConfig): Policy {
  const r = config.revoke;
  return {
    minSeverity: r?.min_severity ?? 'critical',
    statuses: r?.statuses ?? ['live'],
    issuers: r?.issuers,
    maxPerRun: r?.max_per_run ?? 50,
    environments: r?.environments,
    configured: r !== undefined,
  };
}

const rank = (s: Severity) => SEVERITIES.length - SEVERITIES.indexOf(s);

/** Why a finding is outside the policy, or undefined when the policy selects it. */
export function outsidePolicy(f: Finding, p: Policy): string | undefined {
  const severity = f.risk?.severity ?? 'info';
  if (rank(severity) < rank(p.minSeverity)) return `severity ${severity} is below ${p.minSeverity}`;
  const status = f.access?.status ?? 'unknown';
  if (!p.statuses.includes(status)) return `status ${status} is not in [${p.statuses.join(', ')}]`;
  if (p.issuers && !p.issuers.includes(f.issuer)) return `issuer ${f.issuer} is not in the revoke.issuers allowlist`;
  const env = f.access?.environment ?? 'unknown';
  if (p.environments && !p.environments.includes(env))
    return `environment ${env} is not in [${p.environments.join(', ')}]`;
  return undefined;
}

export function describePolicy(p: Policy): string {
  const parts = [
    `min_severity=${p.minSeverity}`,
    `statuses=[${p.statuses.join(', ')}]`,
    `issuers=${p.issuers ? `[${p.issuers.join(', ')}]` : '(every issuer)'}`,
    `max_per_run=${p.maxPerRun}`,
  ];
  if (p.environments) parts.push(`environments=[${p.environments.join(', ')}]`);
  return `${parts.join(' ')}${p.configured ? '' : ' (defaults: no [revoke] table in the config)'}`;
}
