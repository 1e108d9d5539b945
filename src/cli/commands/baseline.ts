import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { groupMatches } from '../../detect/group.js';
import { scanBlobs } from '../../detect/scan.js';
import { annotate, prepare } from '../../pipeline.js';
import { DEFAULT_MAX_FILE_SIZE, fileSource } from '../../sources/files.js';
import { VERSION } from '../../version.js';
import { runCommand } from '../run.js';

export interface BaselineFile {
  tool: 'keyscope';
  kind: 'baseline';
  version: string;
  createdAt: string;
  fingerprints: { id: string; ruleId: string; file: string; line: number; redacted: string }[];
}

export function register(program: Command): void {
  program
    .command('baseline')
    .description("write a baseline of today's findings; later scans with --baseline FILE report only new ones")
    .argument('[path]', 'folder to scan', '.')
    .option('-o, --output <file>', 'baseline file', '.keyscope-baseline.json')
    .option('-c, --config <file>', 'configuration file')
    .action((target: string, raw: { output: string; config?: string }) =>
      runCommand(async () => {
        const prepared = prepare({ config: raw.config }, path.resolve(target));
        const src = fileSource([target], {
          maxFileSize: prepared.loaded.config.scan.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
          ignorePatterns: prepared.loaded.config.allow.paths,
        });
        const res = await scanBlobs(src.blobs, { rules: prepared.rules, allow: prepared.allow });
        const findings = groupMatches(res.matches);
        annotate(findings, prepared.specs);
        const out: BaselineFile = {
          tool: 'keyscope',
          kind: 'baseline',
          version: VERSION,
          createdAt: new Date().toISOString(),
          fingerprints: findings.map((f) => ({
            id: f.id,
            ruleId: f.ruleId,
            file: f.occurrences[0].file,
            line: f.occurrences[0].line,
            redacted: f.redacted,
          })),
        };
        writeFileSync(raw.output, `${JSON.stringify(out, null, 2)}\n`);
        process.stderr.write(`keyscope: baseline of ${findings.length} finding(s) written to ${raw.output}\n`);
        return 0;
      }),
    );
}
