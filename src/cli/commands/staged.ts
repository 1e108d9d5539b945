import type { Command } from 'commander';
import { blockedCommitFooter } from '../../hook/script.js';
import { runCommand } from '../run.js';
import { addCommonOptions, commonOptions } from '../shared.js';

// `keyscope staged`: the index against HEAD, only secrets on added lines. Built for pre-commit hooks:
// no lookups unless --verify, matching in this thread (no worker start-up), modules loaded on use only.

export function register(program: Command): void {
  addCommonOptions(
    program
      .command('staged')
      .description('scan the staged changes (the index against HEAD): only secrets on added lines (pre-commit)')
      .option('-C, --repo <dir>', 'repository to inspect (default: the current directory)'),
    { verify: false, failOn: 'info' },
  ).action((raw: Record<string, unknown>) =>
    runCommand(async () => {
      const opts = commonOptions(raw, { verify: false, failOn: 'info' });
      const startedAt = Date.now();
      const [
        staged,
        { scanBlobs },
        { groupMatches },
        { finishRun, prepare },
        { looksBinary, DEFAULT_MAX_FILE_SIZE },
        { Detector },
      ] = await Promise.all([
        import('../../sources/git/staged.js'),
        import('../../detect/scan.js'),
        import('../../detect/group.js'),
        import('../../pipeline.js'),
        import('../../sources/files.js'),
        import('../../detect/engine.js'),
      ]);
      const cwd = typeof raw.repo === 'string' ? raw.repo : process.cwd();
      const changes = await staged.stagedChanges(cwd);
      const prepared = prepare(opts, changes.root);
      const { config } = prepared.loaded;
      const skipped = [...changes.skipped];
      const ignored = config.allow.paths.length
        ? (await import('ignore')).default().add(config.allow.paths)
        : undefined;
      const files = ignored ? changes.files.filter((f) => !ignored.ignores(f.path)) : changes.files;
      const res = await scanBlobs(
        staged.stagedBlobs(
          changes.root,
          files,
          opts.maxFileSize ?? config.scan.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
          skipped,
          looksBinary,
        ),
        // The rules prepare() already loaded: parsing the catalog twice would double the start-up cost.
        {
          rules: prepared.rules,
          allow: prepared.allow,
          workers: 0,
          detector: Detector.create([...prepared.specs.values()], prepared.allow, { lazy: true }),
        },
      );
      const matches = staged.onAddedLines(res.matches, files);
      const findings = groupMatches(matches, (m) => [
        { file: m.path, line: m.line, column: m.column, blobOid: m.blobOid },
      ]);
      const stats = {
        filesScanned: res.blobsScanned,
        blobsScanned: res.blobsScanned,
        bytesScanned: res.bytesScanned,
        skipped: [...skipped, ...res.skipped],
        stagedFiles: changes.files.length,
      };
      const { code } = await finishRun({
        target: { kind: 'staged', repo: changes.root, ...(changes.initial ? { initial: true } : {}) },
        findings,
        stats,
        opts,
        prepared,
        startedAt,
      });
      // Under the pre-commit framework and the native hook alike: say how to get past a blocked commit.
      if (code === 1 && opts.format === 'text') process.stderr.write(blockedCommitFooter());
      return code;
    }),
  );
}
