// The revocation run: policy → plan → (dry run: print and stop | --yes: revoke, look each key up again, record) →
// audit log → optional notification. Used by `keyscope revoke REPORT.json` and by `--revoke` on scan/history/org.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { KeyscopeConfig } from '../config/schema.js';
import { HttpClient, type HttpClientOptions, scrubText } from '../issuers/http.js';
import { lookupFindings, makeClient } from '../issuers/lookup.js';
import type { Credential } from '../issuers/types.js';
import type { AccessStatus, Finding, Report, Revocation } from '../types.js';
import { AuditLog, currentActor, DEFAULT_AUDIT_LOG, DEFAULT_DB, type RunMode } from './audit.js';
import { notify, type RunSummary, type SummaryItem } from './notify.js';
import { buildPlan, moduleOf, type Plan, type PlanItem, renderPlan, secretValues } from './plan.js';
import { type Policy, policyFrom } from './policy.js';
import { runbookFor, runbookLines } from './runbooks.js';
import type { ManyContext, RevokeResult } from './types.js';

export interface RevokeOptions {
  /** Execute; without it the run is a dry run. */
  yes: boolean;
  /** No network at all: nothing is revoked, and the run says so. */
  offline: boolean;
  config: KeyscopeConfig;
  /** SQLite store for the audit log (default .keyscope/keyscope.db). */
  db?: string;
  /** JSON-lines audit log (default: config revoke.audit_log, else .keyscope/audit.jsonl). */
  auditLog?: string;
  env?: NodeJS.ProcessEnv;
  /** A shared client, or options for a new one (tests shorten timeouts). */
  http?: HttpClient | Partial<HttpClientOptions>;
  /** When the keys were detected (the report's generatedAt); a finding's own `firstSeen` wins. */
  detectedAt?: string;
  /** Waits before looking a still-live key up again, for issuers whose revocation takes a moment (GitHub 202). */
  verifyDelaysMs?: number[];
  /** Where the plan and results are printed (default stderr). */
  print?: (text: string) => void;
  /** Fingerprints whose secret could not be recovered, with the reason (from recoverSecrets). */
  missing?: Map<string, string>;
  actor?: string;
  now?: () => Date;
}

export interface RevokeRunResult {
  runId: string;
  mode: RunMode;
  policy: Policy;
  plan: Plan;
  summary: RunSummary;
  notes: string[];
  /** HTTP requests this run sent (revocations, verifications, notifications). */
  requests: number;
}

interface Attempt {
  item: PlanItem;
  result: RevokeResult;
  at: Date;
  verified?: AccessStatus;
  verifyNote?: string;
}

const DEFAULT_VERIFY_DELAYS = [2000, 5000];

function secretsOf(item: PlanItem): string[] {
  const f = item.findings[0];
  return secretValues(f.secret, f.companions);
}

function detectedAtOf(f: Finding, fallback: Date): number {
  const own = (f as Finding & { firstSeen?: unknown }).firstSeen;
  const t = typeof own === 'string' ? Date.parse(own) : Number.NaN;
  return Number.isNaN(t) ? fallback.getTime() : t;
}

function setRevocation(item: PlanItem, r: Revocation): void {
  for (const f of item.findings) f.revocation = structuredClone(r);
}

export async function revokeFindings(findings: Finding[], opts: RevokeOptions): Promise<RevokeRunResult> {
  const now = opts.now ?? (() => new Date());
  const env = opts.env ?? process.env;
  const print = opts.print ?? ((t: string) => process.stderr.write(`${t}\n`));
  const mode: RunMode = opts.offline ? 'offline' : opts.yes ? 'execute' : 'dry-run';
  const policy = policyFrom(opts.config);
  const runId = `${now().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const actor = opts.actor ?? currentActor(env);
  const audit = new AuditLog({
    dbFile: opts.db ?? DEFAULT_DB,
    jsonlFile: opts.auditLog ?? opts.config.revoke?.audit_log ?? DEFAULT_AUDIT_LOG,
    runId,
    actor,
    mode,
    now,
  });
  const client = opts.http instanceof HttpClient ? opts.http : makeClient(opts.config, opts.offline, opts.http ?? {});
  const before = client.requests;
  const startedAt = now();
  const detectedFallback =
    opts.detectedAt && !Number.isNaN(Date.parse(opts.detectedAt)) ? new Date(opts.detectedAt) : startedAt;

  const plan = buildPlan(findings, { policy, config: opts.config, env, audit, missing: opts.missing });
  print(renderPlan(plan, { mode, policy }));

  // Every planned action is recorded, whatever the mode.
  audit.batch(() => {
    for (const item of plan.items) {
      audit.record(
        {
          fingerprint: item.fingerprint,
          issuer: item.issuer,
          ruleId: item.ruleId,
          redacted: item.redacted,
          action: 'plan',
          request: item.requests.join('; ') || undefined,
          outcome: item.kind === 'revoke' ? 'planned' : item.kind,
          detail: item.reason ?? (item.reversible ? 'reversible' : item.kind === 'revoke' ? 'irreversible' : undefined),
        },
        secretsOf(item),
      );
    }
  });

  const at = () => now().toISOString();
  for (const item of plan.items) {
    if (item.kind === 'manual') {
      setRevocation(item, {
        action: 'manual',
        result: 'manual',
        at: at(),
        detail: item.reason,
        runbook: item.runbook ? runbookLines(item.runbook) : undefined,
      });
    } else if (item.kind === 'already-revoked') {
      setRevocation(item, { action: 'none', result: 'already-revoked', at: at(), detail: item.reason });
      if (mode === 'execute') {
        audit.record({
          fingerprint: item.fingerprint,
          issuer: item.issuer,
          ruleId: item.ruleId,
          redacted: item.redacted,
          action: 'revoke',
          outcome: 'already-revoked',
          detail: item.reason,
        });
      }
    } else if (item.kind === 'skipped') {
      setRevocation(item, {
        action: 'none',
        result: 'skipped',
        at: at(),
        detail: item.reason,
        runbook: item.runbook ? runbookLines(item.runbook) : undefined,
      });
    } else {
      const detail =
        mode === 'offline'
          ? 'offline: nothing revoked, no request sent'
          : `planned (dry run): ${item.requests.join('; ')}`;
      setRevocation(item, {
        action: item.action,
        result: mode === 'offline' ? 'skipped' : 'planned',
        at: at(),
        detail,
        request: item.requests.join('; '),
        reversible: item.reversible,
      });
      if (mode === 'offline') {
        audit.record(
          {
            fingerprint: item.fingerprint,
            issuer: item.issuer,
            ruleId: item.ruleId,
            redacted: item.redacted,
            action: 'skip',
            outcome: 'skipped',
            detail,
          },
          secretsOf(item),
        );
      }
    }
  }

  const notes: string[] = [];
  if (mode === 'offline' && plan.items.some((i) => i.kind === 'revoke'))
    notes.push('offline: nothing was revoked and no request was sent');
  if (mode !== 'execute') {
    if (notes.length) print(notes.join('\n'));
    return finish();
  }

  // Execute.
  const toRevoke = plan.items.filter((i) => i.kind === 'revoke');
  const attempts = await execute(toRevoke);
  await verify(attempts);

  const lines: string[] = [];
  // One transaction for the outcome rows: a bulk revocation records thousands.
  audit.batch(() => {
    for (const a of attempts) {
      const { item, result } = a;
      let outcome: Revocation['result'] = result.outcome;
      let detail = result.detail;
      if ((outcome === 'revoked' || outcome === 'already-revoked') && a.verified === 'live') {
        outcome = 'failed';
        detail = `${result.detail}, but a lookup right after still finds the key live`;
      } else if (a.verified === 'inactive' || a.verified === 'invalid') {
        detail = `${result.detail}; confirmed: a lookup now says ${a.verified}`;
      } else if (outcome !== 'failed') {
        detail = `${result.detail}; not confirmed by a lookup (${a.verifyNote ?? a.verified ?? 'no lookup'})`;
      }
      const f0 = item.findings[0];
      const seconds =
        outcome === 'revoked'
          ? Math.max(0, Math.round((a.at.getTime() - detectedAtOf(f0, detectedFallback)) / 100) / 10)
          : undefined;
      const secrets = secretsOf(item);
      const clean = (s: string) => scrubText(s, secrets);
      const rev: Revocation = {
        action: item.action,
        result: outcome,
        at: a.at.toISOString(),
        detail: clean(detail),
        request: result.request ? clean(result.request) : item.requests.join('; '),
        reversible: item.reversible,
        ...(result.status !== undefined ? { httpStatus: result.status } : {}),
        ...(a.verified ? { verified: a.verified } : {}),
        ...(seconds !== undefined ? { secondsToRevoke: seconds } : {}),
      };
      if (outcome === 'failed' && item.provider) {
        // A failed revocation still leaves the key exposed: say how to do it by hand.
        rev.runbook = runbookLines(runbookFor(item.issuer, item.cred!));
      }
      setRevocation(item, rev);
      audit.record(
        {
          fingerprint: item.fingerprint,
          issuer: item.issuer,
          ruleId: item.ruleId,
          redacted: item.redacted,
          action: item.action === 'deactivate' ? 'deactivate' : 'revoke',
          request: rev.request,
          status: result.status,
          outcome,
          detail: rev.detail,
          secondsToRevoke: seconds,
        },
        secrets,
      );
      if (a.verified || a.verifyNote) {
        audit.record(
          {
            fingerprint: item.fingerprint,
            issuer: item.issuer,
            ruleId: item.ruleId,
            redacted: item.redacted,
            action: 'verify',
            outcome: a.verified ?? 'unknown',
            detail: a.verifyNote,
          },
          secrets,
        );
      }
      lines.push(
        `  ${item.issuer} ${item.redacted} (${item.fingerprint}): ${outcome}: ${rev.detail}${seconds !== undefined ? ` [${seconds}s after detection]` : ''}`,
      );
    }
  });
  if (lines.length) print(['results:', ...lines].join('\n'));
  return finish(attempts.length > 0);

  async function finish(executed = false): Promise<RevokeRunResult> {
    const items: SummaryItem[] = plan.items.map((i) => {
      const r = i.findings[0].revocation!;
      return {
        fingerprint: i.fingerprint,
        issuer: i.issuer,
        redacted: i.redacted,
        result: r.result,
        secondsToRevoke: r.secondsToRevoke,
      };
    });
    const counts: RunSummary['counts'] = {};
    for (const i of items) counts[i.result] = (counts[i.result] ?? 0) + 1;
    const summary: RunSummary = { tool: 'keyscope', event: 'revocation', runId, actor, mode, at: at(), counts, items };
    if (executed && opts.config.revoke?.notify) {
      const sent = await notify(opts.config.revoke.notify, summary, client);
      for (const s of sent) {
        notes.push(s);
        audit.record({
          fingerprint: '-',
          issuer: '-',
          action: 'notify',
          outcome: /sent/.test(s) ? 'sent' : 'failed',
          detail: s,
        });
      }
      if (sent.length) print(sent.join('\n'));
    }
    return { runId, mode, policy, plan, summary, notes, requests: client.requests - before };
  }

  async function execute(items: PlanItem[]): Promise<Attempt[]> {
    const attempts: Attempt[] = [];
    const failWith = (item: PlanItem, err: unknown): Attempt => ({
      item,
      at: now(),
      result: {
        outcome: 'failed',
        detail: `revocation failed: ${scrubText((err as Error).message, secretsOf(item))}`,
        request: item.requests.join('; '),
      },
    });
    // Bulk providers (GitHub) get all their keys at once, per base URL.
    const bulk = new Map<string, PlanItem[]>();
    const single: PlanItem[] = [];
    for (const i of items) {
      if (i.provider?.revokeMany) {
        const k = `${i.issuer}\u0000${i.base}`;
        const g = bulk.get(k);
        if (g) g.push(i);
        else bulk.set(k, [i]);
      } else single.push(i);
    }
    for (const group of bulk.values()) {
      const p = group[0].provider!;
      const ctx: ManyContext = {
        bind: (secrets) =>
          client.bind(
            moduleOf(p),
            {
              secret: secrets[0] ?? '',
              companions: Object.fromEntries(secrets.slice(1).map((s, k) => [`t${k}`, s])),
              fingerprint: `batch:${p.issuer}`,
            },
            group[0].override,
            'revoke',
          ),
        base: group[0].base!,
        overridden: group[0].override !== undefined,
        env,
        budget: audit,
      };
      let results: Map<string, RevokeResult>;
      try {
        results = await p.revokeMany!(group.map((i) => i.cred!) as Credential[], ctx);
      } catch (err) {
        for (const i of group) attempts.push(failWith(i, err));
        continue;
      }
      const t = now();
      // One answer covers the whole batch: it may quote any key of it, and each item is later scrubbed of its own only.
      const batchSecrets = group.flatMap(secretsOf);
      for (const i of group) {
        const r = results.get(i.fingerprint) ?? {
          outcome: 'failed' as const,
          detail: 'the issuer gave no answer for this key',
        };
        const detail = scrubText(r.detail, batchSecrets);
        const request = r.request === undefined ? undefined : scrubText(r.request, batchSecrets);
        attempts.push({ item: i, result: { ...r, detail, ...(request === undefined ? {} : { request }) }, at: t });
      }
    }
    const limit = pLimit(4);
    await Promise.all(
      single.map((i) =>
        limit(async () => {
          try {
            const http = client.bind(moduleOf(i.provider!), i.cred!, i.override, 'revoke');
            const r = await i.provider!.revoke(i.cred!, {
              http,
              base: i.base!,
              overridden: i.override !== undefined,
              env,
            });
            attempts.push({ item: i, result: r, at: now() });
          } catch (err) {
            attempts.push(failWith(i, err));
          }
        }),
      ),
    );
    const order = new Map(items.map((i, k) => [i, k]));
    return attempts.sort((a, b) => order.get(a.item)! - order.get(b.item)!);
  }

  /** Looks every revoked key up again: it must now be inactive or invalid. */
  async function verify(attempts: Attempt[]): Promise<void> {
    let pending = attempts.filter((a) => a.result.outcome !== 'failed');
    const delays = [0, ...(opts.verifyDelaysMs ?? DEFAULT_VERIFY_DELAYS)];
    for (let round = 0; round < delays.length && pending.length; round++) {
      if (delays[round]) await new Promise((r) => setTimeout(r, delays[round]));
      // Fresh copies without the old access, so nothing of the earlier lookup leaks into the new one.
      const clones: Finding[] = pending.map((a) => {
        const { access: _a, revocation: _r, ...rest } = a.item.findings[0];
        return structuredClone(rest) as Finding;
      });
      try {
        await lookupFindings(clones, { offline: false, config: opts.config, http: client, env, concurrency: 8 });
      } catch (err) {
        for (const a of pending)
          a.verifyNote = `verification failed: ${scrubText((err as Error).message, secretsOf(a.item))}`;
        return;
      }
      const again: Attempt[] = [];
      pending.forEach((a, k) => {
        const access = clones[k].access;
        a.verified = access?.status;
        a.verifyNote = access?.notes?.length
          ? scrubText(access.notes.join('; '), secretsOf(a.item)).slice(0, 200)
          : undefined;
        if (a.verified === 'live' && a.item.provider?.eventual) again.push(a);
      });
      pending = again;
    }
  }
}

/** `--revoke` on scan/history/org: the findings are in memory with their secrets. */
export async function revokeFromRun(
  report: Report,
  opts: { yes: boolean; offline: boolean; config: KeyscopeConfig; quiet?: boolean; db?: string },
): Promise<RevokeRunResult> {
  return revokeFindings(report.findings, {
    yes: opts.yes,
    offline: opts.offline,
    config: opts.config,
    db: opts.db ?? process.env.KEYSCOPE_DB,
    detectedAt: report.generatedAt,
  });
}
