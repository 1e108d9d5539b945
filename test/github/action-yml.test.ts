import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../../src/github/action.js';

// action.yml, .pre-commit-hooks.yaml and the example workflows agree with what the code reads and writes.

const ROOT = path.resolve(import.meta.dirname, '../..');
const yml = (p: string) => parse(readFileSync(path.join(ROOT, p), 'utf8'));

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}

const action = yml('action.yml') as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

describe('action.yml', () => {
  const run = action.runs.steps.find((s) => s.id === 'keyscope');

  it('is a composite action that installs its own dependencies and runs dist/action.js', () => {
    expect(action.runs.using).toBe('composite');
    const install = action.runs.steps.find((s) => s.run?.includes('npm ci'));
    expect(install?.run).toBeDefined();
    expect(run?.run).toContain('"$GITHUB_ACTION_PATH/dist/action.js"');
  });

  it('passes every input to the script as INPUT_*', () => {
    for (const name of Object.keys(action.inputs)) {
      const env = `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
      expect(run?.env?.[env], name).toBe(`\${{ inputs.${name} }}`);
    }
  });

  it('has defaults the script accepts', () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, def] of Object.entries(action.inputs)) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
      env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = (def.default ?? '').replace('${{ github.token }}', 't');
    }
    const inputs = readInputs(env);
    expect(inputs).toMatchObject({
      mode: 'auto',
      failOn: 'info',
      verify: true,
      revoke: 'off',
      comment: true,
      token: 't',
    });
  });

  it('maps each output to the step output the script writes', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      ['findings', 'highest-severity', 'report-json', 'report-markdown', 'report-sarif'].sort(),
    );
    for (const [name, o] of Object.entries(action.outputs))
      expect(o.value).toBe(`\${{ steps.keyscope.outputs.${name} }}`);
    const src = readFileSync(path.join(ROOT, 'src/github/action.ts'), 'utf8');
    for (const name of Object.keys(action.outputs)) expect(src, name).toMatch(new RegExp(`['\\s]${name}'?:`));
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('declares the keyscope hook for the pre-commit framework', () => {
    const hooks = yml('.pre-commit-hooks.yaml') as Record<string, unknown>[];
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      id: 'keyscope',
      entry: 'keyscope staged',
      language: 'node',
      pass_filenames: false,
    });
  });
});

describe('the example workflows', () => {
  const dir = path.join(ROOT, 'docs/workflows');
  // nightly-org.yml runs `keyscope org` shards and a merge job (docs/org-scans.md); the others use the action.
  const all = readdirSync(dir).filter((f) => f.endsWith('.yml'));
  const files = all.filter((f) => f !== 'nightly-org.yml');

  it('are the PR check, the push check, the nightly history scan and the nightly org scan', () => {
    expect(all.sort()).toEqual(['nightly-history.yml', 'nightly-org.yml', 'pr-check.yml', 'push-check.yml']);
  });

  it('nightly-org.yml fans out shards and merges their reports', () => {
    const text = readFileSync(path.join(dir, 'nightly-org.yml'), 'utf8');
    expect(text).toMatch(/--shard/);
    expect(text).toMatch(/report merge/);
  });

  it.each(files)('%s checks out the full history, uses the action with known inputs, and uploads its SARIF', (file) => {
    const wf = yml(`docs/workflows/${file}`) as {
      on: Record<string, unknown>;
      jobs: Record<string, { steps: Step[] }>;
    };
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const ks = steps.find((s) => s.uses?.includes('/keyscope@'));
    expect(ks?.id).toBe('keyscope');
    for (const k of Object.keys(ks?.with ?? {})) expect(Object.keys(action.inputs), k).toContain(k);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    expect(upload?.with?.sarif_file).toBe('${{ steps.keyscope.outputs.report-sarif }}');
  });

  it('trigger on pull requests, pushes and a schedule', () => {
    expect(Object.keys(yml('docs/workflows/pr-check.yml').on)).toContain('pull_request');
    expect(Object.keys(yml('docs/workflows/push-check.yml').on)).toContain('push');
    expect(Object.keys(yml('docs/workflows/nightly-history.yml').on)).toContain('schedule');
    expect(
      yml('docs/workflows/nightly-history.yml').jobs.keyscope.steps.find((s: Step) => s.id === 'keyscope').with.mode,
    ).toBe('history');
  });
});
