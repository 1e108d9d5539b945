// Token-factory generators for formats without a checksum, whose samples are too structured for {{rand:…}}:
// PEM blocks, GCP service-account JSON, PyPI macaroons, Grafana Cloud tokens, Azure storage keys.
import { type Rng, randomString, registerGenerator } from '../samples.js';

const B64 = 'A-Za-z0-9+/';

function wrap(body: string, width = 64): string {
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += width) lines.push(body.slice(i, i + width));
  return lines.join('\n');
}

/**
 * {{gen:pem:RSA PRIVATE KEY}} → a PEM block with that label and a random base64 body. `OPENSSH PRIVATE KEY` bodies
 * start with the `openssh-key-v1` magic; `PGP PRIVATE KEY BLOCK` gets the armor blank line and CRC line.
 * `ENCRYPTED RSA` → a legacy encrypted PEM (Proc-Type / DEK-Info headers).
 */
export function makePem(label: string, rng: Rng, escapeNewlines = false): string {
  let out: string;
  if (label === 'ENCRYPTED RSA') {
    const iv = randomString('0-9A-F', 32, rng);
    out = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,${iv}\n\n${wrap(randomString(B64, 1200, rng))}\n-----END RSA PRIVATE KEY-----`;
  } else if (label.startsWith('PGP')) {
    out = `-----BEGIN ${label}-----\n\n${wrap(randomString(B64, 1400, rng))}\n=${randomString(B64, 4, rng)}\n-----END ${label}-----`;
  } else {
    const magic = label === 'OPENSSH PRIVATE KEY' ? 'b3BlbnNzaC1rZXktdjEAAAAA' : 'MII';
    const size = label.startsWith('EC') ? 160 : label === 'OPENSSH PRIVATE KEY' ? 380 : 1600;
    out = `-----BEGIN ${label}-----\n${wrap(magic + randomString(B64, size, rng), label === 'OPENSSH PRIVATE KEY' ? 70 : 64)}\n-----END ${label}-----`;
  }
  return escapeNewlines ? out.replace(/\n/g, '\\n') : out;
}

registerGenerator('pem', (arg, rng) => makePem(arg || 'PRIVATE KEY', rng));
// {{gen:pem-escaped:PRIVATE KEY}}: the same block with `\n` escapes, as inside JSON strings.
// {{gen:pem-b64:RSA PRIVATE KEY}}: the block base64-encoded (PRIVATE_KEY_B64 variables, Kubernetes secrets).
registerGenerator('pem-b64', (arg, rng) => Buffer.from(makePem(arg || 'PRIVATE KEY', rng)).toString('base64'));
registerGenerator('pem-escaped', (arg, rng) => makePem(arg || 'PRIVATE KEY', rng, true));

/** {{gen:gcp-sa}}: a whole service-account key file (pretty-printed JSON, as downloaded). */
export function makeGcpServiceAccount(rng: Rng): string {
  const project = `${randomString('a-z', 6, rng)}-${randomString('0-9', 6, rng)}`;
  const name = randomString('a-z', 8, rng);
  const email = `${name}@${project}.iam.gserviceaccount.com`;
  const doc = {
    type: 'service_account',
    project_id: project,
    private_key_id: randomString('0-9a-f', 40, rng),
    private_key: `${makePem('PRIVATE KEY', rng)}\n`,
    client_email: email,
    client_id: `1${randomString('0-9', 20, rng)}`,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
  };
  return JSON.stringify(doc, null, 2);
}

registerGenerator('gcp-sa', (_arg, rng) => makeGcpServiceAccount(rng));

/** {{gen:pypi}}: `pypi-` + a v2 macaroon (location pypi.org, uuid identifier, a JSON caveat, 32-byte signature). */
export function makePypiToken(rng: Rng): string {
  const hex = randomString('0-9a-f', 32, rng);
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const caveat = JSON.stringify({ version: 1, permissions: 'user' });
  const sig = Buffer.from(randomString('0-9a-f', 64, rng), 'hex');
  const parts: Buffer[] = [
    Buffer.from([0x02, 0x01, 0x08]),
    Buffer.from('pypi.org'),
    Buffer.from([0x02, id.length]),
    Buffer.from(id),
    Buffer.from([0x00, 0x02, caveat.length]),
    Buffer.from(caveat),
    Buffer.from([0x00, 0x00, 0x06, 0x20]),
    sig,
  ];
  return `pypi-${Buffer.concat(parts).toString('base64url')}`;
}

registerGenerator('pypi', (_arg, rng) => makePypiToken(rng));

/** {{gen:grafana-cloud}}: `glc_` + base64 JSON {"o","n","k","m":{"r"}}. */
export function makeGrafanaCloudToken(rng: Rng): string {
  const payload = {
    o: randomString('0-9', 6, rng),
    n: `stack-${randomString('0-9', 6, rng)}-hm-read-${randomString('a-z', 6, rng)}`,
    k: randomString('A-Za-z0-9', 24, rng),
    m: { r: 'prod-us-east-0' },
  };
  return `glc_${Buffer.from(JSON.stringify(payload)).toString('base64').replace(/=+$/, '')}`;
}

registerGenerator('grafana-cloud', (_arg, rng) => makeGrafanaCloudToken(rng));

/** {{gen:b64:N}}: N random bytes, standard base64 with padding (Azure storage keys: 64 → 88 chars). */
registerGenerator('b64', (arg, rng) => {
  const n = Number(arg || 32);
  return Buffer.from(randomString('0-9a-f', n * 2, rng), 'hex').toString('base64');
});
