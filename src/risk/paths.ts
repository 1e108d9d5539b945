// What a file path says about the environment a key was meant for. Used for the environment factor
// (a value only in test code is probably a test credential) and NHI8 (one key across environments).

export type PathEnv = 'test' | 'example' | 'production' | 'staging' | 'development';

const RULES: [RegExp, PathEnv][] = [
  [
    /(^|\/)(docs?|documentation|examples?|samples?|demo|tutorials?)(\/|$)|\.(example|sample|template|dist)(\.|$)|readme/i,
    'example',
  ],
  [
    /(^|\/)(tests?|__tests__|spec|specs|fixtures?|__fixtures__|testdata|test-data|mocks?|__mocks__|e2e|cypress)(\/|$)|[._-](test|spec)\.[a-z0-9]+$|_test\.go$|(^|\/)test_[^/]*\.py$|\.env\.test$/i,
    'test',
  ],
  [/(^|[/._-])(prod|production|live)([/._-]|$)/i, 'production'],
  [/(^|[/._-])(staging|stage|stg|preprod|uat|qa)([/._-]|$)/i, 'staging'],
  [/(^|[/._-])(dev|development|local|sandbox)([/._-]|$)/i, 'development'],
];

export function pathEnvironment(file: string): PathEnv | undefined {
  const f = file.replace(/\\/g, '/');
  for (const [re, env] of RULES) if (re.test(f)) return env;
  return undefined;
}

/** Test code, fixtures, examples and docs: places where a real key should never be. */
export function isTestLikePath(file: string): boolean {
  const env = pathEnvironment(file);
  return env === 'test' || env === 'example';
}
