import path from 'node:path';
import { type Command, Option } from 'commander';
import { HookError, installHook, uninstallHook } from '../../hook/install.js';
import { SEVERITIES } from '../../types.js';
import { runCommand } from '../run.js';
import { UsageError } from '../shared.js';

// `keyscope hook install|uninstall`: the native pre-commit hook (see src/hook/).

function repoDir(raw: { repo?: string }): string {
  return path.resolve(raw.repo ?? process.cwd());
}

function wrap(err: unknown): never {
  if (err instanceof HookError) throw new UsageError(err.message);
  throw err;
}

export function register(program: Command): void {
  const hook = program.command('hook').description('install or remove the native git pre-commit hook');

  hook
    .command('install')
    .description('write a pre-commit hook that runs `keyscope staged` (an existing hook is kept and chained)')
    .option('-C, --repo <dir>', 'the repository (default: the current directory)')
    .addOption(
      new Option('--fail-on <severity>', 'passed to `keyscope staged`: block at or above this severity').choices([
        ...SEVERITIES,
      ]),
    )
    .action((raw: { repo?: string; failOn?: string }) =>
      runCommand(async () => {
        const args = raw.failOn ? ['--fail-on', raw.failOn] : [];
        let res: ReturnType<typeof installHook>;
        try {
          res = installHook(repoDir(raw), undefined, args);
        } catch (err) {
          wrap(err);
        }
        const what =
          res.action === 'updated' ? 'keyscope pre-commit hook updated' : 'keyscope pre-commit hook installed';
        process.stdout.write(`${what}: ${res.paths.hook}\n`);
        if (res.chained) process.stdout.write(`the earlier hook is kept and runs first: ${res.paths.chained}\n`);
        return 0;
      }),
    );

  hook
    .command('uninstall')
    .description('remove keyscope’s pre-commit hook and restore the one it replaced')
    .option('-C, --repo <dir>', 'the repository (default: the current directory)')
    .action((raw: { repo?: string }) =>
      runCommand(async () => {
        let res: ReturnType<typeof uninstallHook>;
        try {
          res = uninstallHook(repoDir(raw));
        } catch (err) {
          wrap(err);
        }
        if (res.action === 'absent') process.stdout.write(`no keyscope pre-commit hook in ${res.paths.dir}\n`);
        else {
          process.stdout.write(`keyscope pre-commit hook removed: ${res.paths.hook}\n`);
          if (res.restored) process.stdout.write('the earlier hook is back in place\n');
        }
        return 0;
      }),
    );
}
