import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { limitAnnotations } from '../../src/github/annotations.js';
import { COMMENT_MARKER, fitBody, MAX_COMMENT } from '../../src/github/comment.js';
import { readContext, readOnlyToken } from '../../src/github/event.js';
import { parseAddedLines, unquotePath } from '../../src/github/git.js';
import { type Annotation, annotationCommand, getInput, setOutputs } from '../../src/github/workflow.js';

// The action's small parts: diff parsing, workflow-command escaping, outputs, comment sizing, event reading.

const tmp = mkdtempSync(path.join(tmpdir(), 'keyscope-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('added lines from a unified=0 diff', () => {
  it('takes new-side line numbers, skips deletions, and reads renamed and quoted paths', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -3,0 +4,2 @@ fn',
      '+one',
      '+two',
      '@@ -10 +12 @@',
      '-old',
      '+new',
      '@@ -20,3 +22,0 @@',
      'diff --git a/old.txt b/new name.txt',
      'similarity index 90%',
      'rename from old.txt',
      'rename to new name.txt',
      '--- a/old.txt',
      '+++ b/new name.txt',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      'diff --git a/gone.txt b/gone.txt',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git "a/tab\\there.txt" "b/tab\\there.txt"',
      '--- "a/tab\\there.txt"',
      '+++ "b/tab\\there.txt"',
      '@@ -0,0 +1 @@',
      '+z',
    ].join('\n');
    const added = parseAddedLines(diff);
    expect([...(added.get('src/a.ts') ?? [])].sort((a, b) => a - b)).toEqual([4, 5, 12]);
    expect([...(added.get('new name.txt') ?? [])]).toEqual([1]);
    expect(added.has('gone.txt')).toBe(false);
    expect([...(added.get('tab\there.txt') ?? [])]).toEqual([1]);
  });

  it('unquotes octal-escaped UTF-8 paths', () => {
    expect(unquotePath('"b/caf\\303\\251.txt"')).toBe('b/café.txt');
    expect(unquotePath('plain/path')).toBe('plain/path');
  });
});

describe('workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    const a: Annotation = {
      level: 'error',
      file: 'dir,with:odd%name.ts',
      line: 3,
      col: 5,
      title: 'keyscope: a, b: c',
      message: '100% bad\nsecond line\r',
    };
    expect(annotationCommand(a)).toBe(
      '::error file=dir%2Cwith%3Aodd%25name.ts,line=3,col=5,title=keyscope%3A a%2C b%3A c::100%25 bad%0Asecond line%0D',
    );
  });

  it('keeps 10 annotations per level', () => {
    const mk = (level: Annotation['level'], i: number): Annotation => ({
      level,
      file: 'f',
      line: i,
      title: 't',
      message: 'm',
    });
    const list = [
      ...Array.from({ length: 12 }, (_, i) => mk('error', i)),
      ...Array.from({ length: 3 }, (_, i) => mk('notice', i)),
    ];
    const { shown, dropped } = limitAnnotations(list);
    expect(shown.filter((a) => a.level === 'error')).toHaveLength(10);
    expect(shown.filter((a) => a.level === 'notice')).toHaveLength(3);
    expect(dropped).toBe(2);
  });

  it('writes outputs in the delimiter form, multi-line safe', () => {
    const file = path.join(tmp, 'out');
    writeFileSync(file, '');
    setOutputs({ findings: '2', note: 'a\nb' }, file);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^findings<<(ghadelimiter_[\w-]+)\n2\n\1\nnote<<(ghadelimiter_[\w-]+)\na\nb\n\2\n$/);
  });

  it('reads inputs with dashes as action.yml passes them', () => {
    expect(getInput('fail-on', { INPUT_FAIL_ON: ' high ' })).toBe('high');
    expect(getInput('github-token', { 'INPUT_GITHUB-TOKEN': 't' })).toBe('t');
  });
});

describe('the PR comment body', () => {
  it('keeps the marker and fits GitHub’s size limit', () => {
    const long = `${'| row |\n'.repeat(20_000)}`;
    const body = fitBody(long);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT);
    expect(body).toContain('cut here');
  });
});

describe('the event', () => {
  function ctx(payload: unknown, extra: Record<string, string> = {}) {
    const file = path.join(tmp, `ev-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(payload));
    return readContext({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: file,
      GITHUB_REPOSITORY: 'acme/w',
      ...extra,
    });
  }
  const pr = (headRepo: unknown) => ({
    number: 3,
    pull_request: {
      number: 3,
      base: { sha: 'a'.repeat(40), repo: { full_name: 'acme/w' } },
      head: { sha: 'b'.repeat(40), repo: headRepo },
    },
  });

  it('tells a fork (or a deleted fork) from a branch of the same repository', () => {
    expect(ctx(pr({ full_name: 'acme/w' })).pullRequest?.fromFork).toBe(false);
    expect(ctx(pr({ full_name: 'ACME/W' })).pullRequest?.fromFork).toBe(false);
    expect(ctx(pr({ full_name: 'someone/w' })).pullRequest?.fromFork).toBe(true);
    expect(ctx(pr(null)).pullRequest?.fromFork).toBe(true);
    // pull_request_target runs with the base repository's token.
    expect(
      ctx(pr({ full_name: 'someone/w' }), { GITHUB_EVENT_NAME: 'pull_request_target' }).pullRequest?.fromFork,
    ).toBe(false);
  });

  it('treats Dependabot’s pull_request token as read-only', () => {
    expect(readOnlyToken(ctx(pr({ full_name: 'acme/w' }), { GITHUB_ACTOR: 'dependabot[bot]' }))).toBe(true);
    expect(readOnlyToken(ctx(pr({ full_name: 'acme/w' }), { GITHUB_ACTOR: 'octocat' }))).toBe(false);
  });

  it('refuses a pull_request payload without shas, clearly', () => {
    expect(() => ctx({ pull_request: { number: 1, base: {}, head: {} } })).toThrow(/base\.sha/);
    expect(() => readContext({ GITHUB_EVENT_PATH: path.join(tmp, 'missing.json') })).toThrow(
      /cannot read the event payload/,
    );
  });
});
