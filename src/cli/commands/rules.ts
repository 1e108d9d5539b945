import type { Command } from 'commander';
import { Detector } from '../../detect/engine.js';
import { loadRules } from '../../detect/rules/load.js';
import { testRules } from '../../detect/rules/selftest.js';
import { runCommand } from '../run.js';

export interface RuleListEntry {
  id: string;
  issuer: string;
  tokenType: string;
  checksum: string | null;
  verify: boolean;
  scope: boolean;
  revoke: boolean;
  description: string;
}

export async function listRules(extra: string[] = [], noBuiltin = false): Promise<RuleListEntry[]> {
  // The issuer registry loads every issuer client (undici, octokit, the AWS SDK): only this command needs it,
  // so it is imported here rather than at start-up (keeps `keyscope staged` quick).
  const { capabilitiesFor } = await import('../../issuers/registry.js');
  const { revocationSupported } = await import('../../revoke/providers/index.js');
  return loadRules({ extra, noBuiltin }).map((r) => {
    const caps = capabilitiesFor(r.issuer);
    return {
      id: r.id,
      issuer: r.issuer,
      tokenType: r.tokenType,
      checksum: r.checksum ?? null,
      verify: caps.verify,
      scope: caps.scope,
      revoke: caps.revoke || revocationSupported(r.issuer),
      description: r.description,
    };
  });
}

export function register(program: Command): void {
  const rules = program.command('rules').description('the detection catalog');
  rules
    .command('list')
    .description('list every rule with its issuer, token type, checksum and lookup capabilities')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--rules <paths...>', 'extra rule files or folders')
    .action((raw: { format: string; rules?: string[] }) =>
      runCommand(async () => {
        const list = await listRules(raw.rules ?? []);
        if (raw.format === 'json') {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return 0;
        }
        const issuers = new Set(list.map((r) => r.issuer));
        for (const r of list) {
          const caps = [r.verify ? 'verify' : '', r.scope ? 'scope' : '', r.revoke ? 'revoke' : '']
            .filter(Boolean)
            .join(',');
          process.stdout.write(
            `${r.id.padEnd(40)} ${r.issuer.padEnd(16)} ${r.tokenType.padEnd(22)} ${(r.checksum ?? '-').padEnd(16)} ${caps || '-'}\n`,
          );
        }
        process.stdout.write(`${list.length} rules, ${issuers.size} issuers\n`);
        return 0;
      }),
    );
  rules
    .command('test')
    .description("run every rule's examples and counterexamples (built-in catalog and/or the given rule files)")
    .argument('[files...]', 'rule files or folders to test instead of the built-in catalog')
    .option('--with-builtin', 'also test the built-in catalog when files are given', false)
    .action((files: string[], raw: { withBuiltin: boolean }) =>
      runCommand(async () => {
        const specs = loadRules({ extra: files, noBuiltin: files.length > 0 && !raw.withBuiltin });
        const detector = Detector.create(specs);
        const failures = testRules(specs, detector);
        for (const f of failures)
          process.stdout.write(`FAIL ${f.ruleId} (${f.file}) ${f.kind} ${JSON.stringify(f.sample)}: ${f.problem}\n`);
        const samples = specs.reduce((n, s) => n + s.examples.length + s.counterexamples.length, 0);
        process.stdout.write(
          `${specs.length} rules, ${samples} samples: ${failures.length === 0 ? 'all passed' : `${failures.length} failed`}\n`,
        );
        return failures.length === 0 ? 0 : 1;
      }),
    );
}
