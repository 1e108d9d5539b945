import type { Finding, Permission } from '../../types.js';
import type { Prior } from '../priors.js';
import { GITHUB_ADMIN_RESOURCES } from './github.js';
import { type Grant, genericMapper, LEVEL_ORDER, type Level, maxLevel } from './levels.js';
import { issuerKey, scopeMapperFor } from './table.js';

// The privilege factor's input: the highest level the key holds, and which scopes/resources give it.

export const LEVEL_VALUE: Record<Level, number> = { admin: 1, write: 0.8, read: 0.45, none: 0.2 };

export interface PrivilegeAssessment {
  /** Highest level held; undefined = nothing known beyond the prior. */
  level?: Level;
  value: number;
  /** Where the level came from. */
  source: 'permissions' | 'scopes' | 'identity' | 'token-type' | 'prior';
  /** Scopes/resources by level, most severe first, for reasons and advice. */
  admin: string[];
  write: string[];
  read: string[];
  escalation: string[];
  unknownScopes: string[];
}

export function classifyScope(issuer: string, scope: string): Grant | undefined {
  return scopeMapperFor(issuer)?.(scope) ?? genericMapper(scope);
}

export function assessPrivilege(finding: Finding, prior: Prior): PrivilegeAssessment {
  const access = finding.access;
  const out: PrivilegeAssessment = {
    value: prior.privilege,
    source: 'prior',
    admin: [],
    write: [],
    read: [],
    escalation: [],
    unknownScopes: [],
  };
  let level: Level | undefined;
  const push = (lv: Level, what: string) => {
    if (lv === 'none') return;
    const list = out[lv];
    if (!list.includes(what)) list.push(what);
  };

  const issuer = issuerKey(finding.issuer);
  // Scopes first: their names are the issuer's own words and read best in reasons ("admin:org and delete_repo").
  const scopes = access?.scopes ?? [];
  let scopeLevel: Level | undefined;
  for (const s of scopes) {
    const g = classifyScope(finding.issuer, s);
    if (!g) {
      if (!/^inline:/i.test(s)) out.unknownScopes.push(s);
      continue;
    }
    if (g.escalation) out.escalation.push(s);
    scopeLevel = maxLevel(scopeLevel, g.level);
    push(g.level, s);
  }
  // A key that authenticates and lists its scopes, all empty, holds no grant (classic PAT without scopes).
  if (access?.status === 'live' && access.scopes && access.scopes.length === 0 && !access.permissions?.length) {
    scopeLevel = scopeLevel ?? 'none';
  }
  if (scopeLevel) {
    level = scopeLevel;
    out.source = 'scopes';
  }

  // Permission names fill a level's list only when no scope named that level (they often restate the scopes).
  const fromPerms: Record<'admin' | 'write' | 'read', string[]> = { admin: [], write: [], read: [] };
  for (const p of access?.permissions ?? []) {
    let lv: Permission['access'] = p.access;
    // Writing to a GitHub resource that controls access is administering it.
    if (issuer.startsWith('github') && lv === 'write' && GITHUB_ADMIN_RESOURCES.test(p.resource)) lv = 'admin';
    if (!level || LEVEL_ORDER[lv] > LEVEL_ORDER[level]) out.source = 'permissions';
    level = maxLevel(level, lv);
    fromPerms[lv].push(p.resource === '*' ? 'all resources' : `${p.resource}:${p.access}`);
  }
  for (const lv of ['admin', 'write', 'read'] as const) {
    if (!out[lv].length) for (const name of fromPerms[lv]) push(lv, name);
  }

  const idType = `${access?.identity?.type ?? ''}`.toLowerCase();
  if (/\b(root|owner|admin|administrator|super[_-]?admin|site[_-]?admin)\b/.test(idType)) {
    if (level !== 'admin') out.source = 'identity';
    level = 'admin';
  }

  if (!level && prior.level) {
    level = prior.level;
    out.source = 'token-type';
  }
  if (out.escalation.length && level !== 'admin') level = 'admin';
  out.level = level;
  if (level) {
    out.value = LEVEL_VALUE[level];
    // Unknown scopes beside known reads might grant more: do not let them rank as plain read-only.
    if (out.source === 'scopes' && out.unknownScopes.length && level !== 'admin') {
      out.value = Math.max(out.value, Math.min((out.value + prior.privilege) / 2, LEVEL_VALUE.write));
    }
  }
  return out;
}
