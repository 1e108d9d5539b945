// The token factory: builds well-formed sample secrets at run time so that no live-looking token is ever committed.
// Templates inside rule examples and tests:
//   {{rand:CHARSET:N}}   N random chars from CHARSET, written like a regex class body: `A-Za-z0-9_-`
//   {{gen:NAME}} / {{gen:NAME:ARG}}   a named generator (checksummed formats etc.), see registerGenerator
// Randomness is a seeded PRNG, so a test run is reproducible; `seed` varies the samples.

export type Rng = () => number;
export type Generator = (arg: string | undefined, rng: Rng) => string;

const generators = new Map<string, Generator>();

export function registerGenerator(name: string, gen: Generator): void {
  if (generators.has(name)) throw new Error(`token generator ${name} registered twice`);
  generators.set(name, gen);
}

export function generatorNames(): string[] {
  return [...generators.keys()].sort();
}

/** mulberry32: small, fast, good enough for test data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const charsetCache = new Map<string, string>();

/** Expands a class body like `A-Za-z0-9_-` into its characters. */
export function expandCharset(spec: string): string {
  const cached = charsetCache.get(spec);
  if (cached) return cached;
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '\\' && i + 1 < spec.length) {
      out += spec[++i];
    } else if (spec[i + 1] === '-' && i + 2 < spec.length) {
      const from = c.charCodeAt(0);
      const to = spec.charCodeAt(i + 2);
      for (let k = from; k <= to; k++) out += String.fromCharCode(k);
      i += 2;
    } else {
      out += c;
    }
  }
  const uniq = [...new Set(out)].join('');
  charsetCache.set(spec, uniq);
  return uniq;
}

export function randomString(charset: string, n: number, rng: Rng): string {
  const chars = expandCharset(charset);
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(rng() * chars.length)];
  return s;
}

export const BASE62 = '0-9A-Za-z';

const TEMPLATE = /\{\{(rand|gen):([^}]*)\}\}/g;

export function hasTemplate(text: string): boolean {
  TEMPLATE.lastIndex = 0;
  return TEMPLATE.test(text);
}

/** Expands every template in `text`. Throws on an unknown generator or a malformed template. */
export function expandTemplate(text: string, seed = 1): string {
  const rng = seededRng(seed);
  return text.replace(TEMPLATE, (_all, kind: string, body: string) => {
    if (kind === 'rand') {
      const cut = body.lastIndexOf(':');
      const charset = body.slice(0, cut);
      const n = Number(body.slice(cut + 1));
      if (cut <= 0 || !Number.isInteger(n) || n <= 0) throw new Error(`malformed template {{rand:${body}}}`);
      return randomString(charset, n, rng);
    }
    const sep = body.indexOf(':');
    const name = sep < 0 ? body : body.slice(0, sep);
    const arg = sep < 0 ? undefined : body.slice(sep + 1);
    const gen = generators.get(name);
    if (!gen) throw new Error(`unknown token generator "${name}" in {{gen:${body}}}`);
    return gen(arg, rng);
  });
}
