// The revocation plan: for every key the policy selects, what would happen, which request would be made (redacted),
// whether it can be undone. Built without any network access; the dry run prints it and stops.
import { issuerBaseUrl } from '../config/load.js';
import type { KeyscopeConfig } from '../config/schema.js';
import { HttpClient, scrubText } from '../issuers/http.js';
import { credentialOf } from '../issuers/lookup.js';
import type { Credential, IssuerModule } from '../issuers/types.js';
import type { Finding, Revocation } from '../types.js';
import type { AuditLog, AuditRow } from './audit.js';
import { describePolicy, outsidePolicy, type Policy } from './policy.js';
import { getProvider } from './providers/index.js';
import { type Runbook, runbookFor } from './runbooks.js';
import type { RevokeProvider } from './types.js';

export type PlanKind = 'revoke' | 'manual' | 'already-revoked' | 'skipped';

export interface PlanItem {
  fingerprint: string;
  issuer: string;
  ruleId: string;
  redacted: string;
  severity: string;
  score: number;
  status: string;
  /** Every finding of this key (same fingerprint and issuer); all get the same revocation. */
  findings: Finding[];
  kind: PlanKind;
  action: Revocation['action'];
  provider?: RevokeProvider;
  cred?: Credential;
  base?: string;
  override?: string;
  /** Redacted requests (METHOD URL …). */
  requests: string[];
  reversible: boolean;
  /** Why manual or skipped. */
  reason?: string;
  runbook?: Runbook;
  /** The audit row that made this a no-op. */
  previous?: AuditRow;
}

export interface PlanInput {
  policy: Policy;
  config: KeyscopeConfig;
  env: NodeJS.ProcessEnv;
  audit?: AuditLog;
  /** Fingerprints whose secret could not be recovered from the report, with the reason. */
  missing?: Map<string, string>;
}

export interface Plan {
  items: PlanItem[];
  /** Findings the policy does not select, by reason. */
  outside: Map<string, number>;
  /** Keys the max_per_run brake held back. */
  braked: number;
}

/** A bare host or origin (Okta org, shop domain, Vault address): shown in plans, not a secret. */
const ADDRESS = /^(?:https?:\/\/)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?\/?$/i;

/** The values to scrub from texts about a key: the secret and its companions, except plain tenant addresses. */
export function secretValues(secret: string | undefined, companions: Record<string, string> | undefined): string[] {
  const out = secret ? [secret] : [];
  for (const v of Object.values(companions ?? {}))
    if (typeof v === 'string' && v && !ADDRESS.test(v.trim())) out.push(v);
  return out;
}

/** The pseudo issuer module a provider's requests are bound to: its revocation hosts are the allowlist. */
export function moduleOf(p: RevokeProvider): IssuerModule {
  return { id: p.issuer, name: p.name, hosts: p.hosts, rate: p.rate };
}

const planChecker = new HttpClient({ offline: true });

export function buildPlan(findings: Finding[], input: PlanInput): Plan {
  const { policy } = input;
  const outside = new Map<string, number>();
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const why = outsidePolicy(f, policy);
    if (why) {
      outside.set(why, (outside.get(why) ?? 0) + 1);
      continue;
    }
    const key = `${f.id}\u0000${f.issuer}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }

  const items: PlanItem[] = [];
  for (const group of groups.values()) items.push(planOne(group, input));
  // Highest risk first: when the brake holds keys back, the most dangerous ones are the ones revoked.
  items.sort((a, b) => b.score - a.score || a.fingerprint.localeCompare(b.fingerprint));
  let braked = 0;
  let taken = 0;
  for (const item of items) {
    if (item.kind !== 'revoke') continue;
    if (taken < policy.maxPerRun) {
      taken++;
      continue;
    }
    item.kind = 'skipped';
    item.action = 'none';
    item.reason = `held back by the max_per_run brake (${policy.maxPerRun}): more keys qualify than one run may revoke`;
    braked++;
  }
  return { items, outside, braked };
}

function planOne(group: Finding[], input: PlanInput): PlanItem {
  const f = group[0];
  const item: PlanItem = {
    fingerprint: f.id,
    issuer: f.issuer,
    ruleId: f.ruleId,
    redacted: f.redacted,
    severity: f.risk?.severity ?? 'info',
    score: f.risk?.score ?? 0,
    status: f.access?.status ?? 'unknown',
    findings: group,
    kind: 'revoke',
    action: 'revoke',
    requests: [],
    reversible: false,
  };
  const previous = input.audit?.lastRevoked(f.id, f.issuer);
  if (previous) {
    item.kind = 'already-revoked';
    item.action = 'none';
    item.previous = previous;
    item.reason = `already ${previous.outcome === 'revoked' ? 'revoked' : 'found revoked'} on ${previous.at} by ${previous.actor} (audit log): no-op`;
    return item;
  }
  const hasSecret = typeof f.secret === 'string' && f.secret.length > 0;
  const provider = getProvider(f.issuer);
  const manual = (reason: string) => {
    item.kind = 'manual';
    item.action = 'manual';
    item.reason = reason;
    item.runbook = runbookFor(f.issuer, hasSecret ? credentialOf(f) : { ...credentialOf(f), secret: '' });
    return item;
  };
  if (!provider) return manual(`${f.issuer} offers no API to revoke this key with the key itself`);
  if (!hasSecret) {
    item.kind = 'skipped';
    item.action = 'none';
    item.provider = provider;
    item.reason = `secret not recoverable: ${input.missing?.get(f.id) ?? 'the report has no secrets (write it with --show-secrets) and no occurrence could be read again'}`;
    item.runbook = runbookFor(f.issuer, { ...credentialOf(f), secret: '' });
    return item;
  }
  const cred = credentialOf(f);
  const override = issuerBaseUrl(input.config, provider.issuer, input.env)?.replace(/\/+$/, '');
  let base = override ?? provider.baseFor?.(cred) ?? (provider.defaultBaseUrl || undefined);
  base = base?.replace(/\/+$/, '');
  const why = provider.unsupported?.(cred, { base, overridden: override !== undefined });
  if (why) return manual(why);
  if (!base) return manual(`no ${provider.name} API address known for this key`);
  try {
    planChecker.checkAllowed(moduleOf(provider), `${base}/`, override);
  } catch (err) {
    return manual(`not sent: ${(err as Error).message}`);
  }
  item.provider = provider;
  item.cred = cred;
  item.base = base;
  item.override = override;
  item.action = provider.action ?? 'revoke';
  item.reversible = provider.reversible ?? false;
  const secrets = secretValues(cred.secret, cred.companions);
  item.requests = provider.plan(cred, base, override !== undefined).map((r) => scrubText(r, secrets));
  return item;
}

function counts(items: PlanItem[]): Record<PlanKind, number> {
  const c: Record<PlanKind, number> = { revoke: 0, manual: 0, 'already-revoked': 0, skipped: 0 };
  for (const i of items) c[i.kind]++;
  return c;
}

/** The plan as text for the terminal (stderr during scans, stdout for `keyscope revoke`). */
export function renderPlan(plan: Plan, ctx: { mode: 'dry-run' | 'execute' | 'offline'; policy: Policy }): string {
  const out: string[] = [];
  const head =
    ctx.mode === 'dry-run'
      ? 'keyscope revoke: DRY RUN, nothing is changed (pass --yes to revoke)'
      : ctx.mode === 'offline'
        ? 'keyscope revoke: OFFLINE, nothing is revoked and no request is sent'
        : 'keyscope revoke: revoking (--yes)';
  out.push(head, `policy: ${describePolicy(ctx.policy)}`);
  const c = counts(plan.items);
  out.push(
    `plan: ${c.revoke} to revoke through an API, ${c.manual} need manual revocation, ${c['already-revoked']} already revoked, ${c.skipped} skipped`,
  );
  const batched = new Map<string, number>();
  for (const i of plan.items)
    if (i.kind === 'revoke' && i.provider?.revokeMany) batched.set(i.issuer, (batched.get(i.issuer) ?? 0) + 1);
  let n = 0;
  for (const i of plan.items) {
    n++;
    const label = `${String(n).padStart(3)}. ${i.issuer} ${i.redacted} (fingerprint ${i.fingerprint}, ${i.severity} ${i.score}, ${i.status})`;
    out.push(label);
    if (i.kind === 'revoke') {
      const many = batched.get(i.issuer) ?? 0;
      for (const r of i.requests)
        out.push(
          `       ${i.action === 'deactivate' ? 'deactivate' : 'revoke'}: ${r}${many > 1 ? ` [batched with ${many - 1} other ${i.issuer} key${many === 2 ? '' : 's'}]` : ''}`,
        );
      out.push(
        `       ${i.reversible ? 'reversible (the key can be re-activated)' : 'irreversible: the key stops working for good'}`,
      );
    } else if (i.kind === 'manual') {
      out.push(`       manual: ${i.reason}`);
      if (i.runbook?.consoleUrl) out.push(`       console: ${i.runbook.consoleUrl}`);
      for (const [k, s] of (i.runbook?.steps ?? []).entries()) out.push(`       ${k + 1}. ${s}`);
    } else {
      out.push(`       ${i.kind}: ${i.reason}`);
    }
  }
  if (plan.braked) {
    out.push(
      `brake: ${plan.braked} more keys qualify than max_per_run=${ctx.policy.maxPerRun} allows; they are NOT revoked in this run`,
    );
  }
  for (const [why, k] of plan.outside) out.push(`outside the policy: ${k} finding${k === 1 ? '' : 's'} (${why})`);
  if (!plan.items.length) out.push('nothing to revoke: no finding matches the policy');
  return out.join('\n');
}
