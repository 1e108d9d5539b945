import { createHash } from 'node:crypto';

// A finding's id depends on the secret value alone, so it survives moves between lines, files and repositories
// and joins reuse of one key across places. Domain-separated so it is not a bare hash of the secret.
export function fingerprint(secret: string): string {
  return createHash('sha256').update('keyscope/v1\0').update(secret).digest('hex').slice(0, 24);
}
