import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { type RuleSpec, ruleFileSchema, ruleSchema } from './schema.js';

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

// Parsing and validating ~100 TOML files costs more than the rest of a pre-commit run, so the validated specs
// are kept in a per-user cache file keyed by each rule file's path, size and mtime (KEYSCOPE_NO_RULE_CACHE=1: off).
// The format names the schema's fields, so cached specs parsed before a field was added are not reused.
const RULE_CACHE_FORMAT = `2:${Object.keys(ruleSchema.shape).join(',')}`;

interface RuleCacheEntry {
  size: number;
  mtimeMs: number;
  specs: RuleSpec[];
  /** Every pattern of the file compiled with RE2 once: later runs need not compile them all up front. */
  compiled?: boolean;
}

let ruleCache: { file: string; entries: Record<string, RuleCacheEntry>; dirty: boolean } | null | undefined;

function openRuleCache(): typeof ruleCache {
  if (ruleCache !== undefined) return ruleCache;
  ruleCache = null;
  if (process.env.KEYSCOPE_NO_RULE_CACHE) return null;
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const dir = path.join(os.tmpdir(), `keyscope-${uid ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A cache folder someone else owns is not trusted (shared /tmp).
    if (uid !== undefined && statSync(dir).uid !== uid) return null;
    const file = path.join(dir, 'rules-cache.json');
    let entries: Record<string, RuleCacheEntry> = {};
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as {
        format?: string;
        entries?: Record<string, RuleCacheEntry>;
      };
      if (data.format === RULE_CACHE_FORMAT && data.entries) entries = data.entries;
    }
    ruleCache = { file, entries, dirty: false };
  } catch {
    ruleCache = null;
  }
  return ruleCache;
}

function saveRuleCache(): void {
  const c = ruleCache;
  if (!c?.dirty) return;
  c.dirty = false;
  try {
    // Forget rule files that are gone (tests make many temporary ones).
    for (const f of Object.keys(c.entries)) if (!existsSync(f)) delete c.entries[f];
    const tmp = `${c.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: RULE_CACHE_FORMAT, entries: c.entries }), { mode: 0o600 });
    renameSync(tmp, c.file);
  } catch {
    // A read-only temp folder only costs speed.
  }
}

/** Whether every pattern of this rule file (as it is now) is known to compile. */
export function rulePatternsCompiled(file: string): boolean {
  const hit = ruleCache?.entries[file];
  if (!hit) return false;
  const st = statSync(file, { throwIfNoEntry: false });
  return hit.compiled === true && st?.size === hit.size && st.mtimeMs === hit.mtimeMs;
}

/** Records that these rule files' patterns all compiled. */
export function markRulePatternsCompiled(files: Iterable<string>): void {
  const c = ruleCache;
  if (!c) return;
  for (const f of files) {
    const e = c.entries[f];
    if (e && !e.compiled) {
      e.compiled = true;
      c.dirty = true;
    }
  }
  saveRuleCache();
}

/** Parses and validates one rule file; errors name the file, the rule and the problem. */
export function loadRuleFile(file: string): RuleSpec[] {
  const cache = openRuleCache();
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

/** A digest of everything that changes matching: any rule edit invalidates blob caches. */
export function rulesetVersion(rules: RuleSpec[], engineVersion: string): string {
  const h = createHash('sha256').update(engineVersion);
  for (const r of rules) {
    const { file: _file, examples: _e, counterexamples: _c, description: _d, ...matching } = r;
    h.update(JSON.stringify(matching));
  }
  return h.digest('hex').slice(0, 16);
}
