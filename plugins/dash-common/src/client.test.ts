import { DashClient } from './client';
import { dashTimelineChannel } from './signals';

describe('DashClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async () => 'http://backstage.test/api/dash'),
  };

  function clientAnswering(status: number, body: unknown) {
    const fetchMock = jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(typeof body === 'string' ? body : JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const client = new DashClient({
      discoveryApi,
      fetchApi: { fetch: fetchMock as typeof fetch },
    });
    return { client, fetchMock };
  }

  it('forService asks for a fresh service token for dash on every call', async () => {
    const fetchSpy = jest
      .spyOn(global, 'fetch')
      .mockImplementation(async () => Response.json({ oncall: [] }));
    let issued = 0;
    const auth = {
      getOwnServiceCredentials: jest.fn(async () => ({ principal: 'me' })),
      getPluginRequestToken: jest.fn(async () => ({ token: `t${++issued}` })),
    };
    try {
      const client = DashClient.forService({ auth, discovery: discoveryApi });
      await client.getOnCall('component:default/a');
      await client.getOnCall('component:default/a');
      expect(auth.getPluginRequestToken).toHaveBeenCalledWith({
        onBehalfOf: { principal: 'me' },
        targetPluginId: 'dash',
      });
      const sent = fetchSpy.mock.calls.map(([, init]) =>
        new Headers(init?.headers).get('authorization'),
      );
      expect(sent).toEqual(['Bearer t1', 'Bearer t2']);
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('sends the last validator of a timeline back and reuses its answer on 304, whatever the window', async () => {
    const answer = { events: [{ id: 'github:deploy:1' }], generatedAt: 'then' };
    const sent: Array<string | null> = [];
    const fetchMock = jest.fn(
      async (_url: RequestInfo | URL, init?: RequestInit) => {
        const validator = new Headers(init?.headers).get('if-none-match');
        sent.push(validator);
        return validator === 'W/"v1"'
          ? new Response(null, { status: 304 })
          : Response.json(answer, { headers: { etag: 'W/"v1"' } });
      },
    );
    const client = new DashClient({
      discoveryApi,
      fetchApi: { fetch: fetchMock as typeof fetch },
    });
    const window = (toMs: number) => ({
      entityRefs: ['component:default/a'],
      from: new Date(toMs - 3600_000),
      to: new Date(toMs),
      live: true,
    });
    expect(await client.getTimeline(window(1_000_000_000))).toEqual(answer);
    const again = await client.getTimeline(window(1_000_015_000));
    expect(again.events).toEqual(answer.events);
    expect(again.generatedAt).not.toBe('then');
    // Another entity is another timeline: no validator to send.
    await client.getTimeline({ ...window(1_000_030_000), entityRefs: ['b'] });
    expect(sent).toEqual([null, 'W/"v1"', null]);
  });

  it('asks for one timeline over several entities with filters in the query string', async () => {
    const { client, fetchMock } = clientAnswering(200, { events: [] });
    await client.getTimeline({
      entityRefs: ['component:default/a', 'component:default/b'],
      from: new Date('2026-01-01T00:00:00Z'),
      to: '2026-01-02T00:00:00.000Z',
      sources: ['github', 'pagerduty'],
      kinds: ['deploy', 'incident'],
      includeDependencies: true,
    });
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/dash/timeline');
    expect(url.searchParams.getAll('entityRef')).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(url.searchParams.get('from')).toBe('2026-01-01T00:00:00.000Z');
    expect(url.searchParams.get('to')).toBe('2026-01-02T00:00:00.000Z');
    expect(url.searchParams.get('sources')).toBe('github,pagerduty');
    expect(url.searchParams.get('kinds')).toBe('deploy,incident');
    expect(url.searchParams.get('includeDependencies')).toBe('true');
  });

  it('says live mode and push only together, and names the timeline signal channel', async () => {
    const { client, fetchMock } = clientAnswering(200, { events: [] });
    const base = {
      entityRefs: ['component:default/a'],
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
    };
    await client.getTimeline({ ...base, live: true, push: true });
    await client.getTimeline({ ...base, push: true });
    const params = fetchMock.mock.calls.map(
      c => new URL(String(c[0])).searchParams,
    );
    expect([params[0].get('live'), params[0].get('push')]).toEqual([
      'true',
      'true',
    ]);
    expect([params[1].get('live'), params[1].get('push')]).toEqual([
      null,
      null,
    ]);
    expect(dashTimelineChannel('Component:default/Payments-API')).toBe(
      'dash:timeline:component:default/payments-api',
    );
  });

  it('reads the backend settings from /settings', async () => {
    const { client, fetchMock } = clientAnswering(200, { maxWindowDays: 7 });
    await expect(client.getSettings()).resolves.toEqual({ maxWindowDays: 7 });
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/dash/settings');
  });

  it('pages the search events with since, cursor and limit', async () => {
    const { client, fetchMock } = clientAnswering(200, { events: [] });
    await expect(
      client.getSearchEvents({
        since: new Date('2026-11-01T00:00:00Z'),
        cursor: 'abc',
        limit: 50,
      }),
    ).resolves.toEqual({ events: [] });
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/dash/search-events');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      since: '2026-11-01T00:00:00.000Z',
      cursor: 'abc',
      limit: '50',
    });
  });

  it('posts change events as JSON', async () => {
    const { client, fetchMock } = clientAnswering(201, {
      created: true,
      event: {},
    });
    const change = {
      id: 'deploy-1',
      entityRef: 'component:default/a',
      time: '2026-01-01T00:00:00Z',
      title: 'Deploy v1',
      type: 'deploy' as const,
    };
    await expect(client.postChange(change)).resolves.toEqual({
      created: true,
      event: {},
    });
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toBe('http://backstage.test/api/dash/changes');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual(change);
  });

  it('turns an error answer into a ResponseError carrying the backend message', async () => {
    const { client } = clientAnswering(400, {
      error: { name: 'InputError', message: 'from: must be before to' },
      response: { statusCode: 400 },
    });
    await expect(
      client.getDora({ entityRef: 'component:default/a' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body: { error: { message: 'from: must be before to' } },
    });
  });
});
