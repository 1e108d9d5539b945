import { runAction } from './action.js';
import { escapeData } from './workflow.js';

// Entry point of the GitHub Action (built to dist/action.js; action.yml runs it). Exit codes as the CLI's:
// 0 nothing at or above fail-on, 1 findings at or above it, 2 the action could not do its job.
try {
  process.exitCode = await runAction();
} catch (err) {
  const msg = (err as Error).message || String(err);
  process.stdout.write(`::error title=keyscope::${escapeData(msg)}\n`);
  process.stderr.write(`keyscope: ${msg}\n`);
  if (process.env.KEYSCOPE_DEBUG && (err as Error).stack) process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 2;
}
