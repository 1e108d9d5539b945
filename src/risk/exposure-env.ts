import type { ExposureContext, RepoExposure, Visibility } from './types.js';

// Exposure of the scanned repository from the environment. The GitHub Action reads it from the event payload
// (repository.visibility / private, forks_count, default_branch, archived) and passes it to the CLI it spawns; any
// other CI can set the same variables. It becomes `exposure.default` when a command has no exposure of its own (org
// scans bring theirs from the API) and, like API data, wins over `[risk] visibility` in keyscope.toml.

export const EXPOSURE_ENV = {
  visibility: 'KEYSCOPE_REPO_VISIBILITY',
  forks: 'KEYSCOPE_REPO_FORKS',
  defaultBranch: 'KEYSCOPE_REPO_DEFAULT_BRANCH',
  archived: 'KEYSCOPE_REPO_ARCHIVED',
} as const;

const VISIBILITIES: readonly Visibility[] = ['public', 'private', 'internal'];

/** The exposure the KEYSCOPE_REPO_* variables describe; undefined when none is set. Bad values are skipped. */
export function exposureFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => {},
): ExposureContext | undefined {
  const repo: RepoExposure = {};
  const vis = env[EXPOSURE_ENV.visibility]?.trim().toLowerCase();
  if (vis) {
    if ((VISIBILITIES as readonly string[]).includes(vis)) repo.visibility = vis as Visibility;
    else warn(`keyscope: ${EXPOSURE_ENV.visibility}=${vis} ignored (expected ${VISIBILITIES.join(', ')})`);
  }
  const forks = env[EXPOSURE_ENV.forks]?.trim();
  if (forks) {
    if (/^\d{1,9}$/.test(forks)) repo.forks = Number(forks);
    else warn(`keyscope: ${EXPOSURE_ENV.forks}=${forks} ignored (expected a number of forks)`);
  }
  const branch = env[EXPOSURE_ENV.defaultBranch]?.trim();
  if (branch) repo.defaultBranch = branch;
  const archived = env[EXPOSURE_ENV.archived]?.trim().toLowerCase();
  if (archived === 'true' || archived === 'false') repo.archived = archived === 'true';
  else if (archived) warn(`keyscope: ${EXPOSURE_ENV.archived}=${archived} ignored (expected true or false)`);
  return Object.keys(repo).length ? { default: repo } : undefined;
}
