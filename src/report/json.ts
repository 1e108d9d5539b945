import { z } from 'zod';
import type { Finding, Report } from '../types.js';
import { type RenderOptions, safeReport } from './common.js';

// The JSON report contract of DESIGN.md: `file`/`line`/`column`/`commit` at the top level from the first
// occurrence, `occurrences` with all of them, `secret` only under --show-secrets.

export class ReportParseError extends Error {}

function drop<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function findingToJson(f: Finding, showSecrets: boolean): Record<string, unknown> {
  const first = f.occurrences?.[0];
  return drop({
    id: f.id,
    ruleId: f.ruleId,
    issuer: f.issuer,
    tokenType: f.tokenType,
    description: f.description,
    file: first?.file,
    line: first?.line,
    column: first?.column,
    commit: first?.commit,
    repo: first?.repo,
    redacted: f.redacted,
    ...(showSecrets ? { secret: f.secret } : {}),
    checksum: f.checksum,
    entropy: f.entropy,
    companions: f.companions && Object.keys(f.companions).length ? f.companions : undefined,
    access: f.access,
    risk: f.risk,
    revocation: f.revocation,
    occurrences: (f.occurrences ?? []).map((o) => drop({ ...o })),
  });
}

export function toJsonReport(report: Report, opts: Pick<RenderOptions, 'showSecrets'>): Record<string, unknown> {
  const safe = safeReport(report, opts.showSecrets);
  return drop({
    tool: 'keyscope',
    version: safe.version,
    target: safe.target,
    stats: safe.stats,
    generatedAt: safe.generatedAt,
    findings: safe.findings.map((f) => findingToJson(f, opts.showSecrets)),
  });
}

export function renderJson(report: Report, opts: RenderOptions): string {
  return `${JSON.stringify(toJsonReport(report, opts), null, 2)}\n`;
}

// ---- parsing (verify, revoke, report merge) ----

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const occurrence = z.looseObject({
  file: z.string(),
  line: z.number().int().min(0),
  column: z.number().int().min(0).optional(),
  commit: z.string().optional(),
  repo: z.string().optional(),
  blobOid: z.string().optional(),
  author: z.string().optional(),
  date: z.string().optional(),
  inHead: z.boolean().optional(),
  refs: z.array(z.string()).optional(),
});
const access = z.looseObject({
  status: z.enum(['live', 'inactive', 'invalid', 'unknown', 'skipped']),
  source: z.enum(['offline', 'issuer']),
  identity: z.record(z.string(), z.string()).optional(),
  tokenType: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  permissions: z.array(z.object({ resource: z.string(), access: z.enum(['read', 'write', 'admin']) })).optional(),
  reach: z.array(z.object({ kind: z.string(), count: z.number(), sample: z.array(z.string()).optional() })).optional(),
  environment: z.enum(['production', 'test', 'unknown']).optional(),
  expiresAt: z.string().nullable().optional(),
  createdAt: z.string().optional(),
  checkedAt: z.string(),
  notes: z.array(z.string()).optional(),
});
const risk = z.looseObject({
  score: z.number().min(0).max(100),
  severity,
  reasons: z.array(z.string()),
  nhi: z.array(z.enum(['NHI2', 'NHI5', 'NHI7', 'NHI8', 'NHI9'])),
  controls: z.array(z.string()).optional(),
  factors: z
    .array(z.object({ name: z.string(), value: z.number(), weight: z.number(), detail: z.string() }))
    .optional(),
  recommendation: z
    .object({ replacement: z.string(), steps: z.array(z.string()), consoleUrl: z.string().optional() })
    .optional(),
});
const finding = z.looseObject({
  id: z.string().min(1),
  ruleId: z.string().min(1),
  issuer: z.string().min(1),
  tokenType: z.string().optional(),
  description: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  commit: z.string().optional(),
  repo: z.string().optional(),
  redacted: z.string(),
  secret: z.string().optional(),
  checksum: z.enum(['valid', 'invalid', 'none']).default('none'),
  entropy: z.number().default(0),
  companions: z.record(z.string(), z.string()).optional(),
  access: access.optional(),
  risk: risk.optional(),
  revocation: z.looseObject({ action: z.string(), result: z.string(), at: z.string() }).optional(),
  occurrences: z.array(occurrence).default([]),
});
export const jsonReportSchema = z.looseObject({
  tool: z.literal('keyscope'),
  version: z.string(),
  target: z.looseObject({ kind: z.string() }),
  stats: z.looseObject({
    filesScanned: z.number().default(0),
    blobsScanned: z.number().default(0),
    bytesScanned: z.number().default(0),
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })).default([]),
    lookups: z.number().default(0),
    durationMs: z.number().default(0),
  }),
  generatedAt: z.string().optional(),
  findings: z.array(finding),
});

/**
 * Reads a JSON report back (verify, revoke, report merge). `secret` is '' unless the report was written with
 * --show-secrets. Throws ReportParseError naming the first problems.
 */
export function parseReport(text: string, source = 'report'): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ReportParseError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = jsonReportSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`)
      .join('; ');
    throw new ReportParseError(`${source}: not a keyscope JSON report: ${problems}`);
  }
  const r = parsed.data;
  const findings: Finding[] = r.findings.map((f) => {
    const { file, line, column, commit, repo, secret, occurrences, ...rest } = f;
    const occ = occurrences.length
      ? occurrences.map((o) => ({ ...o, column: o.column ?? 1 }))
      : file
        ? [{ file, line: line ?? 1, column: column ?? 1, ...(commit ? { commit } : {}), ...(repo ? { repo } : {}) }]
        : [];
    return { ...rest, secret: secret ?? '', occurrences: occ } as Finding;
  });
  return { ...(r as unknown as Report), findings };
}
