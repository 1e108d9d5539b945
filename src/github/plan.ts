import type { RunContext } from './event.js';
import { ZERO_SHA } from './event.js';
import { ensureCommit, mergeBase, parentOf, resolveRef } from './git.js';

// What to scan for this run: `mode: auto` turns the event into a commit range or a full-history scan.

export type Mode = 'auto' | 'range' | 'history' | 'files';
export const MODES: Mode[] = ['auto', 'range', 'history', 'files'];

export type ScanPlan =
  | { kind: 'range'; base: string; head: string; label: string; notes: string[] }
  | { kind: 'history'; label: string; notes: string[] }
  | { kind: 'files'; label: string; notes: string[] }
  | { kind: 'skip'; label: string; notes: string[] };

const short = (sha: string) => sha.slice(0, 7);

function need(repoDir: string, sha: string, what: string): void {
  if (!ensureCommit(repoDir, sha)) {
    throw new Error(
      `${what} ${sha} is not in the checkout and could not be fetched; check out with \`fetch-depth: 0\` (actions/checkout)`,
    );
  }
}

function parseRangeInput(spec: string): { base: string; head: string } {
  const m = /^([^.\s][^\s]*?)\.\.\.?([^\s]*)$/.exec(spec.trim());
  if (!m) throw new Error(`input range must be BASE..HEAD (got "${spec}")`);
  return { base: m[1], head: m[2] || 'HEAD' };
}

export function planScan(ctx: RunContext, mode: Mode, repoDir: string, rangeInput = ''): ScanPlan {
  if (mode === 'history') return { kind: 'history', label: 'the full history (all refs)', notes: [] };
  if (mode === 'files') return { kind: 'files', label: 'the checked-out files', notes: [] };
  if (mode === 'range') {
    if (!rangeInput) throw new Error('mode range needs the range input (BASE..HEAD)');
    const r = parseRangeInput(rangeInput);
    const base = resolveRef(repoDir, r.base);
    const head = resolveRef(repoDir, r.head);
    if (!base || !head) throw new Error(`cannot resolve the range ${rangeInput} in the checkout`);
    return { kind: 'range', base, head, label: `${r.base}..${r.head}`, notes: [] };
  }

  const pr = ctx.pullRequest;
  if (pr) {
    need(repoDir, pr.headSha, 'the pull request head');
    need(repoDir, pr.baseSha, 'the pull request base');
    return {
      kind: 'range',
      base: pr.baseSha,
      head: pr.headSha,
      label: `pull request #${pr.number} (${short(pr.baseSha)}..${short(pr.headSha)})`,
      notes: [],
    };
  }
  if (ctx.mergeGroup) {
    const { baseSha, headSha } = ctx.mergeGroup;
    need(repoDir, headSha, 'the merge group head');
    need(repoDir, baseSha, 'the merge group base');
    return {
      kind: 'range',
      base: baseSha,
      head: headSha,
      label: `merge group ${short(baseSha)}..${short(headSha)}`,
      notes: [],
    };
  }
  const push = ctx.push;
  if (push) return planPush(push, repoDir);
  return { kind: 'history', label: `the full history (all refs; ${ctx.eventName})`, notes: [] };
}

function planPush(push: NonNullable<RunContext['push']>, repoDir: string): ScanPlan {
  if (push.deleted || !push.after || ZERO_SHA.test(push.after)) {
    return { kind: 'skip', label: `deletion of ${push.ref ?? 'a ref'}`, notes: ['nothing was pushed to scan'] };
  }
  need(repoDir, push.after, 'the pushed commit');
  const notes: string[] = [];
  if (!push.created && !ZERO_SHA.test(push.before)) {
    if (ensureCommit(repoDir, push.before)) {
      return {
        kind: 'range',
        base: push.before,
        head: push.after,
        label: `push ${short(push.before)}..${short(push.after)}`,
        notes,
      };
    }
    notes.push(`the previous tip ${short(push.before)} is gone (force push?); scanned from the default branch instead`);
  }

  // A new branch (or a lost `before`): what the branch adds over the default branch, else over the parent of the
  // oldest pushed commit, else everything reachable from the pushed commit.
  const defaultBranch = push.defaultBranch;
  const pushedDefault = defaultBranch && push.ref === `refs/heads/${defaultBranch}`;
  if (defaultBranch && !pushedDefault) {
    for (const ref of [`refs/remotes/origin/${defaultBranch}`, `refs/heads/${defaultBranch}`]) {
      const tip = resolveRef(repoDir, ref);
      const mb = tip ? mergeBase(repoDir, tip, push.after) : undefined;
      if (mb && mb !== push.after) {
        return {
          kind: 'range',
          base: mb,
          head: push.after,
          label: `new branch ${push.ref ?? ''} against ${defaultBranch} (${short(mb)}..${short(push.after)})`.replace(
            '  ',
            ' ',
          ),
          notes,
        };
      }
    }
  }
  const oldest = push.commits[0];
  const parent = oldest && ensureCommit(repoDir, oldest) ? parentOf(repoDir, oldest) : undefined;
  if (parent) {
    return {
      kind: 'range',
      base: parent,
      head: push.after,
      label: `push ${short(parent)}..${short(push.after)}`,
      notes,
    };
  }
  notes.push('no earlier commit to compare with: scanned the full history');
  return { kind: 'history', label: `the full history (first push of ${push.ref ?? 'a ref'})`, notes };
}
