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
  banner: { js: '#!/usr/bin/env node' },
});
