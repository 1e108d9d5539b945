import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { finishRun, log, prepare } from '../../pipeline.js';
import { parseReport } from '../../report/json.js';
import { recoverSecrets } from '../../revoke/recover.js';
import type { AccessStatus, Finding } from '../../types.js';
import { runCommand } from '../run.js';
import { addCommonOptions, commonOptions } from '../shared.js';

// `keyscope verify REPORT.json`: look the keys of an earlier report up again (still live?). Reports carry no secrets,
// so each one is recovered by re-reading an occurrence (file or git blob) and matching its fingerprint.

export function register(program: Command): void {
  addCommonOptions(
    program
      .command('verify')
      .description('look the keys of an earlier JSON report up again: still live?')
      .argument('<report>', 'a keyscope JSON report'),
  ).action((file: string, raw: Record<string, unknown>) =>
    runCommand(async () => {
      const opts = commonOptions(raw);
      const startedAt = Date.now();
      const earlier = parseReport(readFileSync(file, 'utf8'), file);
      const root = earlier.target.repo ? path.resolve(String(earlier.target.repo)) : process.cwd();
      const prepared = prepare(opts, root);
      const before = new Map<string, AccessStatus | undefined>(earlier.findings.map((f) => [f.id, f.access?.status]));
      const rec = await recoverSecrets(earlier.findings, {
        rules: prepared.rules,
        allow: prepared.allow,
        target: earlier.target,
        roots: [...new Set([process.cwd(), path.dirname(path.resolve(file)), root])],
      });
      for (const [id, why] of rec.missing)
        log(opts, `keyscope: ${id}: secret not recoverable (${why}); kept as unknown`);
      const usable: Finding[] = earlier.findings.filter((f) => f.secret);
      const lost = earlier.findings.filter((f) => !f.secret);
      for (const f of lost) {
        f.access = {
          status: 'unknown',
          source: 'offline',
          checkedAt: new Date().toISOString(),
          notes: [`secret not recoverable: ${rec.missing.get(f.id) ?? 'no occurrence could be read'}`],
        };
      }
      for (const f of usable) delete f.access;
      const { code, report } = await finishRun({
        target: { kind: 'verify', report: file, ...(earlier.target.repo ? { repo: earlier.target.repo } : {}) },
        findings: [...usable, ...lost],
        stats: { filesScanned: 0, blobsScanned: 0, bytesScanned: 0, skipped: [] },
        opts,
        prepared,
        startedAt,
        keepAccess: true,
      });
      let changed = 0;
      for (const f of report.findings) {
        const was = before.get(f.id);
        if (was !== f.access?.status) {
          changed++;
          log(
            opts,
            `keyscope: ${f.redacted} (${f.issuer}): ${was ?? 'not checked'} → ${f.access?.status ?? 'unknown'}`,
          );
        }
      }
      log(opts, `keyscope: ${report.findings.length} key(s) checked again, ${changed} changed status`);
      return code;
    }),
  );
}
