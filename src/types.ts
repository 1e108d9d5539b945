// The data model of the pipeline: source → detect → issuers → risk → report → revoke.
// Every stage speaks these types; see ../shared/DESIGN.md for the contracts they serialise to.

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** One piece of content to scan. `oid` is the git blob id when the content came from git. */
export interface Blob {
  oid?: string;
  path: string;
  commit?: string;
  bytes: Buffer;
  /** Org scans: which repository the blob came from. */
  repo?: string;
}

/** A raw hit of one rule in one blob. Offsets are byte offsets into the blob; line and column are 1-based. */
export interface Match {
  ruleId: string;
  issuer: string;
  secret: string;
  path: string;
  line: number;
  column: number;
  /** Byte offset of the secret in the blob. */
  offset: number;
  commit?: string;
  blobOid?: string;
  repo?: string;
  /** Values of companion rules found near this match (AWS secret for a key id, Twilio SID, shop domain…). */
  companions?: Record<string, string>;
  /** Result of the rule's offline checksum validator. */
  checksum: ChecksumState;
  /** Shannon entropy of the secret, bits per character. */
  entropy: number;
}

export type ChecksumState = 'valid' | 'invalid' | 'none';

/** Where a secret was seen. `commit` and git provenance are filled for history scans. */
export interface Occurrence {
  file: string;
  line: number;
  column: number;
  commit?: string;
  repo?: string;
  blobOid?: string;
  author?: string;
  date?: string;
  /** Still present in HEAD of the default branch (history scans). */
  inHead?: boolean;
  /** Refs from which the introducing commit is reachable. */
  refs?: string[];
}

export type AccessStatus = 'live' | 'inactive' | 'invalid' | 'unknown' | 'skipped';

export interface Permission {
  resource: string;
  access: 'read' | 'write' | 'admin';
}

export interface Reach {
  kind: string;
  count: number;
  sample?: string[];
}

/** What a key can reach, as far as offline decoding and the issuer tell. */
export interface Access {
  status: AccessStatus;
  source: 'offline' | 'issuer';
  identity?: { account?: string; user?: string; org?: string; project?: string; type?: string; email?: string };
  tokenType?: string;
  scopes?: string[];
  permissions?: Permission[];
  reach?: Reach[];
  environment?: 'production' | 'test' | 'unknown';
  /** ISO date; null = never expires; undefined = not known. */
  expiresAt?: string | null;
  createdAt?: string;
  checkedAt: string;
  notes?: string[];
}

export type NhiTag = 'NHI2' | 'NHI5' | 'NHI7' | 'NHI8' | 'NHI9';

export interface RiskFactor {
  name: 'privilege' | 'breadth' | 'liveness' | 'environment' | 'lifetime' | 'exposure';
  /** 0..1 contribution before weighting. */
  value: number;
  weight: number;
  detail: string;
}

export interface Risk {
  score: number;
  severity: Severity;
  reasons: string[];
  nhi: NhiTag[];
  /** NIST CSF 2.0 control(s) the finding breaks, e.g. PR.AA-05. */
  controls?: string[];
  factors?: RiskFactor[];
  recommendation?: Recommendation;
}

export interface Recommendation {
  /** The narrowest credential that would do this key's apparent job. */
  replacement: string;
  steps: string[];
  /** Console page where the key is revoked or rotated. */
  consoleUrl?: string;
}

/** One secret (rule + value) with every place it was seen. */
export interface Finding {
  /** Stable fingerprint of the secret value; survives moves between files and lines. */
  id: string;
  ruleId: string;
  issuer: string;
  tokenType?: string;
  description?: string;
  /** The full secret. Held in memory only; serialised only under --show-secrets. */
  secret: string;
  redacted: string;
  checksum: ChecksumState;
  entropy: number;
  companions?: Record<string, string>;
  occurrences: Occurrence[];
  access?: Access;
  risk?: Risk;
  revocation?: Revocation;
}

export interface Revocation {
  action: 'revoke' | 'deactivate' | 'manual' | 'none';
  result: 'planned' | 'revoked' | 'already-revoked' | 'failed' | 'manual' | 'skipped';
  at: string;
  detail?: string;
  /** Seconds from detection to confirmed revocation. */
  secondsToRevoke?: number;
  runbook?: string[];
  /** The request(s) made or planned, redacted (METHOD URL …). */
  request?: string;
  /** Whether the action can be undone (AWS Status=Inactive). */
  reversible?: boolean;
  /** The issuer's HTTP status for the revocation request. */
  httpStatus?: number;
  /** What a lookup right after the revocation said (inactive/invalid = confirmed). */
  verified?: AccessStatus;
}

export interface SkippedItem {
  path: string;
  reason: string;
}

export interface ScanStats {
  filesScanned: number;
  blobsScanned: number;
  bytesScanned: number;
  skipped: SkippedItem[];
  /** Requests made to issuers. */
  lookups: number;
  durationMs: number;
  [extra: string]: unknown;
}

export interface ScanTarget {
  kind: 'files' | 'history' | 'range' | 'staged' | 'org' | 'merged' | 'verify';
  paths?: string[];
  repo?: string;
  range?: string;
  owner?: string;
  [extra: string]: unknown;
}

export interface Report {
  tool: 'keyscope';
  version: string;
  target: ScanTarget;
  stats: ScanStats;
  findings: Finding[];
  generatedAt?: string;
}
