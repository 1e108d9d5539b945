import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// The hook and action tests run the built CLI and action (dist/), as users do. `npm test` builds first; when run
// alone, build once if dist is missing or older than the sources.

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const ACTION = path.join(ROOT, 'dist', 'action.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const built = [CLI, ACTION].every((f) => existsSync(f));
  // `npm test` has just built: never rebuild under it (a rebuild cleans dist/ while other test files use it).
  if (built && process.env.KEYSCOPE_BUILT === '1') return;
  if (built && Math.min(statSync(CLI).mtimeMs, statSync(ACTION).mtimeMs) >= newest(path.join(ROOT, 'src'))) return;
  execFileSync('npx', ['tsup', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
