import { describe, expect, it } from 'vitest';
import { maxMatchBytes } from '../../src/detect/match-length.js';

describe('maxMatchBytes', () => {
  it.each([
    ['abc', 3],
    ['a{2,5}', 5],
    ['(?:ab){2}c?', 5],
    ['(?P<secret>ab|cde)', 3],
    ['\\bfoo\\b', 3],
    ['^x$', 1],
    ['(?i)key', 3],
    ['(?-i:ENV|ARG)', 3],
    ['[A-Za-z0-9]{40}', 160],
    ['\\x21{2}', 8],
    ['\\Qa.b\\E', 12],
    ['a{0}', 0],
  ])('%s → %d', (pattern, n) => {
    expect(maxMatchBytes(pattern)).toBe(n);
  });

  it.each(['x+', 'a{3,}', 'x*?', '[ \\t]*=', '(?:a|b+)c', '(?<!x)a', '(unbalanced'])(
    '%s is unbounded or not understood',
    (p) => {
      expect(maxMatchBytes(p)).toBe(Number.POSITIVE_INFINITY);
    },
  );
});
