// The longest match a pattern can make, in bytes, read off its RE2 syntax: chunked matching of large blobs
// (engine.ts) runs a rule only near its keywords when the answer is bounded. Unbounded repeats (`*`, `+`, `{n,}`)
// give Infinity, and so does anything this reader does not understand. Every code point outside a plain ASCII
// literal counts as 4 bytes (UTF-8's longest), so the bound is safe, not tight.

const UNBOUNDED = Number.POSITIVE_INFINITY;

/** Upper bound of the bytes one match of `pattern` can span; Infinity when unbounded or not understood. */
export function maxMatchBytes(pattern: string): number {
  try {
    const p = new Parser(pattern);
    const n = p.alternation();
    return p.done() ? n : UNBOUNDED;
  } catch {
    return UNBOUNDED;
  }
}

const REPEAT = /^\{(\d+)(,(\d*))?\}/;

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  alternation(): number {
    let best = this.sequence();
    while (this.s[this.i] === '|') {
      this.i++;
      best = Math.max(best, this.sequence());
    }
    return best;
  }

  private sequence(): number {
    let total = 0;
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      total += this.quantified(this.atom());
    }
    return total;
  }

  private quantified(atom: number): number {
    let n = atom;
    for (;;) {
      const c = this.s[this.i];
      let max: number;
      if (c === '?') {
        this.i++;
        max = 1;
      } else if (c === '*' || c === '+') {
        this.i++;
        max = UNBOUNDED;
      } else {
        const m = c === '{' ? REPEAT.exec(this.s.slice(this.i)) : null;
        if (!m) return n;
        this.i += m[0].length;
        max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? UNBOUNDED : Number(m[3]);
      }
      n = n === 0 ? 0 : n * max;
      // The lazy marker of a quantifier.
      if (this.s[this.i] === '?') this.i++;
    }
  }

  private atom(): number {
    const c = this.s[this.i];
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    this.i++;
    if (c === '^' || c === '$') return 0;
    return c.charCodeAt(0) < 0x80 && c !== '.' ? 1 : 4;
  }

  private group(): number {
    this.i++;
    if (this.s[this.i] === '?') {
      const head = /^\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|[a-zA-Z-]*:|[a-zA-Z-]+\))/.exec(this.s.slice(this.i));
      if (!head) throw new Error('unsupported group');
      this.i += head[0].length;
      if (head[0].endsWith(')')) return 0; // a flags group such as (?i)
    }
    const n = this.alternation();
    if (this.s[this.i] !== ')') throw new Error('unbalanced group');
    this.i++;
    return n;
  }

  private charClass(): number {
    this.i++;
    if (this.s[this.i] === '^') this.i++;
    if (this.s[this.i] === ']') this.i++;
    while (this.i < this.s.length && this.s[this.i] !== ']') {
      if (this.s.startsWith('[:', this.i)) {
        const end = this.s.indexOf(':]', this.i);
        if (end < 0) throw new Error('bad class');
        this.i = end + 2;
      } else if (this.s[this.i] === '\\') {
        this.skipEscape();
      } else {
        this.i++;
      }
    }
    if (this.s[this.i] !== ']') throw new Error('unterminated class');
    this.i++;
    return 4;
  }

  /** Moves past one escape (`\n`, `\x21`, `\x{263a}`, `\pL`, `\p{Greek}`), returning its letter. */
  private skipEscape(): string {
    const c = this.s[this.i + 1];
    if (c === undefined) throw new Error('trailing backslash');
    this.i += 2;
    if (c === 'x' || c === 'p' || c === 'P') {
      if (this.s[this.i] === '{') {
        const end = this.s.indexOf('}', this.i);
        if (end < 0) throw new Error('bad escape');
        this.i = end + 1;
      } else {
        this.i += c === 'x' ? 2 : 1;
      }
    }
    return c;
  }

  private escape(): number {
    if (this.s[this.i + 1] === 'Q') {
      this.i += 2;
      const end = this.s.indexOf('\\E', this.i);
      const lit = end < 0 ? this.s.slice(this.i) : this.s.slice(this.i, end);
      this.i = end < 0 ? this.s.length : end + 2;
      return 4 * lit.length;
    }
    const c = this.skipEscape();
    return 'bBAz'.includes(c) ? 0 : 4;
  }
}
