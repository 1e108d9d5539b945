// Reports omit secrets unless written with --show-secrets, but revocation needs them. For each finding without its
// secret, read an occurrence again (the file on disk, or the blob from git for history findings), run the detector
// and keep the match whose fingerprint is the finding's id. Nothing is guessed: no fingerprint match, no secret.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Detector, type GlobalAllow } from '../detect/engine.js';
import { fingerprint } from '../detect/fingerprint.js';
import { type LoadRulesOptions, loadRules } from '../detect/rules/load.js';
import { runGit } from '../sources/git/exec.js';
import type { Finding, Occurrence, ScanTarget } from '../types.js';

export interface RecoverOptions {
  rules: LoadRulesOptions;
  allow?: GlobalAllow;
  target?: ScanTarget;
  /** Folders relative paths are tried against, in order (cwd, the report's folder…). */
  roots: string[];
  /** At most this many occurrences are read per finding. */
  maxOccurrences?: number;
}

export interface RecoverResult {
  recovered: number;
  /** Fingerprint → why the secret could not be recovered. */
  missing: Map<string, string>;
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

async function isRepo(dir: string): Promise<boolean> {
  if (!isDir(dir)) return false;
  const r = await runGit(dir, ['rev-parse', '--git-dir'], { allowFail: true }).catch(() => undefined);
  return r?.code === 0;
}

/** Finds the bytes of one occurrence: from git when it has a commit or blob id, else from disk. */
async function readOccurrence(
  o: Occurrence,
  opts: RecoverOptions,
  repos: string[],
): Promise<{ bytes?: Buffer; why: string }> {
  if (o.commit || o.blobOid) {
    if (!repos.length)
      return {
        why: `no local git repository to read ${o.commit ? `commit ${o.commit.slice(0, 12)}` : 'the blob'} from`,
      };
    for (const repo of repos) {
      const spec = o.blobOid ?? `${o.commit}:${o.file}`;
      const r = await runGit(repo, ['cat-file', '-p', spec], { allowFail: true }).catch(() => undefined);
      if (r?.code === 0) return { bytes: r.stdout, why: '' };
    }
    return {
      why: `git cat-file ${o.commit ? `${o.commit.slice(0, 12)}:${o.file}` : o.blobOid} failed in ${repos.join(', ')}`,
    };
  }
  const bases = [
    ...opts.roots,
    ...(opts.target?.paths ?? []).flatMap((p) => opts.roots.map((r) => path.resolve(r, p))),
  ];
  const candidates = path.isAbsolute(o.file) ? [o.file] : [...new Set(bases.map((b) => path.resolve(b, o.file)))];
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    try {
      return { bytes: readFileSync(c), why: '' };
    } catch (err) {
      return { why: `cannot read ${c}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
  }
  return { why: `${o.file} is not on disk any more` };
}

export async function recoverSecrets(findings: Finding[], opts: RecoverOptions): Promise<RecoverResult> {
  const need = findings.filter((f) => typeof f.secret !== 'string' || f.secret.length === 0);
  const missing = new Map<string, string>();
  if (!need.length) return { recovered: 0, missing };
  let detector: Detector;
  try {
    detector = Detector.create(loadRules(opts.rules), opts.allow);
  } catch (err) {
    for (const f of need) missing.set(f.id, `cannot load the rules to rescan: ${(err as Error).message}`);
    return { recovered: 0, missing };
  }
  const repoCandidates = [
    ...(typeof opts.target?.repo === 'string'
      ? opts.roots.map((r) => path.resolve(r, opts.target!.repo as string))
      : []),
    ...opts.roots,
  ];
  const repos: string[] = [];
  for (const d of new Set(repoCandidates)) if (await isRepo(d)) repos.push(d);

  let recovered = 0;
  const cache = new Map<string, Buffer | undefined>();
  for (const f of need) {
    const reasons: string[] = [];
    let done = false;
    for (const o of f.occurrences.slice(0, opts.maxOccurrences ?? 20)) {
      const key = `${o.blobOid ?? ''}\0${o.commit ?? ''}\0${o.file}`;
      let bytes = cache.get(key);
      if (!cache.has(key)) {
        const r = await readOccurrence(o, opts, repos);
        bytes = r.bytes;
        if (!bytes) reasons.push(r.why);
        cache.set(key, bytes);
      }
      if (!bytes) continue;
      let matches: ReturnType<Detector['scan']> = [];
      try {
        // All rules run: companion rules (the AWS secret next to a key id…) complete the credential.
        matches = detector.scan({ path: o.file, bytes });
      } catch (err) {
        reasons.push(`rescan of ${o.file} failed: ${(err as Error).message}`);
        continue;
      }
      const hit = matches.find((m) => fingerprint(m.secret) === f.id);
      if (hit) {
        f.secret = hit.secret;
        // Recovered companions win; previews the report held (redacted) are useless for revocation and dropped.
        const kept = Object.entries(f.companions ?? {}).filter(([, v]) => !v.includes('…') && !/^\*+$/.test(v));
        f.companions = { ...Object.fromEntries(kept), ...(hit.companions ?? {}) };
        recovered++;
        done = true;
        break;
      }
      reasons.push(`${o.file}${o.commit ? `@${o.commit.slice(0, 12)}` : ''} no longer holds this secret`);
    }
    if (!done) missing.set(f.id, [...new Set(reasons)].slice(0, 3).join('; ') || 'no occurrence to read');
  }
  return { recovered, missing };
}
