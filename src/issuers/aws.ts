// AWS access keys (ISSUERS.md §1). Offline: the account id inside the key id, long-term (AKIA) vs temporary (ASIA).
// Live: sts:GetCallerIdentity (needs no permission) through the AWS SDK, then IAM policy reads when the key may
// (attached, inline and group policies; AccessDenied → a note). The SDK's requests go through our HTTP client by a
// custom requestHandler, which lets only Get*/List* actions out (query protocol `Action=`). When IAM reads are denied,
// s3:ListBuckets and ec2:DescribeRegions (aws-probe.ts) tell what the key can still read.

import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Access, Permission } from '../types.js';
import { AwsSdkHandler } from './aws-handler.js';
import { AWS_PROBE_HOSTS, AWS_PROBES, probeAws } from './aws-probe.js';
import { companion, dedupePermissions, merge, unknown } from './probe.js';
import type { IssuerModule } from './types.js';

const STS = 'https://sts.amazonaws.com';
const IAM = 'https://iam.amazonaws.com';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const KEY_TYPES: Record<string, string> = {
  AKIA: 'long-term-access-key',
  ASIA: 'temporary-access-key',
  ABIA: 'service-bearer-key',
  ACCA: 'context-specific-key',
};

/** The 12-digit account id encoded in an access key id (not for legacy AKIAI…/AKIAJ… keys). */
export function awsAccountFromKeyId(keyId: string): string | undefined {
  if (!/^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/.test(keyId)) return undefined;
  if (/^AKIA[IJ]/.test(keyId)) return undefined;
  let bits = 0n;
  for (const c of keyId.slice(4)) bits = (bits << 5n) | BigInt(B32.indexOf(c));
  // 16 chars = 80 bits = 10 bytes; the first 6 bytes (48 bits) hold the account id shifted left by 7.
  const first48 = bits >> 32n;
  const account = (first48 & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, '0');
}

interface AwsError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const ADMIN_ESCALATION = /^(iam:(PassRole|Create|Put|Attach|Update|Add)|sts:AssumeRole)/i;
const READ_VERBS = /^(Get|List|Describe|Head|BatchGet|Select|Scan|Query|View|Search|Lookup)/;

/** KF-style classification of a policy's Allow statements onto read/write/admin per service. */
export function awsPolicyPermissions(doc: unknown): { permissions: Permission[]; notes: string[] } {
  const perms: Permission[] = [];
  const notes: string[] = [];
  const statements = (doc as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  for (const st of list as { Effect?: string; Action?: unknown; NotAction?: unknown; Resource?: unknown }[]) {
    if (st.Effect !== 'Allow') continue;
    if (st.NotAction) {
      perms.push({ resource: '*', access: 'admin' });
      notes.push('an Allow with NotAction grants nearly everything');
      continue;
    }
    const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).filter(
      (a): a is string => typeof a === 'string',
    );
    for (const a of actions) {
      if (a === '*') {
        perms.push({ resource: '*', access: 'admin' });
        continue;
      }
      const [svc, verb = ''] = a.split(':');
      if (verb === '*') perms.push({ resource: svc, access: 'admin' });
      else if (ADMIN_ESCALATION.test(a)) {
        perms.push({ resource: svc, access: 'admin' });
        notes.push(`privilege escalation possible (${a})`);
      } else if (READ_VERBS.test(verb)) perms.push({ resource: svc, access: 'read' });
      else perms.push({ resource: svc, access: 'write' });
    }
  }
  return { permissions: dedupePermissions(perms), notes: [...new Set(notes)] };
}

const MANAGED: Record<string, Permission[]> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': [{ resource: '*', access: 'admin' }],
  'arn:aws:iam::aws:policy/PowerUserAccess': [{ resource: '*', access: 'write' }],
  'arn:aws:iam::aws:policy/ReadOnlyAccess': [{ resource: '*', access: 'read' }],
  'arn:aws:iam::aws:policy/ViewOnlyAccess': [{ resource: '*', access: 'read' }],
  'arn:aws:iam::aws:policy/SecurityAudit': [{ resource: '*', access: 'read' }],
  'arn:aws:iam::aws:policy/IAMFullAccess': [{ resource: 'iam', access: 'admin' }],
};

function decodeDoc(doc: string | undefined): unknown {
  if (!doc) return undefined;
  try {
    return JSON.parse(decodeURIComponent(doc));
  } catch {
    return undefined;
  }
}

const MAX_POLICIES = 10;

/** Reads the principal's policies; IAM denials become notes (and `denied`, so other reads can be probed). */
async function iamPolicies(iam: IAMClient, arn: string): Promise<Partial<Access> & { denied?: boolean }> {
  const scopes: string[] = [];
  const perms: Permission[] = [];
  const notes: string[] = [];
  const managed: { name: string; arn: string }[] = [];
  const inline: { name: string; doc: unknown }[] = [];
  let denied = false;
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  const role = /:assumed-role\/([^/]+)\//.exec(arn)?.[1];
  try {
    if (user) {
      const att = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }));
      for (const p of att.AttachedPolicies ?? []) managed.push({ name: p.PolicyName ?? '?', arn: p.PolicyArn ?? '' });
      const names = await iam.send(new ListUserPoliciesCommand({ UserName: user }));
      for (const n of (names.PolicyNames ?? []).slice(0, MAX_POLICIES)) {
        const d = await iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: n }));
        inline.push({ name: n, doc: decodeDoc(d.PolicyDocument) });
      }
      const groups = await iam.send(new ListGroupsForUserCommand({ UserName: user }));
      for (const g of (groups.Groups ?? []).slice(0, 5)) {
        const ga = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: g.GroupName }));
        for (const p of ga.AttachedPolicies ?? [])
          managed.push({ name: `${p.PolicyName} (group ${g.GroupName})`, arn: p.PolicyArn ?? '' });
      }
    } else if (role) {
      const att = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }));
      for (const p of att.AttachedPolicies ?? []) managed.push({ name: p.PolicyName ?? '?', arn: p.PolicyArn ?? '' });
      const names = await iam.send(new ListRolePoliciesCommand({ RoleName: role }));
      for (const n of (names.PolicyNames ?? []).slice(0, MAX_POLICIES)) {
        const d = await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: n }));
        inline.push({ name: n, doc: decodeDoc(d.PolicyDocument) });
      }
    } else {
      return { notes: ['principal type has no policy listing'], denied: true };
    }
    for (const m of managed.slice(0, MAX_POLICIES)) {
      scopes.push(m.name);
      const known = MANAGED[m.arn];
      if (known) {
        perms.push(...known);
        continue;
      }
      const pol = await iam.send(new GetPolicyCommand({ PolicyArn: m.arn }));
      const version = pol.Policy?.DefaultVersionId;
      if (!version) continue;
      const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: m.arn, VersionId: version }));
      const r = awsPolicyPermissions(decodeDoc(v.PolicyVersion?.Document));
      perms.push(...r.permissions);
      notes.push(...r.notes);
    }
    if (managed.length > MAX_POLICIES) notes.push(`only the first ${MAX_POLICIES} managed policies were read`);
    for (const i of inline) {
      scopes.push(`inline:${i.name}`);
      const r = awsPolicyPermissions(i.doc);
      perms.push(...r.permissions);
      notes.push(...r.notes);
    }
  } catch (err) {
    const e = err as AwsError;
    denied = /AccessDenied|UnauthorizedOperation/i.test(e.name ?? '');
    notes.push(
      denied
        ? `IAM reads denied (${e.name}): attached policies unknown`
        : `IAM policy read failed: ${e.name ?? e.message}`,
    );
  }
  return {
    scopes: scopes.length ? scopes : undefined,
    permissions: perms.length ? dedupePermissions(perms) : undefined,
    notes: [...new Set(notes)],
    denied,
  };
}

function principalType(arn: string): string {
  if (/:root$/.test(arn)) return 'root';
  if (/:assumed-role\/AWSReservedSSO_/.test(arn)) return 'sso-role-session';
  if (/:assumed-role\//.test(arn)) return 'assumed-role';
  if (/:federated-user\//.test(arn)) return 'federated-user';
  if (/:user\//.test(arn)) return 'iam-user';
  return 'unknown';
}

export const aws: IssuerModule = {
  id: 'aws',
  name: 'Amazon Web Services',
  hosts: ['sts.amazonaws.com', 'iam.amazonaws.com', '*.sts.amazonaws.com', ...AWS_PROBE_HOSTS],
  defaultBaseUrl: STS,
  rate: { concurrency: 4, perSecond: 10 },
  // Scope comes from IAM policy documents rather than a scope vocabulary.
  capabilities: { scope: true },
  decode(cred) {
    const id = cred.secret;
    const prefix = id.slice(0, 4);
    const tokenType = KEY_TYPES[prefix] ?? cred.tokenType;
    const out: Partial<Access> = { tokenType, environment: 'unknown' };
    const account = awsAccountFromKeyId(id);
    if (account) out.identity = { account };
    else if (/^AKIA[IJ]/.test(id)) out.notes = ['legacy key id: the account id is not encoded'];
    if (prefix === 'ASIA') out.notes = [...(out.notes ?? []), 'temporary STS credentials: expire with their session'];
    if (prefix === 'AKIA') out.expiresAt = null;
    return out;
  },
  planLookup: (_cred, http) => [
    `POST ${http.baseUrl(STS)}/ (sts:GetCallerIdentity)`,
    `POST ${http.baseUrl(IAM)}/ (iam:List*/Get* policies)`,
    ...AWS_PROBES.map(
      (p) => `${p.method} ${http.baseUrl(p.defaultUrl)}${p.path} (${p.action}, only when IAM reads are denied)`,
    ),
  ],
  async lookup(cred, http) {
    const keyId = cred.secret;
    if (!/^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/.test(keyId)) {
      return { status: 'skipped', notes: ['a secret access key alone cannot be checked: its access key id is needed'] };
    }
    const secretKey = companion(cred.companions, /^[A-Za-z0-9/+=]{40}$/, 'secret');
    if (!secretKey) return { status: 'skipped', notes: ['no secret access key found near the key id: not checked'] };
    const sessionToken = companion(cred.companions, /^[A-Za-z0-9/+=]{100,}$/, 'session');
    if (keyId.startsWith('ASIA') && !sessionToken)
      return { status: 'skipped', notes: ['temporary key without its session token: not checked'] };
    const credentials = { accessKeyId: keyId, secretAccessKey: secretKey, sessionToken };
    // The SDK warns once per process about Node 20 on stderr; that is noise in a scanner's output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const handler = new AwsSdkHandler(http, 'lookup');
    const common = { region: 'us-east-1', credentials, requestHandler: handler, maxAttempts: 1 } as const;
    const sts = new STSClient({ ...common, endpoint: http.baseUrl(STS) });
    let ident: { Account?: string; Arn?: string; UserId?: string };
    try {
      ident = await sts.send(new GetCallerIdentityCommand({}));
    } catch (err) {
      const e = err as AwsError;
      if (handler.lastHtml) return unknown(`AWS STS answered HTTP ${handler.lastStatus} with an HTML page`);
      const code = e.name ?? '';
      if (/InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeyId/.test(code)) {
        return { status: 'invalid', notes: [`AWS STS: ${code}`] };
      }
      if (/ExpiredToken|TokenRefreshRequired/.test(code)) return { status: 'inactive', notes: [`AWS STS: ${code}`] };
      if (/^refused/.test(e.message ?? '')) throw err;
      if (/timeout|network/i.test(e.message ?? '') && !e.$metadata?.httpStatusCode) throw err;
      return unknown(
        `AWS STS error: ${code || e.message}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}`,
      );
    }
    const arn = ident.Arn ?? '';
    const type = principalType(arn);
    let out: Partial<Access> = {
      status: 'live',
      identity: { account: ident.Account, user: arn, type },
      notes: [],
    };
    if (type === 'root') {
      return merge(out, {
        permissions: [{ resource: '*', access: 'admin' }],
        notes: ['root account key: unrestricted'],
      });
    }
    const iam = new IAMClient({ ...common, endpoint: http.baseUrl(IAM) });
    const { denied, ...policies } = await iamPolicies(iam, arn);
    out = merge(out, policies);
    // Policies unreadable: what a few read-only calls answer stands in (reach: buckets).
    if (denied) out = merge(out, await probeAws(http, credentials));
    if (!out.notes?.length) delete out.notes;
    return out;
  },
};
