import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { openRuleCache, saveRuleCache } from './cache.js';
import { type RuleSpec, ruleFileSchema, ruleSchema } from './schema.js';

export { markRulePatternsCompiled, rulePatternsCompiled, rulesetVersion } from './cache.js';

export class RuleError extends Error {}

/** The catalog folder shipped with keyscope: `rules/` next to package.json, found from this module's location. */
export function builtinRulesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'rules');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new RuleError('cannot find the built-in rules/ folder');
}

function tomlFilesIn(target: string): string[] {
  const st = statSync(target, { throwIfNoEntry: false });
  if (!st) throw new RuleError(`rule path ${target} not found`);
  if (st.isFile()) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((f) => path.join(target, f));
}

// Parsing and validating ~100 TOML files costs more than the rest of a pre-commit run: see cache.ts.
// The cache format names the schema's fields, so cached specs parsed before a field was added are not reused.
const RULE_CACHE_FORMAT = `2:${Object.keys(ruleSchema.shape).join(',')}`;

/** Parses and validates one rule file; errors name the file, the rule and the problem. */
export function loadRuleFile(file: string): RuleSpec[] {
  const cache = openRuleCache(RULE_CACHE_FORMAT);
  const st = cache ? statSync(file, { throwIfNoEntry: false }) : undefined;
  const hit = st && cache?.entries[file];
  if (st && hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return structuredClone(hit.specs);
  const specs = parseRuleFile(file);
  if (st && cache) {
    cache.entries[file] = { size: st.size, mtimeMs: st.mtimeMs, specs };
    cache.dirty = true;
  }
  return specs;
}

function parseRuleFile(file: string): RuleSpec[] {
  let raw: unknown;
  try {
    raw = parseToml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RuleError(`${file}: invalid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) {
    const rules = (raw as { rules?: { id?: string }[] }).rules;
    const problems = parsed.error.issues.map((i) => {
      const idx = i.path[0] === 'rules' && typeof i.path[1] === 'number' ? i.path[1] : undefined;
      const id = idx !== undefined ? rules?.[idx]?.id : undefined;
      const where = id ? `rule ${id}` : i.path.slice(0, 2).join('.') || '(top)';
      return `${where}: ${i.path.slice(2).join('.') || ''}${i.path.length > 2 ? ': ' : ''}${i.message}`;
    });
    throw new RuleError(`${file}: ${problems.join('; ')}`);
  }
  const fileIssuer = parsed.data.issuer;
  return parsed.data.rules.map((r) => {
    const issuer = r.issuer ?? fileIssuer;
    if (!issuer) throw new RuleError(`${file}: rule ${r.id}: no issuer (set it on the rule or at the top of the file)`);
    return { ...r, issuer, file };
  });
}

export interface LoadRulesOptions {
  /** Replace the built-in catalog (tests, `rules test FILE`). */
  dirs?: string[];
  /** Extra rule files or folders added to the catalog. */
  extra?: string[];
  /** Rule ids to drop. */
  disable?: string[];
  /** Skip the built-in catalog. */
  noBuiltin?: boolean;
}

export function loadRules(opts: LoadRulesOptions = {}): RuleSpec[] {
  const sources = [...(opts.noBuiltin ? [] : (opts.dirs ?? [builtinRulesDir()])), ...(opts.extra ?? [])];
  const rules: RuleSpec[] = [];
  const seen = new Map<string, string>();
  for (const src of sources) {
    for (const file of tomlFilesIn(src)) {
      for (const rule of loadRuleFile(file)) {
        const prev = seen.get(rule.id);
        if (prev) throw new RuleError(`${file}: rule ${rule.id} is already defined in ${prev}`);
        seen.set(rule.id, file);
        rules.push(rule);
      }
    }
  }
  saveRuleCache();
  const disabled = new Set(opts.disable ?? []);
  return rules.filter((r) => !disabled.has(r.id));
}
