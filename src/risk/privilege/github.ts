import { type Level, type ScopeMapper, tableMapper } from './levels.js';

// Classic PAT / OAuth scopes (X-OAuth-Scopes) and fine-grained permission names.
// admin = can change who has access or destroy things at org/repo level; write = can change code or data.
const CLASSIC: Record<string, Level> = {
  'admin:org': 'admin',
  'admin:enterprise': 'admin',
  'admin:org_hook': 'admin',
  delete_repo: 'admin',
  'delete:packages': 'admin',
  site_admin: 'admin',
  'manage_runners:org': 'admin',
  'manage_runners:enterprise': 'admin',
  'manage_billing:enterprise': 'admin',
  'scim:enterprise': 'admin',
  repo: 'write',
  public_repo: 'write',
  workflow: 'write',
  'write:packages': 'write',
  'admin:repo_hook': 'write',
  'write:repo_hook': 'write',
  'admin:public_key': 'write',
  'write:public_key': 'write',
  'admin:gpg_key': 'write',
  'write:gpg_key': 'write',
  'admin:ssh_signing_key': 'write',
  'write:org': 'write',
  'write:discussion': 'write',
  'repo:invite': 'write',
  repo_deployment: 'write',
  'repo:status': 'write',
  'user:follow': 'write',
  user: 'write',
  gist: 'write',
  project: 'write',
  codespace: 'write',
  copilot: 'write',
  security_events: 'write',
  'read:org': 'read',
  'read:user': 'read',
  'user:email': 'read',
  'read:packages': 'read',
  'read:repo_hook': 'read',
  'read:public_key': 'read',
  'read:gpg_key': 'read',
  'read:ssh_signing_key': 'read',
  'read:discussion': 'read',
  'read:project': 'read',
  'read:audit_log': 'read',
  audit_log: 'read',
  'read:enterprise': 'read',
  notifications: 'read',
};

export const githubScopes: ScopeMapper = tableMapper(CLASSIC);

/** Fine-grained resources whose write access amounts to administering access itself. */
export const GITHUB_ADMIN_RESOURCES =
  /^(administration|organization_administration|members|organization_secrets|secrets|organization_self_hosted_runners|organization_user_blocking|organization_custom_roles)$/;
