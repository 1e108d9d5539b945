import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Blob, Match, SkippedItem } from '../types.js';
import { checkRulePatterns, Detector, type GlobalAllow } from './engine.js';
import { type LoadRulesOptions, loadRules } from './rules/load.js';
import type { RuleSpec } from './rules/schema.js';
import type { WorkBlob, WorkerInit, WorkReply, WorkRequest } from './worker.js';

export interface ScanBlobsOptions {
  rules: LoadRulesOptions;
  allow?: GlobalAllow;
  /** 0 = match in this thread (quick start-up: staged, small inputs); default = all cores. */
  workers?: number;
  /** An already-built detector for in-thread matching. */
  detector?: Detector;
  /** Workers already started for this scan (see MatchingPool); closed when the scan ends. */
  pool?: MatchingPool;
  /** Called after each blob's matches are known. */
  onBlob?: (blob: { path: string; oid?: string; size: number }, matches: Match[]) => void;
}

export interface ScanBlobsResult {
  matches: Match[];
  blobsScanned: number;
  bytesScanned: number;
  skipped: SkippedItem[];
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

const BATCH_BYTES = 1 << 20;
const BATCH_BLOBS = 256;
const MAX_IN_FLIGHT_BYTES = 64 << 20;
/** Work queued on one worker: a few batches, so that whichever worker is free takes the next (big blobs vary). */
const WORKER_QUEUE_BYTES = 4 << 20;

/**
 * How to start a matching worker: the bundled script next to this module, or, when running from TypeScript sources
 * (tests, benchmarks under tsx), a small eval bootstrap that registers tsx inside the worker first.
 */
function workerEntry(): { file: string; eval: boolean } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const src = pathToFileURL(fileURLToPath(new URL('./worker.ts', import.meta.url))).href;
    // Resolved from here, not from the worker's cwd (tests run the CLI from temporary folders).
    // require.resolve picks the package's CommonJS entry (index.cjs), which cannot load tsx's ESM half inside a
    // worker; its ESM twin sits next to it.
    const tsx = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(src)}); });`;
    return { file: code, eval: true };
  }
  const bundled = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(bundled)) return { file: bundled, eval: false };
  return { file: fileURLToPath(new URL('../worker.js', import.meta.url)), eval: false };
}

/** Scans a stream of blobs, in this thread or across worker threads, with bounded memory. */
export async function scanBlobs(
  blobs: AsyncIterable<Blob> | Iterable<Blob>,
  opts: ScanBlobsOptions,
): Promise<ScanBlobsResult> {
  const workers = opts.workers ?? defaultWorkers();
  if (workers <= 0) {
    await opts.pool?.close();
    return scanInThread(blobs, opts);
  }
  return scanInWorkers(blobs, opts, workers);
}

async function scanInThread(
  blobs: AsyncIterable<Blob> | Iterable<Blob>,
  opts: ScanBlobsOptions,
): Promise<ScanBlobsResult> {
  const detector = opts.detector ?? Detector.create(loadRules(opts.rules), opts.allow);
  const res: ScanBlobsResult = { matches: [], blobsScanned: 0, bytesScanned: 0, skipped: [] };
  for await (const blob of blobs) {
    let found: Match[];
    try {
      found = detector.scan(blob);
    } catch (err) {
      res.skipped.push({ path: blob.path, reason: `matching failed: ${(err as Error).message}` });
      continue;
    }
    res.blobsScanned++;
    res.bytesScanned += blob.bytes.length;
    for (const m of found) res.matches.push(m);
    opts.onBlob?.({ path: blob.path, oid: blob.oid, size: blob.bytes.length }, found);
  }
  return res;
}

interface PoolWorker {
  worker: Worker;
  inFlight: number;
  inFlightBytes: number;
}

/**
 * Matching workers, started before the blobs are known: a history scan starts them before it enumerates the
 * repository, so their start-up (modules, rule compilation) overlaps git's work. One scan uses a pool, then closes it.
 */
export class MatchingPool {
  /** A worker that failed before the scan listened (it failed to load). */
  earlyError: Error | undefined;

  private constructor(
    readonly workers: Worker[],
    readonly specs: RuleSpec[],
  ) {
    for (const w of workers) w.once('error', (err) => (this.earlyError ??= err));
  }

  static start(specs: RuleSpec[], allow: GlobalAllow | undefined, count: number): MatchingPool {
    const entry = workerEntry();
    const init: WorkerInit = { specs, allow };
    const workers: Worker[] = [];
    for (let i = 0; i < Math.max(1, count); i++)
      workers.push(new Worker(entry.file, { workerData: init, eval: entry.eval }));
    return new MatchingPool(workers, specs);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

async function scanInWorkers(
  blobs: AsyncIterable<Blob> | Iterable<Blob>,
  opts: ScanBlobsOptions,
  count: number,
): Promise<ScanBlobsResult> {
  const started = opts.pool ?? MatchingPool.start(loadRules(opts.rules), opts.allow, count);
  const specs = started.specs;
  const res: ScanBlobsResult = { matches: [], blobsScanned: 0, bytesScanned: 0, skipped: [] };
  interface Job {
    batch: { path: string; oid?: string; size: number }[];
    bytes: number;
    resolve: () => void;
    reject: (e: Error) => void;
  }
  // Blob memory is transferred to the worker, so sizes are recorded before posting.
  const pending = new Map<number, Job>();
  let inFlightBytes = 0;
  let nextId = 1;
  let failure: Error | undefined = started.earlyError
    ? new Error(`matching worker failed: ${started.earlyError.message}`)
    : undefined;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  const pool: PoolWorker[] = [];
  for (const worker of started.workers) {
    const pw: PoolWorker = { worker, inFlight: 0, inFlightBytes: 0 };
    worker.on('message', (reply: WorkReply) => {
      const job = pending.get(reply.id);
      if (!job) return;
      pending.delete(reply.id);
      pw.inFlight--;
      pw.inFlightBytes -= job.bytes;
      inFlightBytes -= job.bytes;
      const failed = new Set(reply.errors.map((e) => e.path));
      for (const e of reply.errors) res.skipped.push(e);
      for (const m of reply.matches) res.matches.push(m);
      for (const b of job.batch) {
        if (failed.has(b.path)) continue;
        res.blobsScanned++;
        res.bytesScanned += b.size;
        if (opts.onBlob) {
          const mine = reply.matches.filter((m) => m.path === b.path && m.blobOid === b.oid);
          opts.onBlob(b, mine);
        }
      }
      job.resolve();
      wake();
    });
    worker.on('error', (err) => {
      failure ??= new Error(`matching worker failed: ${err.message}`);
      for (const job of pending.values()) job.reject(failure);
      wake();
    });
    pool.push(pw);
  }

  const jobs: Promise<void>[] = [];
  let batch: WorkBlob[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const least = () => pool.reduce((a, b) => (b.inFlightBytes < a.inFlightBytes ? b : a));
    while (
      (inFlightBytes > MAX_IN_FLIGHT_BYTES || (least().inFlight > 0 && least().inFlightBytes >= WORKER_QUEUE_BYTES)) &&
      !failure
    )
      await new Promise<void>((r) => waiters.push(r));
    if (failure) throw failure;
    const target = least();
    const id = nextId++;
    const req: WorkRequest = { id, blobs: batch };
    const transfer = [...new Set(batch.map((b) => b.bytes.buffer as ArrayBuffer))];
    const bytes = batchBytes;
    jobs.push(
      new Promise<void>((resolve, reject) => {
        pending.set(id, {
          batch: req.blobs.map((b) => ({ path: b.path, oid: b.oid, size: b.bytes.byteLength })),
          bytes,
          resolve,
          reject,
        });
      }),
    );
    target.inFlight++;
    target.inFlightBytes += bytes;
    inFlightBytes += bytes;
    target.worker.postMessage(req, transfer);
    batch = [];
    batchBytes = 0;
  };

  try {
    for await (const blob of blobs) {
      // Transfer the blob's memory when it owns its ArrayBuffer; copy slices of pooled or shared buffers.
      const b = blob.bytes;
      const ownsBuffer =
        b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !(b.buffer instanceof SharedArrayBuffer);
      const owned = ownsBuffer ? new Uint8Array(b.buffer, 0, b.byteLength) : new Uint8Array(b);
      batch.push({ path: blob.path, oid: blob.oid, commit: blob.commit, repo: blob.repo, bytes: owned });
      batchBytes += owned.length;
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_BLOBS) await flush();
    }
    await flush();
    // Workers compile rules lazily; every pattern is compiled once here, while they match, so that a rule RE2
    // refuses stops the run with its file and id instead of surfacing as per-blob failures.
    checkRulePatterns(specs, opts.allow);
    await Promise.all(jobs);
  } finally {
    await started.close();
  }
  if (failure) throw failure;
  return res;
}
