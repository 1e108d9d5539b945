import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RuleSpec } from './schema.js';

// What the engine needs to know about rule files without parsing them (so matching workers never load the TOML
// parser or zod): the per-user cache of validated specs, keyed by each rule file's path, size and mtime
// (KEYSCOPE_NO_RULE_CACHE=1: off), whether a file's patterns are known to compile, and the rule-set digest.

export interface RuleCacheEntry {
  size: number;
  mtimeMs: number;
  specs: RuleSpec[];
  /** Every pattern of the file compiled with RE2 once: later runs need not compile them all up front. */
  compiled?: boolean;
}

interface RuleCache {
  file: string;
  format: string;
  entries: Record<string, RuleCacheEntry>;
  dirty: boolean;
}

let ruleCache: RuleCache | null | undefined;

/** Opens the cache once per process; `format` names the spec shape its entries must have. */
export function openRuleCache(format: string): RuleCache | null {
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
      if (data.format === format && data.entries) entries = data.entries;
    }
    ruleCache = { file, format, entries, dirty: false };
  } catch {
    ruleCache = null;
  }
  return ruleCache ?? null;
}

export function saveRuleCache(): void {
  const c = ruleCache;
  if (!c?.dirty) return;
  c.dirty = false;
  try {
    // Forget rule files that are gone (tests make many temporary ones).
    for (const f of Object.keys(c.entries)) if (!existsSync(f)) delete c.entries[f];
    const tmp = `${c.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: c.format, entries: c.entries }), { mode: 0o600 });
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

/** A digest of everything that changes matching: any rule edit invalidates blob caches. */
export function rulesetVersion(rules: RuleSpec[], engineVersion: string): string {
  const h = createHash('sha256').update(engineVersion);
  for (const r of rules) {
    const { file: _file, examples: _e, counterexamples: _c, description: _d, ...matching } = r;
    h.update(JSON.stringify(matching));
  }
  return h.digest('hex').slice(0, 16);
}
