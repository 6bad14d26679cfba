import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import authPlugin from '@backstage/plugin-auth-backend';
import { visitorAuthProviderModule } from './visitorAuthProvider';

const backends: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map(b => b.stop()));
});

/** The auth backend with the visitor sign-in, configured by `visitor` (absent: not configured). */
async function start(visitor?: Record<string, string | boolean>) {
  const backend = await startTestBackend({
    features: [
      authPlugin,
      visitorAuthProviderModule,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: visitor ? { visitor } : {} },
        },
      }),
    ],
  });
  backends.push(backend);
  return backend.server;
}

describe('the visitor sign-in', () => {
  it('answers a token of user:default/visitor, who owns only themself', async () => {
    const server = await start({ dangerouslyAllowOutsideDevelopment: true });
    const res = await request(server).get('/api/auth/visitor/refresh');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/visitor',
      ownershipEntityRefs: ['user:default/visitor'],
    });
    expect(res.body.backstageIdentity.token).toEqual(expect.any(String));
  });

  it('signs in as the configured user', async () => {
    const server = await start({
      userEntityRef: 'user:default/outsider',
      dangerouslyAllowOutsideDevelopment: true,
    });
    const res = await request(server).get('/api/auth/visitor/refresh');
    expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/outsider',
    );
  });

  it('refuses outside development unless allowed, and is absent unless configured', async () => {
    const refusing = await start({ userEntityRef: 'user:default/visitor' });
    const refused = await request(refusing).get('/api/auth/visitor/refresh');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /dangerouslyAllowOutsideDevelopment/,
    );

    const absent = await start();
    const missing = await request(absent).get('/api/auth/visitor/refresh');
    expect(missing.status).toBe(404);
  });
});
