import path from 'node:path';
import type { Command } from 'commander';
import { groupMatches } from '../../detect/group.js';
import { scanBlobs } from '../../detect/scan.js';
import { cacheFileFor, finishRun, prepare } from '../../pipeline.js';
import { DEFAULT_MAX_FILE_SIZE, fileSource } from '../../sources/files.js';
import { startProgress } from '../progress.js';
import { runCommand } from '../run.js';
import { addCommonOptions, commonOptions } from '../shared.js';

export function register(program: Command): void {
  addCommonOptions(
    program
      .command('scan')
      .description('scan files on disk (default: the current directory), honouring .gitignore and .keyscopeignore')
      .argument('[paths...]', 'files or folders to scan', ['.'])
      .option('--no-gitignore', 'do not honour .gitignore files')
      .option('--cache <file>', 'lookup cache file (default: .keyscope/cache.db in the scanned folder)')
      .option('--no-cache', 'do not read or write the lookup cache'),
  ).action((paths: string[], raw: Record<string, unknown>) =>
    runCommand(async () => {
      const opts = commonOptions(raw);
      const startedAt = Date.now();
      const root = paths.length === 1 ? path.resolve(paths[0]) : process.cwd();
      const prepared = prepare(opts, root);
      const scanCfg = prepared.loaded.config.scan;
      const src = fileSource(paths, {
        maxFileSize: opts.maxFileSize ?? scanCfg.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
        ignorePatterns: prepared.loaded.config.allow.paths,
        noGitignore: raw.gitignore === false,
      });
      const progress = startProgress(opts, 'files');
      const res = await scanBlobs(src.blobs, {
        rules: prepared.rules,
        allow: prepared.allow,
        workers: opts.workers ?? scanCfg.workers,
        onBlob: (b) => progress.tick(b.size),
      });
      progress.stop();
      const findings = groupMatches(res.matches);
      const { code } = await finishRun({
        target: { kind: 'files', paths },
        findings,
        stats: {
          filesScanned: res.blobsScanned,
          blobsScanned: res.blobsScanned,
          bytesScanned: res.bytesScanned,
          skipped: [...src.skipped, ...res.skipped],
        },
        opts,
        prepared,
        startedAt,
        cacheFile: cacheFileFor(raw, root),
      });
      return code;
    }),
  );
}
