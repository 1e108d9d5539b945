import RE2 from 're2';
import type { Blob, Match } from '../types.js';
import { runChecksum } from './checksums/index.js';
import './checksums/all.js';
import { hasInlineAllow, isPlaceholder, shannonEntropy } from './allowlist.js';
import { maxMatchBytes } from './match-length.js';
import { markRulePatternsCompiled, rulePatternsCompiled, rulesetVersion } from './rules/cache.js';
import type { RuleSpec } from './rules/schema.js';

export const ENGINE_VERSION = '2';

/** Issuers whose secrets are structured blocks: placeholder shape checks (runs of `A`…) do not apply. */
const STRUCTURED_ISSUERS = new Set(['private-key', 'jwt', 'gcp']);
/** Rules of these issuers lose to any specific rule matching the same bytes. */
const LOW_PRIORITY_ISSUERS = new Set(['generic', 'basic-auth', 'jwt']);

export interface CompiledRule {
  spec: RuleSpec;
  index: number;
  re: RE2;
  named: boolean;
  allowStop: string[];
  allowRe: RE2[];
  allowLineRe: RE2[];
  allowPathRe: RE2[];
  pathRe: RE2[];
  structured: boolean;
  lowPriority: boolean;
  /** Bytes matched around a chunk with a keyword hit in large blobs; Infinity = always the whole blob. */
  margin: number;
  /** The pattern's leading `\b` or `(?:^|[…])`, checked on the byte before each match instead (see leadingGuard). */
  guard?: LeadingGuard;
}

/** Global suppressions from keyscope.toml `[allow]`. */
export interface GlobalAllow {
  regexes?: string[];
  stopwords?: string[];
}

function compile(pattern: string, where: string, flags = ''): RE2 {
  try {
    return new RE2(pattern, flags);
  } catch (err) {
    throw new Error(`${where}: RE2 cannot compile ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

// Allow, line and path patterns are only ever `test`ed (no `g` flag, so no lastIndex state) and many rules share
// the same lists (the generic family): each distinct pattern is compiled once per thread.
const shared = new Map<string, RE2>();

function compileShared(pattern: string, where: string): RE2 {
  let re = shared.get(pattern);
  if (!re) {
    re = compile(pattern, where);
    shared.set(pattern, re);
  }
  return re;
}

export interface DetectorOptions {
  /** Build each rule's RE2 objects on first use: for short runs (pre-commit) where most rules never run.
   * A bad pattern then fails that blob's scan instead of the start-up. */
  lazy?: boolean;
  /** Match every candidate rule over whole blobs, never by chunk regions (the reference the chunked path is tested
   * against). */
  wholeBlobs?: boolean;
}

function lazyRule(spec: RuleSpec, index: number): CompiledRule {
  let full: CompiledRule | undefined;
  const get = () => {
    full ??= compileRule(spec, index);
    return full;
  };
  return {
    spec,
    index,
    named: /\(\?P?<secret>/.test(spec.regex),
    allowStop: spec.allow.stopwords.map((s) => s.toLowerCase()),
    structured: STRUCTURED_ISSUERS.has(spec.issuer),
    lowPriority: LOW_PRIORITY_ISSUERS.has(spec.issuer),
    get re() {
      return get().re;
    },
    get guard() {
      return get().guard;
    },
    get margin() {
      return get().margin;
    },
    get allowRe() {
      return get().allowRe;
    },
    get allowLineRe() {
      return get().allowLineRe;
    },
    get allowPathRe() {
      return get().allowPathRe;
    },
    get pathRe() {
      return get().pathRe;
    },
  };
}

function compileRule(spec: RuleSpec, index: number): CompiledRule {
  const where = `${spec.file}: rule ${spec.id}`;
  const guard = leadingGuard(spec.regex);
  let re: RE2;
  try {
    re = compile(guard?.rest ?? spec.regex, where, 'gm');
  } catch (err) {
    // Name the pattern as written.
    if (guard) compile(spec.regex, where, 'gm');
    throw err;
  }
  const named = /\(\?P?<secret>/.test(spec.regex);
  return {
    spec,
    index,
    re,
    named,
    allowStop: spec.allow.stopwords.map((s) => s.toLowerCase()),
    allowRe: spec.allow.regexes.map((r) => compileShared(r, `${where}: allow.regexes`)),
    allowLineRe: spec.allow.lineRegexes.map((r) => compileShared(r, `${where}: allow.lineRegexes`)),
    allowPathRe: spec.allow.paths.map((r) => compileShared(r, `${where}: allow.paths`)),
    pathRe: spec.paths.map((r) => compileShared(r, `${where}: paths`)),
    margin: regionMargin(spec),
    guard,
    structured: STRUCTURED_ISSUERS.has(spec.issuer),
    lowPriority: LOW_PRIORITY_ISSUERS.has(spec.issuer),
  };
}

/**
 * A leading `\b` or `(?:^|[class])` keeps RE2 from skipping ahead to the pattern's literal prefix (TOOLCHAIN.md:
 * ~700 MB/s instead of GB/s). Such a guard is cut off the pattern and checked on the byte before each match.
 */
export interface LeadingGuard {
  /** The pattern without its guard (flags kept). */
  rest: string;
  /** `\b`: word-ness must change at the match start. */
  wordBoundary: boolean;
  /** Otherwise, for each byte before the match (nearest last), which byte values satisfy it. */
  before: Uint8Array[];
  /** `(?:^|[…])`: the start of the blob or of a line satisfies it too. */
  lineStart: boolean;
}

const CLASS_BODY = String.raw`((?:\\[tnr\\/\-.+=$~\]\[]|[A-Za-z0-9_~.+/=$,;:'" -])+)`;
const GUARD = new RegExp(
  String.raw`^(\(\?[imsU]+\))?(?:(\\b)|\(\?:\^\|\[(\^?)${CLASS_BODY}\]\)|((?:\[(?!\^)${CLASS_BODY.replace('(', '(?:')}\]){1,2}))`,
);
const PLAIN_CLASS = new RegExp(String.raw`\[${CLASS_BODY}\]`, 'g');

/** Which of the 256 byte values a simple ASCII class (`^` = negated) matches. */
function byteTable(negated: boolean, body: string, ignoreCase: boolean): Uint8Array {
  const cls = new RegExp(`^[${negated ? '^' : ''}${body}]$`, ignoreCase ? 'i' : '');
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = (b < 0x80 ? cls.test(String.fromCharCode(b)) : negated) ? 1 : 0;
  return t;
}

export function leadingGuard(pattern: string): LeadingGuard | undefined {
  const m = GUARD.exec(pattern);
  if (!m) return undefined;
  const flags = m[1] ?? '';
  const body = pattern.slice(m[0].length);
  // Only worth it when what follows starts with a literal RE2 can skip to (two letters, or case pairs like
  // `[Kk][Ee]`): a class or alternation after the guard gains nothing and costs a rejected match per byte.
  // Under (?i), `s` and `k` also fold to non-ASCII letters, which defeats the skip.
  const lead = /^(\(\?P<secret>)?(?:[A-Za-z0-9_]|\[([A-Za-z])([A-Za-z])\]){2}/.exec(body);
  if (!lead || alternatesAtTop(body, lead[1] ? 1 : 0)) return undefined;
  if (lead[2] && lead[2].toLowerCase() !== lead[3].toLowerCase()) return undefined;
  const first = body[lead[1]?.length ?? 0];
  if (flags.includes('i') && /^[sk]/i.test(first)) return undefined;
  const rest = flags + body;
  const ignoreCase = flags.includes('i');
  if (m[2]) return { rest, wordBoundary: true, before: [], lineStart: false };
  if (m[4] !== undefined) {
    const t = byteTable(m[3] === '^', m[4], ignoreCase);
    t[10] = 1;
    return { rest, wordBoundary: false, before: [t], lineStart: true };
  }
  const before = [...m[5].matchAll(PLAIN_CLASS)].map((c) => byteTable(false, c[1], ignoreCase));
  return { rest, wordBoundary: false, before, lineStart: false };
}

/** Whether the pattern (or, from `depth` 1, its first group) has a `|` outside any inner group or class. */
function alternatesAtTop(pattern: string, depth: number): boolean {
  let d = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') d++;
    else if (c === ')') {
      d--;
      if (depth === 1 && d === 0) return false;
    } else if (c === '|' && d === depth) return true;
  }
  return false;
}

function isWordByte(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}

/** Whether the guard cut off a rule's pattern holds for a match starting at `at`. */
function guardHolds(g: LeadingGuard, bytes: Buffer, at: number): boolean {
  if (g.wordBoundary) return (at > 0 && isWordByte(bytes[at - 1])) !== isWordByte(bytes[at]);
  const n = g.before.length;
  if (at < n) return g.lineStart && at === 0;
  for (let k = 0; k < n; k++) if (g.before[k][bytes[at - n + k]] !== 1) return false;
  return true;
}

/** How far around a keyword hit a rule's match can reach: its longest possible match, capped for unbounded ones. */
function regionMargin(spec: RuleSpec): number {
  if (!spec.keywordInMatch || spec.keywords.length === 0) return Number.POSITIVE_INFINITY;
  return Math.min(maxMatchBytes(spec.regex), UNBOUNDED_MARGIN);
}

/**
 * Compiles every pattern of the rules (and the config's allow regexes) once, throwing the first that RE2 refuses
 * with its file and rule. Rule files already known to compile are skipped, so this is cheap after the first run.
 */
export function checkRulePatterns(specs: RuleSpec[], allow: GlobalAllow = {}): void {
  for (const r of allow.regexes ?? []) compile(r, 'config allow.regexes');
  const known = new Map<string, boolean>();
  for (const [i, spec] of specs.entries()) {
    let done = known.get(spec.file);
    if (done === undefined) {
      done = rulePatternsCompiled(spec.file);
      known.set(spec.file, done);
    }
    if (!done) compileRule(spec, i);
  }
  markRulePatternsCompiled([...known].filter(([, done]) => !done).map(([f]) => f));
}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Byte offsets of line starts, built once per blob and only when it has a hit. */
class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly bytes: Buffer) {}

  private build(): number[] {
    const starts = [0];
    let i = this.bytes.indexOf(10);
    while (i !== -1) {
      starts.push(i + 1);
      i = this.bytes.indexOf(10, i + 1);
    }
    this.starts = starts;
    return starts;
  }

  /** 0-based line number of a byte offset. */
  lineOf(offset: number): number {
    const s = this.starts ?? this.build();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return (this.starts ?? this.build())[line];
  }

  lineEnd(line: number): number {
    const s = this.starts ?? this.build();
    return line + 1 < s.length ? s[line + 1] - 1 : this.bytes.length;
  }
}

/** Longest stretch of a line kept for allow checks: minified bundles have multi-megabyte lines. */
const LINE_WINDOW = 512;

/** Blobs at least this large are prefiltered chunk by chunk (see regionsByRule). */
const CHUNKED_MIN_BYTES = 256 * 1024;
const CHUNK_BYTES = 16 * 1024;
/** Bytes matched each side of a keyword chunk by rules whose matches have no length bound (`\s*`, `[\w.-]+`):
 * in a large blob such a rule misses a match that reaches further than this from its keyword. */
const UNBOUNDED_MARGIN = 64 * 1024;

interface Region {
  start: number;
  end: number;
}

interface Candidate extends Match {
  rule: CompiledRule;
  end: number;
  lineIdx: number;
}

export class Detector {
  readonly rules: CompiledRule[];
  readonly rulesetVersion: string;
  private readonly byId = new Map<string, CompiledRule>();
  private readonly keywordSet: ReturnType<typeof RE2.Set> | undefined;
  private readonly keywordRules: number[][];
  private readonly alwaysRules: number[];
  private readonly maxKeywordLength: number;
  private readonly chunkedMin: number;
  private readonly globalRe: RE2[];
  private readonly globalStop: string[];

  private constructor(specs: RuleSpec[], allow: GlobalAllow = {}, opts: DetectorOptions = {}) {
    this.rules = specs.map((s, i) => (opts.lazy ? lazyRule(s, i) : compileRule(s, i)));
    for (const r of this.rules) this.byId.set(r.spec.id, r);
    this.rulesetVersion = rulesetVersion(specs, ENGINE_VERSION);
    const keywords: string[] = [];
    const kwIndex = new Map<string, number>();
    this.keywordRules = [];
    this.alwaysRules = [];
    for (const r of this.rules) {
      if (r.spec.keywords.length === 0) {
        this.alwaysRules.push(r.index);
        continue;
      }
      for (const kw of r.spec.keywords) {
        const k = kw.toLowerCase();
        let idx = kwIndex.get(k);
        if (idx === undefined) {
          idx = keywords.length;
          kwIndex.set(k, idx);
          keywords.push(k);
          this.keywordRules.push([]);
        }
        this.keywordRules[idx].push(r.index);
      }
    }
    // One pass over the bytes says which keywords occur; only their rules run (TOOLCHAIN.md: ~535 MB/s).
    this.chunkedMin = opts.wholeBlobs ? Number.POSITIVE_INFINITY : CHUNKED_MIN_BYTES;
    this.maxKeywordLength = keywords.reduce((n, k) => Math.max(n, Buffer.byteLength(k)), 1);
    this.keywordSet = keywords.length ? new RE2.Set(keywords.map(escapeRe), 'i') : undefined;
    this.globalRe = (allow.regexes ?? []).map((r) => compile(r, 'config allow.regexes'));
    this.globalStop = (allow.stopwords ?? []).map((s) => s.toLowerCase());
  }

  static create(specs: RuleSpec[], allow?: GlobalAllow, opts?: DetectorOptions): Detector {
    return new Detector(specs, allow, opts);
  }

  private warmNext = 0;

  /**
   * Compiles the next `count` lazily built rules ahead of use; true while some remain. Workers call it when idle
   * (before the first blobs arrive): on a real tree almost every rule is needed sooner or later.
   */
  warm(count: number): boolean {
    const end = Math.min(this.rules.length, this.warmNext + count);
    for (; this.warmNext < end; this.warmNext++) {
      try {
        void this.rules[this.warmNext].re;
      } catch {
        // A pattern RE2 refuses fails the blobs it is used on, and the pool's check stops the run.
      }
    }
    return this.warmNext < this.rules.length;
  }

  rule(id: string): CompiledRule | undefined {
    return this.byId.get(id);
  }

  /** Which rules can match these bytes, by the keyword prefilter. */
  candidateRules(bytes: Buffer): CompiledRule[] {
    const hit = new Set<number>(this.alwaysRules);
    if (this.keywordSet) for (const k of this.keywordSet.match(bytes)) for (const r of this.keywordRules[k]) hit.add(r);
    return [...hit].sort((a, b) => a - b).map((i) => this.rules[i]);
  }

  /**
   * For a large blob, which rules can match and where: the keyword prefilter runs per chunk, and each rule then
   * runs only over the chunks holding one of its keywords (plus a margin each side). A bundle of megabytes that
   * mentions `cio` once is matched over a few kilobytes by that rule instead of all of it.
   */
  private regionsByRule(bytes: Buffer): Map<number, Region[] | 'all'> {
    const out = new Map<number, Region[] | 'all'>();
    for (const r of this.alwaysRules) out.set(r, 'all');
    const set = this.keywordSet;
    if (!set) return out;
    const len = bytes.length;
    const chunks = new Map<number, number[]>();
    for (let i = 0, start = 0; start < len; i++, start += CHUNK_BYTES) {
      // Chunks overlap by the longest keyword, so a keyword across a chunk boundary is still seen.
      const end = Math.min(len, start + CHUNK_BYTES + this.maxKeywordLength - 1);
      for (const k of set.match(bytes.subarray(start, end)))
        for (const r of this.keywordRules[k]) {
          const list = chunks.get(r);
          if (!list) chunks.set(r, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
    }
    for (const [r, list] of chunks) {
      if (out.has(r)) continue;
      const margin = this.rules[r].margin;
      if (margin === Number.POSITIVE_INFINITY) {
        out.set(r, 'all');
        continue;
      }
      const regions: Region[] = [];
      let covered = 0;
      for (const i of list) {
        // One extra byte each side keeps `^`, `\b` and `(?:^|[^…])` context inside the region.
        const start = Math.max(0, i * CHUNK_BYTES - margin - 1);
        const end = Math.min(len, (i + 1) * CHUNK_BYTES + this.maxKeywordLength + margin + 1);
        const last = regions[regions.length - 1];
        if (last && start <= last.end) {
          covered += end - last.end;
          last.end = end;
        } else {
          regions.push({ start, end });
          covered += end - start;
        }
      }
      // Mostly covered: one pass over the whole blob is cheaper than many.
      out.set(r, covered > len * 0.6 ? 'all' : regions);
    }
    return out;
  }

  scan(blob: Blob, onlyRules?: Set<string>): Match[] {
    const bytes = blob.bytes;
    if (bytes.length === 0) return [];
    const plan: [CompiledRule, Region[] | 'all'][] =
      bytes.length >= this.chunkedMin
        ? [...this.regionsByRule(bytes)].sort((a, b) => a[0] - b[0]).map(([i, regions]) => [this.rules[i], regions])
        : this.candidateRules(bytes).map((r) => [r, 'all']);
    const lines = new LineIndex(bytes);
    const cands: Candidate[] = [];
    for (const [rule, regions] of plan) {
      if (onlyRules && !onlyRules.has(rule.spec.id)) continue;
      if (rule.pathRe.length && !rule.pathRe.some((p) => p.test(blob.path))) continue;
      if (rule.allowPathRe.some((p) => p.test(blob.path))) continue;
      if (regions === 'all') {
        this.runRule(rule, blob, lines, cands, { start: 0, end: bytes.length });
        continue;
      }
      const mark = cands.length;
      let complete = true;
      for (const region of regions) if (!this.runRule(rule, blob, lines, cands, region)) complete = false;
      if (!complete) {
        // A match ran into a region's edge and may continue past it: match this rule over the whole blob instead.
        cands.length = mark;
        this.runRule(rule, blob, lines, cands, { start: 0, end: bytes.length });
      }
    }
    if (cands.length === 0) return [];
    return this.finish(cands);
  }

  /**
   * Runs one rule over `region` of the blob. Returns false when a match touched the region's inner edge: matches
   * there may be cut short, and the caller rescans the blob whole.
   */
  private runRule(rule: CompiledRule, blob: Blob, lines: LineIndex, out: Candidate[], region: Region): boolean {
    const { re, spec } = rule;
    const bytes = blob.bytes;
    const base = region.start;
    const whole = base === 0 && region.end === bytes.length;
    const sub = whole ? bytes : bytes.subarray(base, region.end);
    const innerStart = base > 0;
    const innerEnd = region.end < bytes.length;
    re.lastIndex = 0;
    for (let m = re.exec(sub); m !== null; m = re.exec(sub)) {
      const arr = m as unknown as Buffer[];
      const matched = arr[0];
      if (matched.length === 0) {
        re.lastIndex++;
        continue;
      }
      // At a region's inner start the match may be the tail of something longer (and `^`, `\b` see no context).
      if (innerStart && m.index === 0) continue;
      if (rule.guard && !guardHolds(rule.guard, bytes, base + m.index)) {
        // Not a match of the full pattern here; one may still start at the next byte.
        re.lastIndex = m.index + 1;
        continue;
      }
      if (innerEnd && m.index + matched.length >= sub.length) return false;
      const group = rule.named ? m.groups?.secret : arr.length > 1 ? arr[1] : matched;
      if (!group || group.length === 0) continue;
      const rel = group === matched ? 0 : matched.indexOf(group);
      const offset = base + m.index + Math.max(rel, 0);
      const secret = group.toString('utf8');
      const entropy = shannonEntropy(secret);
      if (spec.entropy !== undefined && entropy < spec.entropy) continue;
      const checksum = runChecksum(spec.checksum, secret);
      if (checksum === 'invalid') continue;
      if (!this.secretAllowed(rule, secret)) continue;
      const lineIdx = lines.lineOf(offset);
      const lineText = this.lineText(bytes, lines, lineIdx, offset, group.length);
      if (hasInlineAllow(lineText)) continue;
      if (rule.allowLineRe.some((r) => r.test(lineText))) continue;
      const lineStart = lines.lineStart(lineIdx);
      const column = bytes.toString('utf8', lineStart, offset).length + 1;
      out.push({
        ruleId: spec.id,
        issuer: spec.issuer,
        secret,
        path: blob.path,
        line: lineIdx + 1,
        column,
        offset,
        commit: blob.commit,
        blobOid: blob.oid,
        repo: blob.repo,
        checksum,
        entropy: Math.round(entropy * 1000) / 1000,
        rule,
        end: offset + group.length,
        lineIdx,
      });
    }
    return true;
  }

  private secretAllowed(rule: CompiledRule, secret: string): boolean {
    if (isPlaceholder(secret, !rule.structured)) return false;
    const lower = secret.toLowerCase();
    if (rule.allowStop.some((w) => lower.includes(w))) return false;
    if (rule.allowRe.some((r) => r.test(secret))) return false;
    if (this.globalStop.some((w) => lower.includes(w))) return false;
    if (this.globalRe.some((r) => r.test(secret))) return false;
    return true;
  }

  private lineText(bytes: Buffer, lines: LineIndex, lineIdx: number, offset: number, len: number): string {
    const start = Math.max(lines.lineStart(lineIdx), offset - LINE_WINDOW);
    const end = Math.min(lines.lineEnd(lineIdx), offset + len + LINE_WINDOW);
    return bytes.toString('utf8', start, end);
  }

  /** Companions, companion-only rules, and overlaps between rules. */
  private finish(cands: Candidate[]): Match[] {
    const byRule = new Map<string, Candidate[]>();
    for (const c of cands) {
      const list = byRule.get(c.ruleId);
      if (list) list.push(c);
      else byRule.set(c.ruleId, [c]);
    }
    const absorbed = new Set<Candidate>();
    // A match that completed another credential is not itself completed (two rules naming each other as companions
    // must not swallow each other).
    const absorbers = new Set<Candidate>();
    for (const c of cands) {
      const { companions, companionWindow } = c.rule.spec;
      if (companions.length === 0 || absorbed.has(c)) continue;
      for (const compId of companions) {
        const list = byRule.get(compId);
        if (!list) continue;
        let best: Candidate | undefined;
        for (const o of list) {
          if (o === c || o.secret === c.secret || absorbers.has(o)) continue;
          const d = Math.abs(o.lineIdx - c.lineIdx);
          if (d > companionWindow) continue;
          const bd = best ? Math.abs(best.lineIdx - c.lineIdx) : Number.POSITIVE_INFINITY;
          // Same line distance: the nearer in bytes wins (two connection URLs on one line keep their own hosts).
          if (d < bd || (d === bd && Math.abs(o.offset - c.offset) < Math.abs(best!.offset - c.offset))) best = o;
        }
        if (best) {
          c.companions ??= {};
          c.companions[compId] = best.secret;
          if (!c.rule.spec.companionOnly) {
            absorbed.add(best);
            absorbers.add(c);
          }
        }
      }
    }
    const reportable = cands.filter(
      (c) => !c.rule.spec.companionOnly && !absorbed.has(c) && (!c.rule.spec.requiresCompanion || c.companions),
    );
    return resolveOverlaps(reportable).map(strip);
  }
}

function better(a: Candidate, b: Candidate): boolean {
  if ((a.checksum === 'valid') !== (b.checksum === 'valid')) return a.checksum === 'valid';
  if (a.rule.lowPriority !== b.rule.lowPriority) return !a.rule.lowPriority;
  const la = a.end - a.offset;
  const lb = b.end - b.offset;
  if (la !== lb) return la > lb;
  return a.rule.index < b.rule.index;
}

/** Where two rules claim overlapping bytes, the stronger claim wins: checksummed, then specific, then longer. */
function resolveOverlaps(cands: Candidate[]): Candidate[] {
  const sorted = [...cands].sort((a, b) => a.offset - b.offset || b.end - a.end);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    // kept is sorted and non-overlapping, so the entries overlapping c form a suffix of it.
    let first = kept.length;
    while (first > 0 && kept[first - 1].end > c.offset) first--;
    let wins = true;
    for (let i = first; i < kept.length; i++) if (!better(c, kept[i])) wins = false;
    if (!wins) continue;
    kept.length = first;
    kept.push(c);
  }
  return kept.sort((a, b) => a.offset - b.offset);
}

function strip(c: Candidate): Match {
  const { rule: _r, end: _e, lineIdx: _l, ...m } = c;
  if (m.commit === undefined) delete m.commit;
  if (m.blobOid === undefined) delete m.blobOid;
  if (m.repo === undefined) delete m.repo;
  return m;
}
