import { describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { Detector } from '../../src/detect/engine.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { samplePath } from '../../src/detect/rules/selftest.js';
import { expandTemplate, seededRng } from '../../src/detect/samples.js';
import type { Match } from '../../src/types.js';

// Large blobs are prefiltered chunk by chunk and each rule runs only around its keyword hits. This must find what
// matching the whole blob finds: every rule's examples are planted in large blobs of filler at chunk boundaries,
// region edges and random places, in short-line and minified (one-line) filler, and both paths are compared.

const CHUNK = 16 * 1024;
const specs = loadRules();
const chunked = Detector.create(specs);
const whole = Detector.create(specs, {}, { wholeBlobs: true });

const key = (m: Match) => `${m.ruleId}@${m.offset}:${m.line}:${m.column}:${m.secret.length}:${m.secret.slice(0, 6)}`;

/** Filler of plain code without secret-like names, `lines` false = one endless line (a minified bundle). */
function filler(bytes: number, lines: boolean, rng: () => number): string {
  const words = ['render', 'value', 'count', 'items', 'offset', 'width', 'height', 'index', 'node', 'child'];
  let out = '';
  while (out.length < bytes) {
    const a = words[Math.floor(rng() * words.length)];
    const b = words[Math.floor(rng() * words.length)];
    out += `var ${a}${Math.floor(rng() * 1000)} = ${b}(${Math.floor(rng() * 100)}, ${a});${lines ? '\n' : ' '}`;
  }
  return out.slice(0, bytes);
}

interface Plant {
  at: number;
  text: string;
}

/** Places texts so that many straddle chunk boundaries or sit at the edges of the regions matched around them. */
function layout(texts: string[], rng: () => number): Plant[] {
  const plants: Plant[] = [];
  let cursor = 40_000;
  for (const [i, text] of texts.entries()) {
    const boundary = Math.ceil(cursor / CHUNK) * CHUNK;
    const mode = i % 4;
    const at =
      mode === 0
        ? boundary - Math.floor(text.length / 2) // across a chunk boundary
        : mode === 1
          ? boundary - text.length // ends at a boundary
          : mode === 2
            ? boundary + 1 // starts just after one
            : cursor + Math.floor(rng() * CHUNK); // anywhere
    plants.push({ at: Math.max(at, cursor), text });
    // 3+ chunks apart, so regions around different plants do not merge.
    cursor = Math.max(at, cursor) + text.length + 3 * CHUNK + Math.floor(rng() * CHUNK);
  }
  return plants;
}

function build(plants: Plant[], lines: boolean, rng: () => number): Buffer {
  const size = Math.max(300 * 1024, plants[plants.length - 1].at + plants[plants.length - 1].text.length + 20_000);
  let out = '';
  let pos = 0;
  for (const p of plants) {
    out += filler(p.at - pos, lines, rng);
    // Examples are whole lines: keep their line context.
    out += `\n${p.text}\n`;
    pos = out.length;
  }
  out += filler(size - pos, lines, rng);
  return Buffer.from(out, 'utf8');
}

describe('chunked matching of large blobs', () => {
  const byPath = new Map<string, string[]>();
  for (const spec of specs)
    for (const e of spec.examples) {
      const p = samplePath(spec);
      const list = byPath.get(p) ?? [];
      list.push(expandTemplate(e, 7));
      byPath.set(p, list);
    }

  for (const lines of [true, false]) {
    it(`finds the same matches as whole-blob matching (${lines ? 'short lines' : 'one long line'})`, () => {
      const rng = seededRng(lines ? 11 : 12);
      let blobs = 0;
      let planted = 0;
      let found = 0;
      for (const [p, texts] of byPath) {
        for (let i = 0; i < texts.length; i += 12) {
          const group = texts.slice(i, i + 12);
          const bytes = build(layout(group, rng), lines, rng);
          const blob = { path: p, bytes };
          const a = chunked.scan(blob).map(key).sort();
          const b = whole.scan(blob).map(key).sort();
          expect(a, `${p} group ${i / 12}`).toEqual(b);
          blobs++;
          planted += group.length;
          found += b.length;
        }
      }
      // The comparison is only worth something if the plants were found at all.
      expect(blobs).toBeGreaterThan(50);
      expect(found).toBeGreaterThan(planted * 0.8);
    });
  }

  it('a keyword far from a large blob start still makes its rule run there', () => {
    const rng = seededRng(3);
    const token = expandTemplate('{{gen:npm}}', 1);
    const text = `${filler(2_000_000, true, rng)}\nNPM_TOKEN=${token}\n${filler(100_000, true, rng)}`;
    const found = chunked.scan({ path: 'bundle.js', bytes: Buffer.from(text) });
    expect(found.map((m) => m.secret)).toContain(token);
    expect(found.find((m) => m.secret === token)?.line).toBe(text.slice(0, text.indexOf(token)).split('\n').length);
  });

  it('a match longer than the margin around its keyword is still found whole', () => {
    const rng = seededRng(4);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { sub: 'svc', scope: Array.from({ length: 4000 }, (_, i) => `scope:${i}`).join(' ') };
    const jwt = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${expandTemplate('{{rand:A-Za-z0-9_-:43}}', 2)}`;
    expect(jwt.length).toBeGreaterThan(40_000);
    const text = `${filler(500_000, true, rng)}
AUTH=${jwt}
${filler(200_000, true, rng)}`;
    const found = chunked.scan({ path: 'bundle.txt', bytes: Buffer.from(text) });
    expect(found.map((m) => m.secret)).toEqual(
      whole.scan({ path: 'bundle.txt', bytes: Buffer.from(text) }).map((m) => m.secret),
    );
    expect(found.map((m) => m.secret)).toContain(jwt);
  });
});
