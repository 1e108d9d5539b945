import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource, looksBinary } from '../../src/sources/files.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'keyscope-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function w(rel: string, content: string | Buffer) {
  const full = path.join(root, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

async function collect(target: string, maxFileSize = 1 << 20) {
  const src = fileSource([target], { maxFileSize });
  const paths: string[] = [];
  for await (const b of src.blobs) paths.push(b.path);
  return { paths: paths.sort(), skipped: src.skipped };
}

describe('fileSource', () => {
  w('keep.txt', 'hello');
  w('.gitignore', 'ignored.txt\nbuild/\n');
  w('ignored.txt', 'x');
  w('build/out.js', 'x');
  w('sub/.gitignore', '*.log\n');
  w('sub/a.log', 'x');
  w('sub/b.txt', 'x');
  w('.keyscopeignore', 'vendor/\n');
  w('vendor/lib.js', 'x');
  w('.git/config', '[core]');
  w('bin.dat', Buffer.from([1, 2, 0, 3, 4]));
  w('big.txt', 'y'.repeat(2 << 20));
  mkdirSync(path.join(root, 'loop'), { recursive: true });
  symlinkSync('..', path.join(root, 'loop', 'up'));
  symlinkSync(path.join(root, 'keep.txt'), path.join(root, 'link.txt'));

  it('honours .gitignore at every level and .keyscopeignore, never enters .git', async () => {
    const { paths } = await collect(root);
    expect(paths).toContain('keep.txt');
    expect(paths).toContain('sub/b.txt');
    expect(paths).not.toContain('ignored.txt');
    expect(paths).not.toContain('build/out.js');
    expect(paths).not.toContain('sub/a.log');
    expect(paths).not.toContain('vendor/lib.js');
    expect(paths.some((p) => p.startsWith('.git/'))).toBe(false);
  });

  it('skips binaries, oversize files and symlinks with a reason, without looping', async () => {
    const { paths, skipped } = await collect(root);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(reasons['bin.dat']).toBe('binary file');
    expect(reasons['big.txt']).toMatch(/larger than the 1\.0 MiB limit/);
    expect(reasons['loop/up']).toBe('symlink not followed');
    expect(reasons['link.txt']).toBe('symlink not followed');
    expect(paths).not.toContain('big.txt');
  });

  it('skips a sparse multi-gigabyte file by its size without reading it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keyscope-sparse-'));
    const fd = openSync(path.join(dir, 'huge.img'), 'w');
    writeSync(fd, 'x', 2 * 1024 ** 3);
    closeSync(fd);
    const { skipped } = await collect(dir);
    expect(skipped[0]).toMatchObject({ path: 'huge.img' });
    expect(skipped[0].reason).toMatch(/larger than/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not enter an ignored folder at all, and walks in name order', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keyscope-prune-'));
    mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n!keep.log\n*.log\n');
    symlinkSync('..', path.join(dir, 'node_modules', 'pkg', 'loop'));
    writeFileSync(path.join(dir, 'node_modules', 'pkg', 'index.js'), 'x');
    for (const f of ['b.txt', 'a.txt', 'c.log']) writeFileSync(path.join(dir, f), 'x');
    const src = fileSource([dir], { maxFileSize: 1 << 20 });
    const paths: string[] = [];
    for await (const b of src.blobs) paths.push(b.path);
    expect(paths).toEqual(['.gitignore', 'a.txt', 'b.txt']);
    // Inside the ignored folder nothing was looked at, not even the symlink.
    expect(src.skipped).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing target instead of failing', async () => {
    const { paths, skipped } = await collect(path.join(root, 'nope'));
    expect(paths).toEqual([]);
    expect(skipped[0].reason).toMatch(/cannot read: ENOENT/);
  });

  it('tells binary from text like git (NUL in the head), UTF-16 with BOM is text', () => {
    expect(looksBinary(Buffer.from('plain text'))).toBe(false);
    expect(looksBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toBe(true);
    expect(looksBinary(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe(false);
  });
});
