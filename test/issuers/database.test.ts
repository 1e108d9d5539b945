// Offline only: database credentials are never tried. Passwords come from the token factory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { hostClass, parseDbTarget } from '../../src/issuers/database.js';
import { run } from './b-helpers.js';

const pw = (seed: number) => expandTemplate('{{rand:A-Za-z0-9:20}}', seed);

describe('database (offline only)', () => {
  let fake: FakeIssuer<unknown>;
  beforeAll(async () => {
    fake = await startFake({ name: 'nothing', token: () => undefined, routes: [] });
  });
  afterAll(() => fake.close());

  it('parses URLs, JDBC and ADO.NET strings', () => {
    expect(parseDbTarget(`postgres://app:${pw(1)}@db.internal:5432/orders?sslmode=require`)).toMatchObject({
      engine: 'postgres',
      host: 'db.internal',
      port: 5432,
      user: 'app',
      database: 'orders',
      options: { sslmode: 'require' },
    });
    expect(parseDbTarget(`mongodb+srv://svc:${pw(2)}@cluster0.ab1cd.mongodb.net/?retryWrites=true`)).toMatchObject({
      engine: 'mongodb',
      host: 'cluster0.ab1cd.mongodb.net',
      user: 'svc',
    });
    expect(parseDbTarget(`jdbc:mysql://db.prod:3306/app?user=svc&password=${pw(3)}`)).toMatchObject({
      engine: 'mysql',
      host: 'db.prod',
      port: 3306,
      user: 'svc',
      database: 'app',
    });
    expect(
      parseDbTarget(`Server=tcp:sql01.database.windows.net,1433;Initial Catalog=erp;User Id=sa;Password=${pw(4)};`),
    ).toMatchObject({
      engine: 'mssql',
      host: 'sql01.database.windows.net',
      port: 1433,
      user: 'sa',
      database: 'erp',
    });
  });

  it('classifies hosts: local, private, managed cloud', () => {
    expect(hostClass('localhost').environment).toBe('test');
    expect(hostClass('10.1.2.3').note).toMatch(/private network/);
    expect(hostClass('prod.abc123.eu-west-1.rds.amazonaws.com')).toMatchObject({ environment: 'production' });
  });

  it('a whole URL as the secret: engine, host, user, database, superuser and TLS notes; nothing sent', async () => {
    const url = `postgres://postgres:${pw(5)}@prod.abc123.eu-west-1.rds.amazonaws.com:5432/billing?sslmode=disable`;
    const { access, summary } = await run('database', fake, url);
    expect(access.status).toBe('skipped');
    expect(access.identity).toMatchObject({
      type: 'postgres',
      account: 'prod.abc123.eu-west-1.rds.amazonaws.com:5432',
      user: 'postgres',
      project: 'billing',
    });
    expect(access.environment).toBe('production');
    expect(access.permissions).toEqual([{ resource: 'database:billing', access: 'admin' }]);
    expect(access.notes?.join(' | ')).toMatch(/without TLS.*superuser/);
    expect(summary.requests).toBe(0);
    expect(fake.connections).toBe(0);
  });

  it('the password alone (what the rules capture): engine from the token type, a default password is flagged', async () => {
    const { access } = await run('database', fake, 'changeme', {
      tokenType: 'mysql-password',
      ruleId: 'database-mysql-url',
    });
    expect(access.identity).toEqual({ type: 'mysql' });
    expect(access.notes?.join(' ')).toMatch(/common default/);
    expect(access.notes?.join(' ')).toMatch(/host not known/);
    expect(JSON.stringify(access)).not.toContain('changeme');
  });

  it('a URL-shaped companion supplies the host', async () => {
    const p = pw(6);
    const { access } = await run('database', fake, p, {
      tokenType: 'redis-password',
      companions: { 'database-url': `redis://:${p}@cache.internal:6379/0` },
    });
    expect(access.identity).toMatchObject({ type: 'redis', account: 'cache.internal:6379' });
    expect(access.notes?.join(' ')).toMatch(/private network/);
  });
});
