// Privilege levels shared by every issuer map. `none` = the key authenticates but holds no grant
// (a classic GitHub PAT without scopes reads public data only).

export type Level = 'admin' | 'write' | 'read' | 'none';

export const LEVEL_ORDER: Record<Level, number> = { none: 0, read: 1, write: 2, admin: 3 };

export function maxLevel(a: Level | undefined, b: Level | undefined): Level | undefined {
  if (!a) return b;
  if (!b) return a;
  return LEVEL_ORDER[a] >= LEVEL_ORDER[b] ? a : b;
}

/** What one scope or action grants. `escalation`: can mint itself more rights (iam:PassRole…), counted as admin. */
export interface Grant {
  level: Level;
  escalation?: boolean;
}

export type ScopeMapper = (scope: string) => Grant | undefined;

/** A lookup table plus pattern fallbacks, the shape most issuer maps take. */
export function tableMapper(
  table: Record<string, Level>,
  patterns: [RegExp, Level][] = [],
  escalations: string[] = [],
): ScopeMapper {
  const lower = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  const esc = new Set(escalations.map((s) => s.toLowerCase()));
  return (scope) => {
    const s = scope.trim().toLowerCase();
    if (esc.has(s)) return { level: 'admin', escalation: true };
    const hit = lower.get(s);
    if (hit) return { level: hit };
    for (const [re, level] of patterns) if (re.test(s)) return { level };
    return undefined;
  };
}

// Words that say what a scope allows, for issuers without a table (and as every table's last resort).
const ADMIN_WORDS =
  /(^|[^a-z])(admin|administrator|owner|sudo|root|superuser|super_admin|full[_-]?access|full|all|\*)([^a-z]|$)/;
const WRITE_WORDS =
  /(write|create|delete|destroy|update|edit|manage|modify|publish|send|post|upload|deploy|push|put|execute|exec|invoke|transfer|rotate|revoke)/;
const READ_WORDS = /(read|view|list|get|describe|readonly|history|identify|whoami|search|fetch|pull)/;

export const genericMapper: ScopeMapper = (scope) => {
  const s = scope.trim().toLowerCase();
  if (!s) return undefined;
  if (ADMIN_WORDS.test(s)) return { level: 'admin' };
  if (WRITE_WORDS.test(s)) return { level: 'write' };
  if (READ_WORDS.test(s)) return { level: 'read' };
  return undefined;
};
