// Database credentials (connection URLs, JDBC strings, ADO.NET connection strings). Offline only: keyscope never
// logs in to a database. From the URL: engine, host, port, user and database; from the host: local, private network
// or a managed cloud service reachable from the internet; from the options: TLS off. The password itself is only
// judged (default-looking, short), never echoed. The rules capture the password; the URL is read from the secret
// when it is one, else from a URL-shaped companion, else from the `database-url-host` / `database-url-user` companions
// (the rest of the URL the password sat in); the engine comes from the rule's token type.
import type { Access } from '../types.js';
import type { Credential, IssuerModule } from './types.js';

export interface DbTarget {
  engine?: string;
  host?: string;
  port?: number;
  user?: string;
  database?: string;
  options: Record<string, string>;
}

const ENGINES: [RegExp, string][] = [
  [/^(postgres(ql)?|postgis|pgsql|cockroachdb)$/, 'postgres'],
  [/^redshift$/, 'redshift'],
  [/^(mysql|mysqlx|mariadb)$/, 'mysql'],
  [/^mongodb(\+srv)?$/, 'mongodb'],
  [/^rediss?$/, 'redis'],
  [/^amqps?$/, 'amqp'],
  [/^(mssql|sqlserver)$/, 'mssql'],
  [/^oracle$/, 'oracle'],
];

const ADMIN_USERS = new Set([
  'postgres',
  'root',
  'sa',
  'admin',
  'administrator',
  'rdsadmin',
  'azure_superuser',
  'master',
  'mongoadmin',
  'default',
  'guest',
]);
const DEFAULT_PASSWORDS = new Set([
  'password',
  'postgres',
  'root',
  'admin',
  'changeme',
  'secret',
  '123456',
  '12345678',
  'example',
  'test',
  'guest',
  'mysql',
  'pass',
  'letmein',
]);
const CLOUD_HOSTS: [RegExp, string][] = [
  [/\.rds\.amazonaws\.com$|\.redshift\.amazonaws\.com$/, 'AWS RDS/Redshift'],
  [/\.database\.azure\.com$|\.database\.windows\.net$|\.redis\.cache\.windows\.net$/, 'Azure'],
  [/\.mongodb\.net$/, 'MongoDB Atlas'],
  [/\.supabase\.co$|\.pooler\.supabase\.com$/, 'Supabase'],
  [/\.neon\.tech$/, 'Neon'],
  [/\.psdb\.cloud$|\.planetscale\.com$/, 'PlanetScale'],
  [/\.(cloud\.)?redislabs\.com$|\.redis-cloud\.com$|\.upstash\.io$/, 'managed Redis'],
  [
    /\.elephantsql\.com$|\.cloudamqp\.com$|\.aivencloud\.com$|\.herokuapp\.com$|\.render\.com$|\.railway\.app$/,
    'hosted database',
  ],
];

function engineOf(scheme: string): string | undefined {
  const s = scheme.toLowerCase().replace(/\+.*$/, (m) => (m === '+srv' ? m : ''));
  return ENGINES.find(([re]) => re.test(s))?.[1] ?? (s || undefined);
}

/** Parses `scheme://user:pass@host:port/db?opts`, `jdbc:<engine>://…` and `Server=…;User Id=…` strings. */
export function parseDbTarget(text: string): DbTarget | undefined {
  const t = text.trim();
  const jdbc = /^jdbc:([a-z0-9]+)(?::[a-z0-9]+)*:(?:\/\/|@)?(.*)$/i.exec(t);
  if (jdbc) {
    const rest = jdbc[2];
    const host = /^([^/:;?@]+)(?::(\d+))?/.exec(rest);
    const options: Record<string, string> = {};
    for (const m of rest.matchAll(/[?&;]([A-Za-z]+)=([^&;]*)/g)) options[m[1].toLowerCase()] = m[2];
    const db = /\/([^/?;]+)/.exec(rest)?.[1] ?? options.databasename;
    return {
      engine: engineOf(jdbc[1]),
      host: host?.[1],
      port: host?.[2] ? Number(host[2]) : undefined,
      user: options.user,
      database: db,
      options,
    };
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/(?:([^:@/]*)(?::[^@]*)?@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?/i.exec(t);
  if (url) {
    const hostPart = url[3].split(',')[0];
    const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPart);
    const options: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(url[5] ?? '')) options[k.toLowerCase()] = v;
    const db = url[4]?.replace(/^\//, '').split('/')[0] || undefined;
    let user: string | undefined;
    try {
      user = url[2] ? decodeURIComponent(url[2]) : undefined;
    } catch {
      user = url[2];
    }
    return {
      engine: engineOf(url[1]),
      host: hp?.[1],
      port: hp?.[2] ? Number(hp[2]) : undefined,
      user,
      database: db,
      options,
    };
  }
  if (/(?:^|;)\s*(?:server|data source|host)\s*=/i.test(t)) {
    const kv: Record<string, string> = {};
    for (const part of t.split(';')) {
      const cut = part.indexOf('=');
      if (cut > 0) kv[part.slice(0, cut).trim().toLowerCase()] = part.slice(cut + 1).trim();
    }
    const server = (kv.server ?? kv['data source'] ?? kv.host ?? '').replace(/^tcp:/i, '');
    const [host, port] = server.split(/[,:]/);
    return {
      engine: 'mssql',
      host: host || undefined,
      port: port ? Number(port) : undefined,
      user: kv['user id'] ?? kv.uid ?? kv.user ?? kv.username,
      database: kv.database ?? kv['initial catalog'],
      options: kv,
    };
  }
  return undefined;
}

/** Where a database host sits: local, private network, a named managed cloud service, or the internet. */
export function hostClass(host: string | undefined): { environment: Access['environment']; note?: string } {
  if (!host) return { environment: 'unknown' };
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (
    /^(localhost|127\.|::1$|0\.0\.0\.0$|host\.docker\.internal$)/.test(h) ||
    /^(db|database|postgres|mysql|mongo|redis|rabbit(mq)?|mariadb)$/.test(h)
  ) {
    return { environment: 'test', note: `host ${h} is local or a container name: likely a development database` };
  }
  if (
    /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(h) ||
    /\.(internal|local|lan|corp|intra)$/.test(h) ||
    !h.includes('.')
  ) {
    return { environment: 'unknown', note: `host ${h} is on a private network: reachable only from inside it` };
  }
  const cloud = CLOUD_HOSTS.find(([re]) => re.test(h));
  if (cloud)
    return {
      environment: 'production',
      note: `host ${h} is a ${cloud[1]} endpoint, usually reachable from the internet`,
    };
  return { environment: 'unknown', note: `host ${h} looks publicly resolvable` };
}

/** `host[:port][/database]`, as the `database-url-host` companion captures it. */
const HOST_PART = /^(\[[^\]]+\]|[A-Za-z0-9_.-]+)(?::(\d{2,5}))?(?:\/([^/?#\s]+))?$/;

function target(cred: Credential): DbTarget | undefined {
  const own = parseDbTarget(cred.secret);
  if (own?.host) return own;
  for (const v of Object.values(cred.companions ?? {})) {
    const t = parseDbTarget(v);
    if (t?.host) return t;
  }
  const engine =
    /^([a-z0-9]+)-password$/.exec(cred.tokenType ?? '')?.[1] ?? /^database-([a-z0-9]+)-/.exec(cred.ruleId)?.[1];
  // The rules capture the password only; the companions `database-url-host` (host[:port][/db]) and
  // `database-url-user` carry the rest of the URL it sat in.
  const hostPart = companionValue(cred, 'host', HOST_PART);
  const m = hostPart ? HOST_PART.exec(hostPart) : null;
  if (m) {
    return {
      engine,
      host: m[1],
      port: m[2] ? Number(m[2]) : undefined,
      user: companionValue(cred, 'user', /^[^\s:@/]{1,64}$/),
      database: m[3],
      options: {},
    };
  }
  return engine ? { engine: engine === 'postgres' ? 'postgres' : engine, options: {} } : undefined;
}

/** A companion whose rule id names what it holds (`…-host`, `…-user`), checked against its shape. */
function companionValue(cred: Credential, what: string, shape: RegExp): string | undefined {
  for (const [k, v] of Object.entries(cred.companions ?? {})) if (k.endsWith(`-${what}`) && shape.test(v)) return v;
  return undefined;
}

function password(cred: Credential): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(cred.secret)) return /:\/\/[^:@/]*:([^@]*)@/.exec(cred.secret)?.[1];
  if (/password=/i.test(cred.secret)) return /password=([^;&]*)/i.exec(cred.secret)?.[1];
  return cred.secret;
}

export const database: IssuerModule = {
  id: 'database',
  name: 'Database credential',
  hosts: [],
  capabilities: { verify: false, scope: true, revoke: false },
  decode(cred) {
    const t = target(cred);
    const notes: string[] = [];
    const out: Partial<Access> = {
      tokenType: cred.tokenType ?? (t?.engine ? `${t.engine}-password` : 'database-password'),
      expiresAt: null,
    };
    if (t) {
      out.identity = {
        type: t.engine,
        account: t.host ? `${t.host}${t.port ? `:${t.port}` : ''}` : undefined,
        user: t.user,
        project: t.database,
      };
      for (const k of Object.keys(out.identity) as (keyof NonNullable<Access['identity']>)[])
        if (!out.identity[k]) delete out.identity[k];
      const where = hostClass(t.host);
      out.environment = where.environment;
      if (where.note) notes.push(where.note);
      if (!t.host) notes.push('host not known: the rule captured the password only');
      const o = t.options;
      const tlsOn = o.tls === 'true' || o.ssl === 'true' || (o.sslmode !== undefined && o.sslmode !== 'disable');
      const plainScheme = /^(redis|amqp|mongodb):/i.test(cred.secret) && !tlsOn;
      if (o.sslmode === 'disable' || o.ssl === 'false' || o.tls === 'false' || o.encrypt === 'false' || plainScheme) {
        notes.push('connection without TLS: the password crosses the network in clear');
      }
      const admin = t.user ? ADMIN_USERS.has(t.user.toLowerCase()) : false;
      out.permissions = [
        { resource: t.database ? `database:${t.database}` : 'database', access: admin ? 'admin' : 'write' },
      ];
      if (admin) notes.push(`user ${t.user} is a superuser/default admin account`);
    }
    const pw = password(cred);
    if (pw !== undefined) {
      if (DEFAULT_PASSWORDS.has(pw.toLowerCase()) || (t?.user && pw === t.user))
        notes.push('the password is a common default');
      else if (pw.length < 10) notes.push(`the password is short (${pw.length} characters)`);
    }
    notes.push('database credentials are never tried against the server');
    out.notes = notes;
    return out;
  },
  runbook: () => ({
    consoleUrl: 'https://owasp.org/www-project-cheat-sheets/cheatsheets/Database_Security_Cheat_Sheet.html',
    steps: [
      'Change the database user’s password (ALTER USER / the cloud console)',
      'Check the server’s logs for logins from unknown addresses',
      'Move the credential into a secret store',
    ],
  }),
};
