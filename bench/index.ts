import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runScanBench } from './scan.js';

// `npm run bench`: every benchmark, one run each. BENCH_ONLY=scan,history,staged,org picks some;
// BENCH_SKIP_SECRETLINT=1 skips the (very slow) secretlint run on the whole tree.
const only = new Set((process.env.BENCH_ONLY ?? 'scan,history,staged,org').split(','));

async function optional(file: string, fn: string): Promise<void> {
  const url = new URL(file, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return;
  const mod = (await import(url.href)) as Record<string, () => Promise<void>>;
  await mod[fn]?.();
}

if (only.has('scan')) await runScanBench({ skipSecretlint: process.env.BENCH_SKIP_SECRETLINT === '1' });
if (only.has('history')) await optional('./history.ts', 'runHistoryBench');
if (only.has('staged')) await optional('./staged.ts', 'runStagedBench');
if (only.has('org')) await optional('./org.ts', 'runOrgBench');
