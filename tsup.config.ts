import { defineConfig } from 'tsup';

// Two entry points: the CLI and the matching worker (loaded by path at run time).
export default defineConfig({
  entry: { cli: 'src/cli/index.ts', worker: 'src/detect/worker.ts', index: 'src/index.ts', action: 'src/github/action-main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: true,
  clean: true,
  shims: false,
  // Small pure-JS dependencies go into the bundle: fewer files for the ESM loader to open at start-up
  // (`keyscope staged` as a pre-commit hook: ~30% less start-up CPU). Native, heavy and lazily loaded ones stay out.
  noExternal: ['zod', 'smol-toml', 'commander', 'picocolors', 'ignore', 'p-limit', 'yocto-queue'],
  // Bundled CommonJS (commander, ignore, picocolors) calls require(); give ESM chunks one.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __keyscopeRequire } from 'node:module';\nconst require = __keyscopeRequire(import.meta.url);" },
});
