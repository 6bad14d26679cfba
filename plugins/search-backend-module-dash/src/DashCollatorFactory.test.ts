import { mockServices } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  DAY_MS,
  DashEvent,
  DashSearchEventsResponse,
} from '@dash-suite/plugin-dash-common';
import { DashCollatorFactory } from './DashCollatorFactory';
import { DashSearchDocument } from './dashDocument';

const NOW = Date.parse('2026-12-02T12:00:00Z');

function deploy(id: string, entityRef: string, startTime: string): DashEvent {
  return {
    id,
    source: 'github',
    kind: 'deploy',
    title: `Deploy ${id}`,
    severity: 'info',
    startTime,
    entityRef,
    attributes: { version: id, environment: 'production' },
  };
}

/** A DASH backend that answers from a list of pages, keyed by cursor. */
function fakeDash(pages: DashSearchEventsResponse[]) {
  const calls: Array<{ since: Date | string; cursor?: string }> = [];
  const client = {
    async getSearchEvents(q: { since: Date | string; cursor?: string }) {
      calls.push(q);
      return pages[q.cursor ? Number(q.cursor) : 0];
    },
  };
  return { client, calls };
}

async function collect(factory: DashCollatorFactory) {
  const docs: DashSearchDocument[] = [];
  for await (const doc of await factory.getCollator()) docs.push(doc);
  return docs;
}

describe('DashCollatorFactory', () => {
  it('indexes type dash, visible to those who may read the entity', () => {
    const factory = new DashCollatorFactory({
      client: fakeDash([]).client,
      retentionMs: DAY_MS,
      logger: mockServices.logger.mock(),
    });
    expect(factory.type).toBe('dash');
    expect(factory.visibilityPermission).toBe(catalogEntityReadPermission);
  });

  it('reads every page since the retention cutoff and makes one document per event', async () => {
    const { client, calls } = fakeDash([
      {
        events: [
          deploy(
            'v3',
            'component:default/payments-api',
            '2026-12-02T11:00:00Z',
          ),
          deploy('v2', 'component:default/ledger', '2026-12-01T11:00:00Z'),
        ],
        nextCursor: '1',
      },
      {
        events: [
          deploy(
            'v1',
            'component:default/payments-api',
            '2026-11-20T11:00:00Z',
          ),
        ],
      },
    ]);
    const factory = new DashCollatorFactory({
      client,
      retentionMs: 30 * DAY_MS,
      logger: mockServices.logger.mock(),
      clock: () => NOW,
    });
    const docs = await collect(factory);
    expect(calls).toEqual([
      { since: new Date(NOW - 30 * DAY_MS), cursor: undefined },
      { since: new Date(NOW - 30 * DAY_MS), cursor: '1' },
    ]);
    expect(docs.map(d => d.title)).toEqual([
      'Deploy v3',
      'Deploy v2',
      'Deploy v1',
    ]);
    expect(docs.map(d => d.authorization)).toEqual([
      { resourceRef: 'component:default/payments-api' },
      { resourceRef: 'component:default/ledger' },
      { resourceRef: 'component:default/payments-api' },
    ]);
    expect(docs[0]).toMatchObject({
      entityRef: 'component:default/payments-api',
      eventId: 'v3',
      kind: 'deploy',
      version: 'v3',
      environment: 'production',
      startTime: '2026-12-02T11:00:00Z',
      source: 'github',
    });
    expect(docs[0].location).toMatch(
      /^\/catalog\/default\/component\/payments-api\/dash\?.*event=v3/,
    );
  });

  it('stops at its page bound, and says so', async () => {
    const logger = mockServices.logger.mock();
    // A backend whose every page points to another.
    const client = {
      getSearchEvents: jest.fn(async () => ({
        events: [deploy('v', 'component:default/a', '2026-12-02T11:00:00Z')],
        nextCursor: 'again',
      })),
    };
    const factory = new DashCollatorFactory({
      client,
      retentionMs: DAY_MS,
      logger,
      maxPages: 3,
    });
    expect(await collect(factory)).toHaveLength(3);
    expect(client.getSearchEvents).toHaveBeenCalledTimes(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('stopped after 3 pages'),
    );
  });

  it('fails the run when the DASH backend fails, so the old index stays', async () => {
    const factory = new DashCollatorFactory({
      client: {
        getSearchEvents: async () => {
          throw new Error('Request failed with 503 Service Unavailable');
        },
      },
      retentionMs: DAY_MS,
      logger: mockServices.logger.mock(),
    });
    await expect(collect(factory)).rejects.toThrow('503');
  });
});
