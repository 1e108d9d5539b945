// Reports carry a redacted preview: enough of the prefix to tell the token type, two characters at the end.
const KNOWN_PREFIX =
  /^([A-Za-z]{2,12}[._-](?:[a-z0-9]{2,8}[._-])?|[A-Z]{4}|sk-(?:proj-|svcacct-|admin-|ant-api\d\d-)?|xox[a-z]-)/;

export function redact(secret: string): string {
  const oneLine = secret.replace(/\s+/g, ' ');
  if (oneLine.startsWith('-----BEGIN')) {
    const head = oneLine.match(/^-----BEGIN [A-Z0-9 ]+-----/)?.[0] ?? '-----BEGIN';
    return `${head}…(${secret.length} chars)`;
  }
  const n = oneLine.length;
  if (n <= 8) return '*'.repeat(Math.max(n, 4));
  const prefix = oneLine.match(KNOWN_PREFIX)?.[0] ?? '';
  const show = Math.min(prefix.length + 2, Math.floor(n / 3));
  const tail = n >= 16 ? 2 : 0;
  return `${oneLine.slice(0, Math.max(show, 2))}…${tail ? oneLine.slice(n - tail) : ''}`;
}

/** Replaces every occurrence of the given secrets in free text (notes, errors) with their redacted form. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join(redact(s));
  return out;
}
