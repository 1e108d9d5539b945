import type { Grant, ScopeMapper } from './levels.js';

// IAM actions (`s3:GetObject`), wildcards (`*`, `iam:*`) and managed policy names/ARNs.
// Privilege escalation (KF access_map/aws.rs): actions that let the key grant itself more, counted as admin.
const ESCALATION = new Set(
  [
    'iam:PassRole',
    'iam:CreateAccessKey',
    'iam:CreateLoginProfile',
    'iam:UpdateLoginProfile',
    'iam:CreatePolicyVersion',
    'iam:SetDefaultPolicyVersion',
    'iam:AttachUserPolicy',
    'iam:AttachRolePolicy',
    'iam:AttachGroupPolicy',
    'iam:PutUserPolicy',
    'iam:PutRolePolicy',
    'iam:PutGroupPolicy',
    'iam:UpdateAssumeRolePolicy',
    'iam:AddUserToGroup',
    'sts:AssumeRole',
    'lambda:UpdateFunctionCode',
  ].map((a) => a.toLowerCase()),
);

const ADMIN_SERVICES = new Set(['iam', 'sts', 'organizations', 'sso', 'identitystore']);
const READ_VERB = /^(get|list|describe|head|batchget|query|scan|select|lookup|search|view|read|check|validate)/;

function policy(name: string): Grant | undefined {
  const n = name.replace(/^arn:aws:iam::(aws|\d{12}):policy\/(service-role\/|job-function\/)?/i, '').toLowerCase();
  if (n === 'administratoraccess' || n === 'poweruseraccess' || n === 'iamfullaccess') return { level: 'admin' };
  if (n === 'readonlyaccess' || n === 'viewonlyaccess' || n === 'securityaudit' || n.endsWith('readonlyaccess'))
    return { level: 'read' };
  if (n.endsWith('fullaccess')) return { level: 'write' };
  return undefined;
}

export const awsScopes: ScopeMapper = (scope) => {
  const s = scope.trim();
  if (s === '*' || s === '*:*') return { level: 'admin' };
  const lower = s.toLowerCase();
  // `inline:<name>` names an inline policy; its grants arrive as Access.permissions.
  if (lower.startsWith('inline:')) return undefined;
  if (lower.startsWith('arn:aws:iam::') && lower.includes(':policy/')) return policy(s);
  const colon = lower.indexOf(':');
  if (colon < 0) return policy(s);
  const service = lower.slice(0, colon);
  const action = lower.slice(colon + 1);
  if (ESCALATION.has(lower)) return { level: 'admin', escalation: true };
  if (service === 'iam' && /^(create|attach|put)/.test(action)) return { level: 'admin', escalation: true };
  if (action === '*' || action === '') return { level: 'admin', escalation: ADMIN_SERVICES.has(service) };
  if (READ_VERB.test(action)) return { level: 'read' };
  if (action.endsWith('*') && READ_VERB.test(action.slice(0, -1))) return { level: 'read' };
  return { level: 'write' };
};
