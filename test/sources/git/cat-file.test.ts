import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatFile } from '../../../src/sources/git/cat-file.js';
import { GitRepo } from '../../support/git-repo.js';

describe('CatFile (git cat-file --batch stream)', () => {
  let repo: GitRepo;
  const oids: string[] = [];
  const contents: string[] = [];

  beforeAll(() => {
    repo = GitRepo.create();
    for (let i = 0; i < 300; i++) {
      const text = `file ${i}\n${'x'.repeat(i * 37)}\nend\n`;
      contents.push(text);
      repo.write(`f${i}.txt`, text);
    }
    repo.commit('many files');
    for (let i = 0; i < 300; i++) oids.push(repo.git('rev-parse', `HEAD:f${i}.txt`));
  });
  afterAll(() => repo.cleanup());

  it('streams many objects in request order, each in a buffer of its own', async () => {
    const cat = new CatFile(repo.dir);
    const got: string[] = [];
    for await (const o of cat.read(oids)) {
      expect(o.type).toBe('blob');
      expect(o.bytes!.byteOffset).toBe(0);
      expect(o.bytes!.buffer.byteLength).toBe(o.bytes!.length);
      got.push(o.bytes!.toString('utf8'));
    }
    expect(got).toEqual(contents);
    cat.close();
  });

  it('reuses one process across reads, and survives a consumer that stops early', async () => {
    const cat = new CatFile(repo.dir);
    let n = 0;
    for await (const _ of cat.read(oids)) if (++n === 5) break;
    const again = await cat.get(oids[7]);
    expect(again.bytes!.toString('utf8')).toBe(contents[7]);
    const third = await cat.get(oids[8]);
    expect(third.bytes!.toString('utf8')).toBe(contents[8]);
    // one restart after the early break, then the same process for both gets
    expect(cat.starts).toBe(2);
    cat.close();
  });

  it('names a missing object and goes on', async () => {
    const cat = new CatFile(repo.dir);
    const fake = 'deadbeef'.repeat(5);
    const res = [];
    for await (const o of cat.read([oids[0], fake, oids[1]])) res.push(o);
    expect(res.map((o) => o.oid)).toEqual([oids[0], fake, oids[1]]);
    expect(res[1].missing).toBe(true);
    expect(res[2].bytes!.toString('utf8')).toBe(contents[1]);
    cat.close();
  });

  it('consumes an object over the size limit without keeping it', async () => {
    const cat = new CatFile(repo.dir);
    const res = [];
    for await (const o of cat.read([oids[299], oids[1]], { maxSize: 1000 })) res.push(o);
    expect(res[0].tooLarge).toBe(true);
    expect(res[0].bytes).toBeUndefined();
    expect(res[0].size).toBe(contents[299].length);
    expect(res[1].bytes!.toString('utf8')).toBe(contents[1]);
    cat.close();
  });

  it('restarts after a corrupt object, naming it', async () => {
    const r = GitRepo.create();
    try {
      r.write('a.txt', 'alpha\n').write('b.txt', 'bravo\n').write('c.txt', 'charlie\n');
      r.commit('three');
      const [a, b, c] = ['a', 'b', 'c'].map((n) => r.git('rev-parse', `HEAD:${n}.txt`));
      // A truncated loose object: git prints the header, then dies while streaming the content.
      const file = r.objectPath(b);
      chmodSync(file, 0o644);
      writeFileSync(file, readFileSync(file).subarray(0, 12));
      const cat = new CatFile(r.dir);
      const res = [];
      for await (const o of cat.read([a, b, c])) res.push(o);
      expect(res.map((o) => o.oid)).toEqual([a, b, c]);
      expect(res[0].bytes!.toString()).toBe('alpha\n');
      expect(res[1].error).toMatch(/corrupt|unable|inflate/i);
      expect(res[2].bytes!.toString()).toBe('charlie\n');
      expect(cat.starts).toBe(2);
      cat.close();
    } finally {
      r.cleanup();
    }
  });

  it('treats an unreadable object as missing, and one longer than its header as corrupt', async () => {
    const r = GitRepo.create();
    try {
      r.write('a.txt', 'alpha\n').write('b.txt', 'bravo\n').write('c.txt', 'charlie\n').write('d.txt', 'delta\n');
      r.commit('four');
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => r.git('rev-parse', `HEAD:${n}.txt`));
      chmodSync(r.objectPath(b), 0o644);
      writeFileSync(r.objectPath(b), 'this is not zlib data');
      // Valid zlib whose content runs past the size in its header.
      chmodSync(r.objectPath(c), 0o644);
      writeFileSync(r.objectPath(c), deflateSync(Buffer.concat([Buffer.from('blob 3\0'), Buffer.from('abcdefghij')])));
      const cat = new CatFile(r.dir);
      const res = [];
      for await (const o of cat.read([a, b, c, d])) res.push(o);
      expect(res.map((o) => o.oid)).toEqual([a, b, c, d]);
      expect(res[1].missing).toBe(true);
      expect(res[2].error).toBeTruthy();
      expect(res[2].bytes).toBeUndefined();
      expect(res[3].bytes!.toString()).toBe('delta\n');
      cat.close();
    } finally {
      r.cleanup();
    }
  });
});
