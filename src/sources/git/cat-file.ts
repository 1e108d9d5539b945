import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { firstLine, spawnGit } from './exec.js';

// One long-lived `git cat-file --batch` per repository. Requests are written while replies are parsed,
// so both sides stream: the writer waits for 'drain', the parser pulls one stdout chunk at a time (the pipe
// fills and git blocks when the consumer is slow). Each blob is copied once into a buffer of its own, which
// the matching workers can take over without another copy. Blobs over `maxSize` are drained, never held.
// A missing object is reported and skipped; a corrupt one kills git, so the process restarts after it.

export interface CatFileObject {
  oid: string;
  type?: string;
  size: number;
  /** The content; absent when missing, corrupt or over the size limit. */
  bytes?: Buffer;
  missing?: boolean;
  tooLarge?: boolean;
  /** Why the object could not be read (corrupt object, git died). */
  error?: string;
}

export interface CatFileReadOptions {
  /** Objects larger than this are consumed from the stream but not kept. */
  maxSize?: number;
}

class ChunkReader {
  private leftover: Buffer | null = null;
  private readonly iter: AsyncIterator<Buffer>;
  ended = false;

  constructor(stream: Readable) {
    this.iter = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  private async pull(): Promise<boolean> {
    if (this.leftover && this.leftover.length > 0) return true;
    if (this.ended) return false;
    const r = await this.iter.next();
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.leftover = r.value;
    return true;
  }

  /** Reads up to and including '\n'; null at end of stream. */
  async line(): Promise<string | null> {
    let parts: Buffer[] | undefined;
    for (;;) {
      if (!(await this.pull())) return null;
      const buf = this.leftover!;
      const nl = buf.indexOf(10);
      if (nl !== -1) {
        const head = buf.subarray(0, nl);
        this.leftover = buf.subarray(nl + 1);
        return parts ? Buffer.concat([...parts, head]).toString('latin1') : head.toString('latin1');
      }
      if (!parts) parts = [];
      parts.push(Buffer.from(buf));
      this.leftover = null;
    }
  }

  /** Copies exactly `n` bytes into `into` (or drops them when `into` is undefined). False on a short stream. */
  async bytes(n: number, into?: Buffer): Promise<boolean> {
    let done = 0;
    while (done < n) {
      if (!(await this.pull())) return false;
      const buf = this.leftover!;
      const take = Math.min(n - done, buf.length);
      if (into) buf.copy(into, done, 0, take);
      done += take;
      this.leftover = take === buf.length ? null : buf.subarray(take);
    }
    return true;
  }
}

interface Proc {
  child: ChildProcess;
  reader: ChunkReader;
  stderr: Buffer[];
  exited: Promise<void>;
}

export class CatFile {
  private proc: Proc | undefined;
  private busy: Promise<void> = Promise.resolve();
  /** Processes started, restarts after corrupt objects included. */
  starts = 0;

  constructor(readonly cwd: string) {}

  private start(): Proc {
    const child = spawnGit(this.cwd, ['cat-file', '--batch']);
    this.starts++;
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (c: Buffer) => {
      if (stderr.length < 64) stderr.push(c);
    });
    child.stdin!.on('error', () => {
      // EPIPE when git died on a corrupt object; the reader notices the short stream.
    });
    const exited = new Promise<void>((resolve) => {
      child.on('close', () => resolve());
      child.on('error', () => resolve());
    });
    const proc: Proc = { child, reader: new ChunkReader(child.stdout!), stderr, exited };
    this.proc = proc;
    return proc;
  }

  private stop(proc: Proc): void {
    if (this.proc === proc) this.proc = undefined;
    proc.child.stdin!.destroy();
    proc.child.stdout!.destroy();
    if (proc.child.exitCode === null) proc.child.kill();
  }

  /** Reads objects in request order. One read at a time per instance; breaking out early is allowed. */
  async *read(oids: readonly string[], opts: CatFileReadOptions = {}): AsyncGenerator<CatFileObject> {
    const prev = this.busy;
    let release!: () => void;
    this.busy = new Promise((r) => {
      release = r;
    });
    await prev;
    const maxSize = opts.maxSize ?? Number.POSITIVE_INFINITY;
    let i = 0;
    let proc: Proc | undefined;
    try {
      while (i < oids.length) {
        proc = this.proc ?? this.start();
        const writer = writeAll(proc.child, oids, i);
        let died = false;
        while (i < oids.length) {
          const obj = await readOne(proc.reader, oids[i], maxSize);
          if (!obj) {
            died = true;
            break;
          }
          i++;
          yield obj;
        }
        if (!died) {
          await writer;
          break;
        }
        // git died on oids[i] (corrupt object), or its reply was out of step: name it, restart after it.
        this.stop(proc);
        await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 2000))]);
        const why =
          firstLine(Buffer.concat(proc.stderr).toString('utf8')) || 'corrupt object (reply does not match its size)';
        await writer;
        proc = undefined;
        yield { oid: oids[i], size: 0, error: why };
        i++;
      }
    } finally {
      // A consumer that stopped early leaves replies in the pipe: this process is out of step, drop it.
      if (proc && i < oids.length) this.stop(proc);
      release();
    }
  }

  /** Reads one object. */
  async get(oid: string, opts: CatFileReadOptions = {}): Promise<CatFileObject> {
    for await (const o of this.read([oid], opts)) return o;
    return { oid, size: 0, error: 'no reply from git cat-file' };
  }

  close(): void {
    if (this.proc) {
      const p = this.proc;
      this.proc = undefined;
      p.child.stdin!.end();
      p.child.stdout!.resume();
    }
  }
}

/** Writes requests from `from` on, waiting for 'drain' so memory stays bounded. Stops quietly if git dies. */
async function writeAll(child: ChildProcess, oids: readonly string[], from: number): Promise<void> {
  const stdin = child.stdin!;
  const CHUNK = 256;
  for (let i = from; i < oids.length; i += CHUNK) {
    if (stdin.destroyed || stdin.writableEnded) return;
    const part = `${oids.slice(i, i + CHUNK).join('\n')}\n`;
    if (!stdin.write(part)) {
      const ok = await new Promise<boolean>((resolve) => {
        const done = (v: boolean) => {
          stdin.off('drain', onDrain);
          stdin.off('close', onClose);
          stdin.off('error', onClose);
          resolve(v);
        };
        const onDrain = () => done(true);
        const onClose = () => done(false);
        stdin.on('drain', onDrain);
        stdin.on('close', onClose);
        stdin.on('error', onClose);
      });
      if (!ok) return;
    }
  }
}

/** Parses one reply. Undefined when the stream ended early (git died). */
async function readOne(reader: ChunkReader, requested: string, maxSize: number): Promise<CatFileObject | undefined> {
  const header = await reader.line();
  if (header === null) return undefined;
  const parts = header.split(' ');
  if (parts.length === 2 && (parts[1] === 'missing' || parts[1] === 'ambiguous')) {
    return { oid: requested, size: 0, missing: true, error: `object ${parts[1]}` };
  }
  if (parts.length !== 3) return { oid: requested, size: 0, error: `unexpected reply from git cat-file: ${header}` };
  const [oid, type, sizeText] = parts;
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size) || size < 0) return undefined;
  if (size > maxSize) {
    if (!(await reader.bytes(size))) return undefined;
    if (!(await terminated(reader))) return undefined;
    return { oid, type, size, tooLarge: true };
  }
  // allocUnsafeSlow: a buffer of its own (not the shared pool), so a worker can take it over by transfer.
  const bytes = Buffer.allocUnsafeSlow(size);
  if (!(await reader.bytes(size, bytes))) return undefined;
  if (!(await terminated(reader))) return undefined;
  return { oid, type, size, bytes };
}

/** The newline after the content. Anything else means a corrupt object streamed more than its size: out of step. */
async function terminated(reader: ChunkReader): Promise<boolean> {
  const nl = Buffer.alloc(1);
  return (await reader.bytes(1, nl)) && nl[0] === 10;
}
