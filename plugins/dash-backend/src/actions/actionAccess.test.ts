import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  HOUR,
  OUTSIDER,
  PAYMENTS,
  SECRET,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

/**
 * What a caller may not read, an assistant acting for them may not read either; bad input is an
 * InputError that names the field. On both databases.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DASH actions: access and input on %p',
  databaseId => {
    const now = Date.now();

    it('refuses an entity the caller may not read, exactly as the REST route does', async () => {
      const { server, invoke } = await startActionsBackend(
        databases,
        databaseId,
        now,
      );
      const route = await request(server)
        .get('/api/dash/timeline')
        .query({ entityRef: SECRET })
        .set('Authorization', mockCredentials.user.header(OUTSIDER));
      expect(route.status).toBe(404);

      const calls: Array<[string, Record<string, unknown>]> = [
        ['get-timeline', { entityRefs: [SECRET] }],
        ['get-timeline', { entityRefs: [PAYMENTS, SECRET] }],
        ['get-likely-causes', { entityRef: SECRET }],
        ['who-is-on-call', { entityRef: SECRET }],
        ['get-recent-deploys', { entityRef: SECRET }],
      ];
      for (const [name, input] of calls) {
        const res = await invoke(name, input, OUTSIDER);
        expect({ name, status: res.status }).toEqual({ name, status: 404 });
        expect(res.body.error).toEqual({
          name: 'NotFoundError',
          message: `No entity ${SECRET} (or you may not read it)`,
        });
      }
      expect(route.body.error.message).toBe(
        `No entity ${SECRET} (or you may not read it)`,
      );

      // The same caller reads what they may, and another user reads the hidden entity.
      const own = await invoke(
        'who-is-on-call',
        { entityRef: PAYMENTS },
        OUTSIDER,
      );
      expect(own.status).toBe(200);
      const other = await invoke('who-is-on-call', { entityRef: SECRET });
      expect(other.status).toBe(200);
      expect(other.body.output.entityRef).toBe(SECRET);
    });

    it('refuses an anonymous caller', async () => {
      const { server } = await startActionsBackend(databases, databaseId, now);
      const res = await request(server)
        .post(
          '/api/dash/.backstage/actions/v1/actions/dash:who-is-on-call/invoke',
        )
        .set('Authorization', mockCredentials.none.header())
        .send({ entityRef: PAYMENTS });
      expect([401, 403]).toContain(res.status);
    });

    it('answers bad input with an InputError that names the field', async () => {
      const { invoke } = await startActionsBackend(databases, databaseId, now);
      const iso = (t: number) => new Date(t).toISOString();
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        [
          'who-is-on-call',
          { entityRef: 'payments-api' },
          /^entityRef: 'payments-api' is not an entity ref like component:default\/payments-api/,
        ],
        [
          'get-timeline',
          { entityRefs: [PAYMENTS], from: iso(now), to: iso(now - HOUR) },
          /^from: must be before to/,
        ],
        [
          'get-timeline',
          { entityRefs: [PAYMENTS], lastHours: 2, from: iso(now - HOUR) },
          /^lastHours: give either lastHours or from\/to, not both/,
        ],
        [
          'get-timeline',
          { entityRefs: [PAYMENTS], from: 'yesterday' },
          /^from: must be an ISO 8601 date-time/,
        ],
        [
          'get-timeline',
          { entityRefs: [PAYMENTS], sources: ['jira'] },
          /^sources: unknown source jira; known are pagerduty, changes/,
        ],
        [
          'get-recent-deploys',
          { entityRef: PAYMENTS, lastHours: 24 * 400 },
          /^to: the window is 400 days; the widest allowed is 31 days/,
        ],
        [
          'get-likely-causes',
          {
            entityRef: PAYMENTS,
            from: iso(now - 3 * HOUR),
            to: iso(now - 2.5 * HOUR),
          },
          /^No incident or alert on component:default\/payments-api between/,
        ],
        // Checked by the registry against the action's schema.
        [
          'get-timeline',
          { entityRefs: [PAYMENTS], limit: 500 },
          /^Invalid input to action "dash:get-timeline"/,
        ],
        [
          'get-timeline',
          { entityRefs: [] },
          /^entityRef: give at least one entityRef/,
        ],
        [
          'get-timeline',
          {
            entityRefs: Array.from(
              { length: 21 },
              (_, i) => `component:default/s${i}`,
            ),
          },
          /^Invalid input to action/,
        ],
      ];
      for (const [name, input, message] of cases) {
        const res = await invoke(name, input);
        const expected =
          name === 'get-likely-causes' ? 'NotFoundError' : 'InputError';
        expect({ input, name: res.body.error?.name }).toEqual({
          input,
          name: expected,
        });
        expect(res.status).toBe(expected === 'InputError' ? 400 : 404);
        expect(res.body.error.message).toMatch(message);
      }
    });
  },
);
