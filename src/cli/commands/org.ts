import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { runCommand } from '../run.js';
import { addCommonOptions, commonOptions, UsageError } from '../shared.js';

// `keyscope org OWNER`: every repository of a GitHub organisation or user, mirrored and scanned incrementally
// (state in SQLite), resumable after a kill, shardable across a CI matrix (`--shard K/N`, joined by
// `keyscope report merge`). The heavy modules load inside the action.

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} takes a whole number ≥ 1`);
    return n;
  };
}

export function register(program: Command): void {
  addCommonOptions(
    program
      .command('org')
      .description('scan every repository of a GitHub organisation or user (incremental, resumable, shardable)')
      .argument('<owner>', 'organisation or user login')
      .option('--token <token>', 'GitHub token (default: $GITHUB_TOKEN, $GH_TOKEN)')
      .option(
        '--api-url <url>',
        'GitHub API base URL (default: [issuers.github] baseUrl, $KEYSCOPE_GITHUB_BASE_URL, $GITHUB_API_URL)',
      )
      .option('--mirrors <dir>', 'mirror cache folder (default: .keyscope/mirrors)')
      .option('--db <file>', 'state database (default: .keyscope/keyscope.db)')
      .option('--concurrency <n>', 'repositories scanned at once', positiveInt('--concurrency'), 4)
      .option('--shard <K/N>', 'scan only shard K of N (a deterministic share of the repositories by name)')
      .option('--include <glob>', 'only repositories whose name matches (repeatable; owner/name globs too)', collect)
      .option('--exclude <glob>', 'skip repositories whose name matches (repeatable)', collect)
      .option('--archived', 'include archived repositories')
      .option('--no-archived', 'skip archived repositories (default)')
      .option('--forks', 'include forks')
      .option('--no-forks', 'skip forks (default)')
      .addOption(
        new Option('--visibility <v>', 'only repositories of this visibility').choices([
          'all',
          'public',
          'private',
          'internal',
        ]),
      )
      .option(
        '--rate-limit-wait <seconds>',
        'longest GitHub rate-limit window to wait out',
        positiveInt('--rate-limit-wait'),
        900,
      ),
  ).action((owner: string, raw: Record<string, unknown>) =>
    runCommand(async () => {
      const opts = commonOptions(raw);
      const startedAt = Date.now();
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(owner))
        throw new UsageError(`not a GitHub owner name: ${JSON.stringify(owner)}`);
      const [
        { finishRun, prepare },
        { runOrg },
        { parseShard },
        { issuerBaseUrl },
        { DEFAULT_MAX_FILE_SIZE },
        prog,
        diff,
      ] = await Promise.all([
        import('../../pipeline.js'),
        import('../../org/run.js'),
        import('../../org/shard.js'),
        import('../../config/load.js'),
        import('../../sources/files.js'),
        import('../../org/progress.js'),
        import('../../org/diff.js'),
      ]);
      const root = process.cwd();
      const prepared = prepare(opts, root);
      const { config } = prepared.loaded;
      let shard: ReturnType<typeof parseShard> | undefined;
      if (typeof raw.shard === 'string') {
        try {
          shard = parseShard(raw.shard);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      const orgCfg = config.org ?? {
        include: [],
        exclude: [],
        archived: false,
        forks: false,
        visibility: 'all' as const,
      };
      const token = (raw.token as string | undefined) || process.env.GITHUB_TOKEN || process.env.GH_TOKEN || undefined;
      const baseUrl =
        (raw.apiUrl as string | undefined) ||
        issuerBaseUrl(config, 'github') ||
        process.env.GITHUB_API_URL ||
        undefined;
      const dbFile = path.resolve(typeof raw.db === 'string' ? raw.db : path.join(root, '.keyscope', 'keyscope.db'));
      const mirrorsDir = path.resolve(
        typeof raw.mirrors === 'string' ? raw.mirrors : path.join(root, '.keyscope', 'mirrors'),
      );
      const stopAfter = process.env.KEYSCOPE_ORG_STOP_AFTER ? Number(process.env.KEYSCOPE_ORG_STOP_AFTER) : undefined;

      // CI logs get one plain line per repository; only --quiet silences them.
      const progress = raw.quiet
        ? prog.SILENT
        : process.stderr.isTTY
          ? prog.barProgress((await import('cli-progress')).default)
          : prog.lineProgress();

      const res = await runOrg({
        owner,
        token,
        baseUrl,
        filters: {
          include: (raw.include as string[] | undefined) ?? orgCfg.include,
          exclude: [...orgCfg.exclude, ...((raw.exclude as string[] | undefined) ?? [])],
          archived: typeof raw.archived === 'boolean' ? raw.archived : orgCfg.archived,
          forks: typeof raw.forks === 'boolean' ? raw.forks : orgCfg.forks,
          visibility: (raw.visibility as 'all' | undefined) ?? orgCfg.visibility,
        },
        shard,
        mirrorsDir,
        dbFile,
        concurrency: raw.concurrency as number,
        workers: opts.workers,
        poolWorkers: config.scan.workers,
        rules: prepared.rules,
        specs: [...prepared.specs.values()],
        allow: prepared.allow,
        maxFileSize: opts.maxFileSize ?? config.scan.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
        skipPatterns: config.allow.paths,
        progress,
        stopAfter: stopAfter && Number.isInteger(stopAfter) && stopAfter > 0 ? stopAfter : undefined,
        maxRateLimitWait: raw.rateLimitWait as number,
      });

      const { code } = await finishRun({
        target: {
          kind: 'org',
          owner,
          account: res.kind,
          ...(res.stats.shard ? { shard: res.stats.shard } : {}),
          repositories: res.exposure.repos,
        },
        findings: res.findings,
        stats: res.stats,
        opts,
        prepared,
        startedAt,
        exposure: res.exposure,
        cacheFile: dbFile,
        onReport: (report) => {
          // Diff against the scope's last completed run; the whole set (baseline-suppressed ones too) is remembered.
          const known = res.state.knownFindings(res.scope);
          const d = diff.diffSinceLastScan(res.findings, known);
          const shown = new Set(report.findings.map((f) => f.id));
          report.stats.newSinceLastScan = d.newSinceLastScan.filter((id) => shown.has(id));
          report.stats.resolvedSinceLastScan = d.resolvedSinceLastScan;
          res.state.completeRun(
            res.run,
            res.findings.map(diff.knownOf),
            d.resolvedSinceLastScan.map((r) => ({ id: r.id, reason: r.reason })),
            {
              findings: res.findings.length,
              new: d.newSinceLastScan.length,
              resolved: d.resolvedSinceLastScan.length,
              repositories: res.stats.repositories,
              blobsScanned: res.stats.blobsScanned,
              durationMs: Date.now() - startedAt,
            },
          );
        },
      });
      const r = res.stats.repositories;
      if (r.selected > 0 && r.failed === r.selected) {
        process.stderr.write(`keyscope: every repository failed (${res.stats.skipped[0]?.reason ?? 'unknown'})\n`);
        return 2;
      }
      return code;
    }),
  );
}
