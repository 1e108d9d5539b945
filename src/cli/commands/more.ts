import type { Command } from 'commander';
import { register as registerHistory } from './history.js';
import { register as registerHook } from './hook.js';
import { register as registerOrg } from './org.js';
import { register as registerReport } from './report.js';
import { register as registerRevoke } from './revoke.js';
import { register as registerStaged } from './staged.js';
import { register as registerVerify } from './verify.js';

// Commands contributed by other modules. Each line registers one command; keep one per line so parallel edits merge.
export async function registerMore(program: Command): Promise<void> {
  const mods: { register: (p: Command) => void }[] = [];
  mods.push({ register: registerHook });
  mods.push({ register: registerHistory });
  mods.push({ register: registerStaged });
  mods.push({ register: registerVerify });
  mods.push({ register: registerRevoke });
  mods.push({ register: registerOrg });
  mods.push({ register: registerReport });
  for (const m of mods) m.register(program);
}
