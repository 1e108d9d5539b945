import { Octokit, RequestError } from 'octokit';

// The one pull-request comment: found by its hidden marker among the PR's issue comments (every page),
// updated in place on each run, created only when there is something to say. Errors never fail the check.

export const COMMENT_MARKER = '<!-- keyscope-report -->';
/** GitHub rejects comment bodies over 65536 characters (422). */
export const MAX_COMMENT = 65536;

export interface CommentTarget {
  owner: string;
  repo: string;
  issue: number;
}

export interface CommentResult {
  action: 'created' | 'updated' | 'skipped' | 'failed';
  id?: number;
  url?: string;
  reason?: string;
}

export function makeOctokit(token: string, baseUrl: string): Octokit {
  return new Octokit({
    auth: token,
    baseUrl,
    userAgent: 'keyscope-action',
    // Comments are a courtesy: one retry at most, and never sit out a long rate-limit window.
    throttle: {
      onRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) =>
        retryCount < 1 && retryAfter < 60,
      onSecondaryRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) =>
        retryCount < 1 && retryAfter < 60,
    },
    retry: { retries: 1 },
    log: { debug: () => {}, info: () => {}, warn: (m: string) => process.stderr.write(`${m}\n`), error: () => {} },
  });
}

/** Keeps the marker first and the body under GitHub's limit (cut at a line break, with a note). */
export function fitBody(body: string, marker = COMMENT_MARKER): string {
  let b = body.includes(marker) ? body : `${marker}\n${body}`;
  if (b.length <= MAX_COMMENT) return b;
  const note =
    '\n\n… the list is cut here to fit a GitHub comment; the job summary and the SARIF upload have every finding.\n';
  b = b.slice(0, MAX_COMMENT - note.length - 16);
  const cut = b.lastIndexOf('\n');
  return `${cut > 0 ? b.slice(0, cut) : b}${note}`;
}

/** The earliest comment carrying the marker that a bot (the workflow's token) wrote. */
export async function findComment(
  octokit: Octokit,
  t: CommentTarget,
  marker = COMMENT_MARKER,
): Promise<{ id: number; html_url?: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issue,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const c of page.data) {
      const byBot = !c.user || c.user.type === 'Bot';
      if (byBot && typeof c.body === 'string' && c.body.includes(marker)) return { id: c.id, html_url: c.html_url };
    }
  }
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof RequestError) {
    if (err.status === 403) return 'the token may not write comments (403; fork pull requests get a read-only token)';
    if (err.status === 401) return 'the token was refused (401)';
    return `GitHub answered ${err.status}: ${err.message}`;
  }
  return (err as Error).message ?? String(err);
}

/**
 * Creates or updates the keyscope comment. `hasFindings` false and no earlier comment: nothing is posted
 * (an "all clear" only replaces an earlier warning).
 */
export async function upsertComment(
  octokit: Octokit,
  t: CommentTarget,
  body: string,
  hasFindings: boolean,
  marker = COMMENT_MARKER,
): Promise<CommentResult> {
  const text = fitBody(body, marker);
  try {
    const existing = await findComment(octokit, t, marker);
    if (existing) {
      const res = await octokit.rest.issues.updateComment({
        owner: t.owner,
        repo: t.repo,
        comment_id: existing.id,
        body: text,
      });
      return { action: 'updated', id: res.data.id, url: res.data.html_url };
    }
    if (!hasFindings) return { action: 'skipped', reason: 'no findings and no earlier comment' };
    const res = await octokit.rest.issues.createComment({
      owner: t.owner,
      repo: t.repo,
      issue_number: t.issue,
      body: text,
    });
    return { action: 'created', id: res.data.id, url: res.data.html_url };
  } catch (err) {
    return { action: 'failed', reason: describe(err) };
  }
}
