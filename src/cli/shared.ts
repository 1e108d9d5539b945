import { type Command, InvalidArgumentError, Option } from 'commander';
import { SEVERITIES, type Severity } from '../types.js';

// Flags every scanning command shares (DESIGN.md "Shared flags"), parsed once into CommonOptions.

export type Format = 'text' | 'json' | 'sarif' | 'markdown' | 'github' | 'html';
export const FORMATS: Format[] = ['text', 'json', 'sarif', 'markdown', 'github', 'html'];
export type FailOn = Severity | 'none';

export interface CommonOptions {
  format: Format;
  output?: string;
  config?: string;
  offline: boolean;
  failOn: FailOn;
  baseline?: string;
  showSecrets: boolean;
  /** Look keys up at their issuers (off under --offline). */
  verify: boolean;
  /** Print which redacted secret would go to which host; send nothing. */
  plan: boolean;
  workers?: number;
  maxFileSize?: number;
  color: boolean;
  quiet: boolean;
  revoke: boolean;
  yes: boolean;
}

export class UsageError extends Error {}

function intArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} takes a whole number`);
    return n;
  };
}

function sizeArg(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError('a size such as 50MB, 512k or 1048576');
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

export interface CommonDefaults {
  verify?: boolean;
  failOn?: FailOn;
}

export function addCommonOptions(cmd: Command, defaults: CommonDefaults = {}): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'configuration file (default: keyscope.toml in the target)')
    .option('--offline', 'no network at all: offline checks only', false)
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices([...SEVERITIES, 'none'])
        .default(defaults.failOn ?? 'info'),
    )
    .option('--baseline <file>', 'suppress findings listed in this baseline or earlier JSON report')
    .option('--show-secrets', 'print full secret values in reports (dangerous)', false)
    .option(defaults.verify === false ? '--verify' : '--no-verify', 'look keys up at their issuers')
    .option('--plan', 'show which redacted secret would be sent to which host, and send nothing', false)
    .option('--workers <n>', 'matching threads (0 = in-process)', intArg('--workers'))
    .option('--max-file-size <size>', 'skip files larger than this (default 100MB)', sizeArg)
    .option('--no-color', 'no colours in text output')
    .option('-q, --quiet', 'no progress or notes on stderr', false)
    .option('--revoke', 'revoke keys selected by the [revoke] policy (dry run unless --yes)', false)
    .option('--yes', 'with --revoke: really revoke', false);
}

export function commonOptions(raw: Record<string, unknown>, defaults: CommonDefaults = {}): CommonOptions {
  const verifyDefault = defaults.verify ?? true;
  const offline = Boolean(raw.offline);
  const wantVerify = raw.verify === undefined ? verifyDefault : Boolean(raw.verify);
  const format = (raw.format as Format) ?? 'text';
  return {
    format,
    output: raw.output as string | undefined,
    config: raw.config as string | undefined,
    offline,
    failOn: (raw.failOn as FailOn) ?? defaults.failOn ?? 'info',
    baseline: raw.baseline as string | undefined,
    showSecrets: Boolean(raw.showSecrets),
    verify: wantVerify && !offline,
    plan: Boolean(raw.plan),
    workers: raw.workers as number | undefined,
    maxFileSize: raw.maxFileSize as number | undefined,
    color: raw.color !== false && !process.env.NO_COLOR && Boolean(process.stdout.isTTY) && !raw.output,
    // Notes and warnings go to stderr unless --quiet; progress bars only on a terminal (src/cli/progress.ts).
    quiet: Boolean(raw.quiet),
    revoke: Boolean(raw.revoke),
    yes: Boolean(raw.yes),
  };
}
