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

if (parentPort) {
  const init = workerData as WorkerInit;
  // Rules compile on first use: on most trees a large share of the catalog never has a keyword hit. The pool
  // validates every pattern on the main thread, so a bad rule still stops the run (exit 2).
  const detector = Detector.create(init.specs, init.allow, { lazy: true });
  const port = parentPort;
  port.on('message', (req: WorkRequest) => {
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
  });
}
