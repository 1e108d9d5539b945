import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { SEVERITIES } from '../../types.js';
import { runCommand } from '../run.js';
import { type CommonOptions, type FailOn, FORMATS, type Format, UsageError } from '../shared.js';

// `keyscope report merge A.json B.json …`: joins shard reports (an org scan's `--shard K/N` matrix) into one,
// merging reuse across shards and scoring the union again. Reports go in as JSON and come out in any format.

export function register(program: Command): void {
  const report = program.command('report').description('work with keyscope JSON reports');
  report
    .command('merge')
    .description(
      'join JSON reports (org scan shards) into one: findings by id, occurrences unioned, stats summed, risk re-scored',
    )
    .argument('<reports...>', 'JSON reports (keyscope … --format json)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('json'))
    .option('-o, --output <file>', 'write the merged report to a file instead of stdout')
    .option('-c, --config <file>', 'configuration file (risk weights, extra rules; default: keyscope.toml here)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices([...SEVERITIES, 'none'])
        .default('info'),
    )
    .option('--show-secrets', 'keep full secret values carried by the inputs (dangerous)', false)
    .option('--no-color', 'no colours in text output')
    .action((files: string[], raw: Record<string, unknown>) =>
      runCommand(async () => {
        if (files.length === 0) throw new UsageError('report merge needs at least one JSON report');
        const [{ parseReport }, { mergeReports }, { prepare, writeReport, exitCodeFor }, { riskContextFromConfig }] =
          await Promise.all([
            import('../../report/json.js'),
            import('../../report/merge.js'),
            import('../../pipeline.js'),
            import('../../risk/score.js'),
          ]);
        const reports = files.map((file) => {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch (err) {
            throw new UsageError(`${file}: ${(err as Error).message}`);
          }
          return parseReport(text, file);
        });
        const prepared = prepare({ config: raw.config as string | undefined }, process.cwd());
        const risk = riskContextFromConfig(prepared.loaded.config, {
          ruleInfo: (id) => {
            const spec = prepared.specs.get(id);
            return spec
              ? { severity: spec.severity, tokenType: spec.tokenType, description: spec.description }
              : undefined;
          },
        });
        const merged = mergeReports(reports, { risk });
        const opts: CommonOptions = {
          format: raw.format as Format,
          output: raw.output as string | undefined,
          offline: true,
          failOn: raw.failOn as FailOn,
          showSecrets: Boolean(raw.showSecrets),
          verify: false,
          plan: false,
          color: raw.color !== false && !process.env.NO_COLOR && Boolean(process.stdout.isTTY) && !raw.output,
          quiet: true,
          revoke: false,
          yes: false,
        };
        await writeReport(merged, opts);
        return exitCodeFor(merged.findings, opts.failOn);
      }),
    );
}
