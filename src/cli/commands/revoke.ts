import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { prepare } from '../../pipeline.js';
import { parseReport, toJsonReport } from '../../report/json.js';
import { recoverSecrets } from '../../revoke/recover.js';
import { runCommand } from '../run.js';

// `keyscope revoke REPORT.json`: revoke the keys of an earlier report that the [revoke] policy selects. Dry run
// unless --yes. Reports carry no secrets (unless written with --show-secrets), so each key is recovered by reading
// an occurrence again (file or git blob) and matching its fingerprint; a key that cannot be recovered is named.
// Exit 0 = done (or dry run), 1 = a revocation failed or a selected key could not be recovered, 2 = usage/runtime error.

export function register(program: Command): void {
  program
    .command('revoke')
    .description('revoke the keys of a JSON report that the [revoke] policy selects (dry run unless --yes)')
    .argument('<report>', 'a keyscope JSON report')
    .option('--yes', 'really revoke (default: print the plan and change nothing)', false)
    .option('-c, --config <file>', 'configuration file (default: keyscope.toml in the target)')
    .option('--offline', 'no network at all: revoke nothing, say what would have been revoked', false)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the JSON output to a file instead of stdout')
    .option('--db <file>', 'SQLite store for the audit log', path.join('.keyscope', 'keyscope.db'))
    .option('--audit-log <file>', 'JSON-lines audit log (default: [revoke] audit_log, else .keyscope/audit.jsonl)')
    .action((file: string, raw: Record<string, unknown>) =>
      runCommand(async () => {
        const format = raw.format as 'text' | 'json';
        const report = parseReport(readFileSync(file, 'utf8'), file);
        const root = report.target.repo ? path.resolve(String(report.target.repo)) : process.cwd();
        const prepared = prepare({ config: raw.config as string | undefined }, root);
        const out = (t: string) => (format === 'json' ? process.stderr : process.stdout).write(`${t}\n`);
        const rec = await recoverSecrets(report.findings, {
          rules: prepared.rules,
          allow: prepared.allow,
          target: report.target,
          roots: [...new Set([process.cwd(), path.dirname(path.resolve(file)), root])],
        });
        if (rec.recovered) out(`keyscope: recovered ${rec.recovered} secret(s) from their files by fingerprint`);
        // Loaded on use: the providers pull in every issuer client, which would slow every command's start-up.
        const { revokeFindings } = await import('../../revoke/run.js');
        const res = await revokeFindings(report.findings, {
          yes: Boolean(raw.yes),
          offline: Boolean(raw.offline),
          config: prepared.loaded.config,
          db: raw.db as string,
          auditLog: raw.auditLog as string | undefined,
          detectedAt: report.generatedAt,
          missing: rec.missing,
          print: out,
        });
        if (format === 'json') {
          const json = {
            ...toJsonReport(report, { showSecrets: false }),
            revocationRun: {
              runId: res.runId,
              mode: res.mode,
              policy: res.policy,
              counts: res.summary.counts,
              notes: res.notes,
            },
          };
          const text = `${JSON.stringify(json, null, 2)}\n`;
          if (raw.output) writeFileSync(String(raw.output), text);
          else process.stdout.write(text);
        }
        const bad = res.plan.items.some(
          (i) =>
            i.findings[0].revocation?.result === 'failed' ||
            (res.mode === 'execute' && i.reason?.startsWith('secret not recoverable')),
        );
        return bad ? 1 : 0;
      }),
    );
}
