import { createHash } from 'node:crypto';
import { validBase62Crc } from './checksums/base62crc.js';
import { validGrafanaSa } from './checksums/grafana.js';

// Built-in suppression of values that are not secrets: placeholders, template references, documentation values.
// Documentation values are kept as SHA-256 digests so the repository never holds them as literals.

const DOC_VALUE_DIGESTS = new Set<string>([
  // AWS's documented example access key id and secret access key.
  '1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3',
  '78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598',
  // Stripe's API reference and quick-start test keys.
  '2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326',
  'b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b',
  'f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397',
  '7e8de44ea9ecf6d53415c90f5b249a8591f7abafbf7d65a2c0d855afeca3ec09',
  '5895b89c8fb33402a5bfc23aad5aaf863fbb438a51e1a0bb02b0ce618c8fdf9d',
  // The Azurite / storage-emulator account key (devstoreaccount1), published in Microsoft's docs.
  '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059',
  // The gcloud SDK's own OAuth client secret, shipped in the SDK and in every authorized_user ADC file.
  'f0386f9be1fe905fb2f97a8daff11a9baa9988ceca7c2ecae4aec8db182db1b4',
]);

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Registers more documentation values by digest (config, tests). */
export function addDocValueDigest(hex: string): void {
  DOC_VALUE_DIGESTS.add(hex.toLowerCase());
}

// Words that only ever appear in placeholders. Matched case-insensitively as substrings of the secret.
const PLACEHOLDER_WORDS = [
  'example',
  'changeme',
  'change_me',
  'change-me',
  'placeholder',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'yoursecret',
  'insert',
  'replace_me',
  'replaceme',
  'redacted',
  'dummy',
  'notreal',
  'not_real',
  'not-a-real',
  'fake_',
  'sample_',
  'todo',
  'xxxxx',
  // Values that say they are not for real use.
  'test-only',
  'testonly',
  'for-tests',
  'not-for-prod',
  'do-not-use',
  'donotuse',
];

// Template references and environment lookups: the value is elsewhere.
const REFERENCE_MARKERS = ['${', '{{', '}}', 'process.env', 'os.environ', 'getenv(', 'env(', '$env:', '<%', '%>'];
// Python %-format references (`%(password)s`); a bare `%(` is common inside random keys (Django's charset has both).
const PERCENT_FORMAT = /%\([A-Za-z_][\w.-]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]/;

/**
 * True when the value is a placeholder rather than a secret. `strictShape` is off for structured material
 * (private-key blocks, JWTs) whose bodies legitimately contain long runs like `AAAA`.
 */
export function isPlaceholder(secret: string, strictShape = true): boolean {
  const lower = secret.toLowerCase();
  if (DOC_VALUE_DIGESTS.has(sha256Hex(secret))) return true;
  for (const m of REFERENCE_MARKERS) if (lower.includes(m)) return true;
  if (PERCENT_FORMAT.test(secret)) return true;
  if (!strictShape) return false;
  if (/^<[^>]*>$/.test(secret) || /<[a-z_ -]{3,}>/i.test(secret)) return true;
  for (const w of PLACEHOLDER_WORDS) if (lower.includes(w)) return true;
  // Long runs of one character: x's, stars, zeros, dots, dashes.
  if (/(.)\1{5,}/.test(secret)) return true;
  // Sequential alphabets / digits used in docs: abcdef…, 123456…
  if (/abcdefgh|bcdefghi|12345678|23456789|qwertyui|a1b2c3d4|1a2b3c4d/i.test(secret)) return true;
  // Base64 of a placeholder or of one plain word (Kubernetes Secret `data:` holding `changeme`, `info`, `production`).
  // Only a short one-line value is judged this way (a base64 JSON document or PEM block is judged by its own rule).
  const decoded = decodeBase64Text(secret);
  if (decoded !== undefined && decoded.length <= 100 && !/[\s{}[\]]/.test(decoded)) {
    if (PLAIN_VALUE.test(decoded) || isPlaceholder(decoded) || failsItsChecksum(decoded)) return true;
  }
  return false;
}

/** A checksummed token (GitHub, npm, Vercel, Grafana SA) whose checksum fails was never issued, encoded or not. */
export function failsItsChecksum(t: string): boolean {
  if (/^(?:gh[pousr]_[A-Za-z0-9]{36,}|npm_[A-Za-z0-9]{36}|vc[pirak]_[A-Za-z0-9_-]{56})$/.test(t))
    return !validBase62Crc(t);
  if (/^glsa_/.test(t)) return !validGrafanaSa(t);
  return false;
}

/** One word, a number or a flag: never a secret on its own. */
// Words are lower-case, capitalised or CamelCase chunks; random mixed-case letters are not a word.
const WORD = '[A-Z]{0,4}[a-z]{2,}(?:[A-Z]{1,4}[a-z]{2,})*[A-Z]{0,4}|[A-Z]{2,}';
const PLAIN_VALUE = new RegExp(`^(?:(?:${WORD})(?:[-_.](?:${WORD}))*|\\d+|[a-z]+\\d{0,2})$`);

/**
 * The text a canonical, padded base64 string encodes, when it encodes printable text (random tokens that happen to be
 * valid base64 decode to binary, not text); undefined otherwise.
 */
export function decodeBase64Text(s: string): string | undefined {
  if (s.length < 8 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  const buf = Buffer.from(s, 'base64');
  if (buf.toString('base64') !== s) return undefined;
  const text = buf.toString('utf8');
  // Printable: no C0 controls except tab/newline, and no replacement characters from invalid UTF-8.
  if (/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(text)) return undefined;
  return text;
}

/** Inline suppressions on the line a secret is on. */
const INLINE_MARKERS = ['keyscope:allow', 'gitleaks:allow', 'pragma: allowlist secret', 'nosecret'];

export function hasInlineAllow(line: string): boolean {
  const lower = line.toLowerCase();
  return INLINE_MARKERS.some((m) => lower.includes(m));
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}
