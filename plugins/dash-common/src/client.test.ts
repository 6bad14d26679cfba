import { DashClient } from './client';

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

  it('reads the backend settings from /settings', async () => {
    const { client, fetchMock } = clientAnswering(200, { maxWindowDays: 7 });
    await expect(client.getSettings()).resolves.toEqual({ maxWindowDays: 7 });
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/dash/settings');
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
