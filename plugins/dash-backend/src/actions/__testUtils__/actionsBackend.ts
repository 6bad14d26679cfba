import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DashEvent, DashOnCallEntry } from '@dash-suite/plugin-dash-common';
import request from 'supertest';
import { dashPlugin } from '../../plugin';
import { FakeSource, entity } from '../../testUtils/fakeSource';
import {
  catalogHidingFrom,
  fakeSourcesModule,
} from '../../testUtils/testBackendParts';

/**
 * A DASH backend for the action tests: the real actions registry of the test backend, a
 * PagerDuty-like fake source with an incident and an on-call rota, and a catalog that hides
 * `secret-ledger` from `user:default/outsider` (as a permission policy on catalog reads would).
 */

export const PAYMENTS = 'component:default/payments-api';
export const SECRET = 'component:default/secret-ledger';
/** What payments-api depends on. */
export const LEDGER_DB = 'component:default/ledger-db';
export const ALICE = 'user:default/alice';
export const OUTSIDER = 'user:default/outsider';
export const APP = 'http://localhost:3000';
export const HOUR = 3600_000;
export const MIN = 60_000;

/** A source with on-call levels, like PagerDuty. */
class OnCallSource extends FakeSource {
  onCall: DashOnCallEntry[] = [];
  async getOnCall(): Promise<DashOnCallEntry[]> {
    return this.onCall;
  }
}

export async function startActionsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  now: number,
) {
  const pagerduty = new OnCallSource('pagerduty', 'PagerDuty');
  const incident: DashEvent = {
    id: 'pagerduty:P1',
    source: 'pagerduty',
    kind: 'incident',
    title: 'Checkout payments failing',
    severity: 'critical',
    status: 'triggered',
    startTime: new Date(now - 2 * HOUR).toISOString(),
    entityRef: PAYMENTS,
    url: 'https://acme.pagerduty.example/incidents/P1',
    attributes: {},
  };
  pagerduty.events = [incident];
  pagerduty.onCall = [
    {
      source: 'pagerduty',
      entityRef: PAYMENTS,
      escalationLevel: 2,
      user: { name: 'Bo Lead', email: 'bo@acme.example' },
      schedule: 'Payments escalation',
    },
    {
      source: 'pagerduty',
      entityRef: PAYMENTS,
      escalationLevel: 1,
      user: { name: 'Mei Chen', email: 'mei@acme.example' },
      schedule: 'Payments escalation',
      end: new Date(now + 5 * HOUR).toISOString(),
    },
  ];
  const entities: Entity[] = [
    entity('payments-api', { 'test/pagerduty': 'PPAY' }, [LEDGER_DB]),
    entity('ledger-db', {}),
    entity('secret-ledger', { 'test/pagerduty': 'PSEC' }),
  ];
  const knex = await databases.init(databaseId);
  const backend = await startTestBackend({
    features: [
      dashPlugin,
      fakeSourcesModule(pagerduty),
      catalogHidingFrom(entities, { user: OUTSIDER, hidden: 'secret-ledger' }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: APP },
          dash: {
            refresh: { maxWaitMs: 5000, prewarm: { enabled: false } },
            guard: { timeoutMs: 2000, retries: 0 },
          },
        },
      }),
    ],
  });
  const server = backend.server;

  /** Posts a change event as alice through `POST /changes`; answers its stored id. */
  async function postChange(body: Record<string, unknown>): Promise<string> {
    const res = await request(server)
      .post('/api/dash/changes')
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send(body);
    if (res.status !== 201) {
      throw new Error(
        `POST /changes: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.event.id;
  }

  /** Invokes `dash:<name>` through the registry's HTTP route, as `user`. */
  function invoke(name: string, input: unknown, user: string = ALICE) {
    return request(server)
      .post(`/api/dash/.backstage/actions/v1/actions/dash:${name}/invoke`)
      .set('Authorization', mockCredentials.user.header(user))
      .send(input as object);
  }

  return { server, pagerduty, incident, postChange, invoke };
}
