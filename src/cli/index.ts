import { Command } from 'commander';
import { VERSION } from '../version.js';
import { register as registerBaseline } from './commands/baseline.js';
import { registerMore } from './commands/more.js';
import { register as registerRules } from './commands/rules.js';
import { register as registerScan } from './commands/scan.js';

if (process.env.KEYSCOPE_BENCH_RSS) {
  // Benchmarks read peak memory of the whole process (worker threads included).
  process.on('exit', () => process.stderr.write(`keyscope-max-rss-kb=${process.resourceUsage().maxRSS}\n`));
}

// keyscope's command line. Each command lives in ./commands/<name>.ts and registers itself here.
const program = new Command()
  .name('keyscope')
  .description('Find leaked secrets, look up what each key can reach, and score its blast radius.')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander's own usage errors (unknown flag, bad choice) exit 2 as DESIGN.md says; help/version exit 0.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
      process.exit(0);
    process.exit(2);
  });

registerScan(program);
registerBaseline(program);
registerRules(program);
await registerMore(program);

await program.parseAsync(process.argv);
