import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CircleciAccount, circleciFake } from '../../fixtures/fake-issuers/circleci.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const pat = (seed: number) => expandTemplate('CCIPAT_{{rand:A-Za-z0-9:22}}_{{rand:0-9a-f:40}}', seed);
const prj = (seed: number) => expandTemplate('CCIPRJ_{{rand:A-Za-z0-9:22}}_{{rand:0-9a-f:40}}', seed);

describe('circleci', () => {
  let fake: FakeIssuer<CircleciAccount>;
  beforeAll(async () => {
    fake = await startFake(circleciFake);
  });
  afterAll(() => fake.close());

  it('personal token: user, write on projects and env vars, organizations reach', async () => {
    const t = pat(1);
    fake.add(t, { id: 'u-1', login: 'builder', orgs: ['acme', 'acme-oss'] });
    const { access } = await run('circleci', fake, t);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: 'u-1', user: 'builder', org: 'acme' });
    expect(access.permissions).toContainEqual({ resource: 'env-vars', access: 'write' });
    expect(access.reach).toEqual([{ kind: 'organizations', count: 2, sample: ['gh/acme', 'gh/acme-oss'] }]);
  });

  it('project token: 404 on a project it does not own = live; unknown token = invalid', async () => {
    const t = prj(2);
    fake.add(t, { id: 'p', login: 'p' });
    const { access } = await run('circleci', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('project-token');
    expect((await run('circleci', fake, prj(3))).access.status).toBe('invalid');
  });

  failureModes(
    'circleci',
    () => fake,
    pat,
    (f, t) => f.add(t, { id: 'x', login: 'x' }),
  );
});
