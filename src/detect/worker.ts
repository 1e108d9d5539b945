import { parentPort, workerData } from 'node:worker_threads';
import type { Match } from '../types.js';
import { Detector, type GlobalAllow } from './engine.js';
import type { RuleSpec } from './rules/schema.js';

// A matching worker: compiles the rules once, then scans batches of blobs sent by the pool.

export interface WorkerInit {
  /** Loaded and validated by the pool, so a worker never loads the TOML parser or zod. */
  specs: RuleSpec[];
  allow?: GlobalAllow;
}

export interface WorkBlob {
  path: string;
  oid?: string;
  commit?: string;
  repo?: string;
  bytes: Uint8Array;
}

export interface WorkRequest {
  id: number;
  blobs: WorkBlob[];
}

export interface WorkReply {
  id: number;
  matches: Match[];
  errors: { path: string; reason: string }[];
}

const WARM_IDLE_MS = 20;

if (parentPort) {
  const init = workerData as WorkerInit;
  // Rules compile on first use: on most trees a large share of the catalog never has a keyword hit. The pool
  // validates every pattern on the main thread, so a bad rule still stops the run (exit 2).
  const detector = Detector.create(init.specs, init.allow, { lazy: true });
  const port = parentPort;
  // While no batch has come for a while (the pool is still reading, or a history scan is still enumerating), compile
  // rules ahead of use a few at a time; once batches flow, rules compile on first use only.
  let lastBatch = 0;
  const warm = () => {
    if (performance.now() - lastBatch < WARM_IDLE_MS) setTimeout(warm, WARM_IDLE_MS);
    else if (detector.warm(8)) setTimeout(warm, 1);
  };
  setTimeout(warm, 0);
  port.on('message', (req: WorkRequest) => {
    lastBatch = performance.now();
    const matches: Match[] = [];
    const errors: WorkReply['errors'] = [];
    for (const b of req.blobs) {
      try {
        const bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
        for (const m of detector.scan({ ...b, bytes })) matches.push(m);
      } catch (err) {
        errors.push({ path: b.path, reason: `matching failed: ${(err as Error).message}` });
      }
    }
    port.postMessage({ id: req.id, matches, errors } satisfies WorkReply);
    lastBatch = performance.now();
  });
}
