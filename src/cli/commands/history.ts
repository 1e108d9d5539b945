import path from 'node:path';
import type { Command } from 'commander';
import type { Finding } from '../../types.js';
import { runCommand } from '../run.js';
import { addCommonOptions, commonOptions, UsageError } from '../shared.js';

// `keyscope history [REPO]` (every blob reachable from all refs) and `history --range BASE..HEAD`
// (only what a pull request introduced). The heavy modules load inside the action.

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** BASE..HEAD, BASE...HEAD (from the merge base), BASE.. (up to HEAD). */
export function parseRange(spec: string): { base: string; head: string; symmetric: boolean } {
  const m = /^(.+?)(\.\.\.?)(.*)$/.exec(spec);
  if (!m?.[1]) throw new UsageError(`--range takes BASE..HEAD (got ${JSON.stringify(spec)})`);
  return { base: m[1], head: m[3] || 'HEAD', symmetric: m[2] === '...' };
}

/** The introducing commit first (topological order), then path and line. */
export function orderOccurrences(findings: Finding[], commitOrder: (c: string | undefined) => number): void {
  for (const f of findings) {
    f.occurrences.sort(
      (a, b) =>
        commitOrder(a.commit) - commitOrder(b.commit) ||
        a.file.localeCompare(b.file) ||
        a.line - b.line ||
        a.column - b.column,
    );
  }
}

export function register(program: Command): void {
  addCommonOptions(
    program
      .command('history')
      .description('scan every blob reachable from all refs of a git repository, each distinct blob once')
      .argument('[repo]', 'repository (work tree, bare repository or worktree)', '.')
      .option('--ref <ref>', 'only history reachable from this ref (repeatable)', collect)
      .option('--range <BASE..HEAD>', 'only what the commits of this range introduced (pull requests)')
      .option('--cache <file>', 'blob cache file (default: .keyscope/cache.db in the repository)')
      .option('--no-cache', 'do not read or write the blob cache')
      .option('--submodules', 'follow submodules whose repositories are present (their whole history)', false),
  ).action((target: string, raw: Record<string, unknown>) =>
    runCommand(async () => {
      const opts = commonOptions(raw);
      const startedAt = Date.now();
      const [{ openRepo, resolveCommit }, { runGit }, { scanHistory }, { groupMatches }, { finishRun, prepare }] =
        await Promise.all([
          import('../../sources/git/repo.js'),
          import('../../sources/git/exec.js'),
          import('../../sources/git/scan-history.js'),
          import('../../detect/group.js'),
          import('../../pipeline.js'),
        ]);
      const { DEFAULT_MAX_FILE_SIZE } = await import('../../sources/files.js');
      const { startProgress } = await import('../progress.js');
      const repo = await openRepo(target);
      const prepared = prepare(opts, repo.dir);
      const { config } = prepared.loaded;

      let range: { base: string; head: string } | undefined;
      if (typeof raw.range === 'string') {
        if (raw.ref) throw new UsageError('--range and --ref cannot be combined');
        const r = parseRange(raw.range);
        let base = await resolveCommit(repo.dir, r.base);
        const head = await resolveCommit(repo.dir, r.head);
        if (r.symmetric) {
          const mb = await runGit(repo.dir, ['merge-base', base, head], { allowFail: true });
          if (mb.code !== 0) throw new UsageError(`${r.base} and ${r.head} have no common ancestor`);
          base = mb.stdout.toString('utf8').trim();
        }
        range = { base, head };
      }

      const cache = raw.cache === false ? false : typeof raw.cache === 'string' ? path.resolve(raw.cache) : undefined;
      const progress = startProgress(opts, 'blobs');
      const res = await scanHistory({
        target: repo.dir,
        repo,
        refs: raw.ref as string[] | undefined,
        range,
        rules: prepared.rules,
        specs: [...prepared.specs.values()],
        allow: prepared.allow,
        workers: opts.workers ?? config.scan.workers,
        maxFileSize: opts.maxFileSize ?? config.scan.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
        skipPatterns: config.allow.paths,
        cache,
        submodules: Boolean(raw.submodules),
        onBlob: (size) => progress.tick(size),
      });
      progress.stop();
      // Notes (shallow clone, empty repository, unreadable objects) matter in CI logs too: only --quiet hides them.
      if (!raw.quiet) for (const n of res.stats.notes) process.stderr.write(`keyscope: ${n}\n`);

      const findings = groupMatches(res.matches, res.occurrencesOf);
      orderOccurrences(findings, res.commitOrder);
      const { code } = await finishRun({
        target: range
          ? { kind: 'range', repo: repo.dir, range: typeof raw.range === 'string' ? raw.range : undefined, ...range }
          : { kind: 'history', repo: repo.dir, ...(raw.ref ? { refs: raw.ref as string[] } : {}) },
        findings,
        stats: res.stats,
        opts,
        prepared,
        startedAt,
      });
      return code;
    }),
  );
}
