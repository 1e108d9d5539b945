import { UsageError } from './shared.js';

/** Runs a command body and maps its outcome to the exit codes of DESIGN.md: 0 clean, 1 findings, 2 error. */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (err) {
    const e = err as Error;
    const msg = e instanceof UsageError ? e.message : e.message || String(err);
    process.stderr.write(`keyscope: ${msg}\n`);
    if (process.env.KEYSCOPE_DEBUG && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 2;
  }
}
