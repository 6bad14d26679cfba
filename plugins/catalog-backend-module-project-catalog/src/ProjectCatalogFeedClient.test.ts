import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { OverlayCache } from './OverlayCache';
import {
  FeedFetch,
  ProjectCatalogFeedClient,
} from './ProjectCatalogFeedClient';

function setup(answer: (headers: Record<string, string>) => Response) {
  const requests: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetch: FeedFetch = async (url, init) => {
    requests.push({ url, headers: init.headers });
    return answer(init.headers);
  };
  const client = new ProjectCatalogFeedClient({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'catalog' }),
    fetch,
  });
  return { client, requests };
}

const feed = {
  revision: 7,
  overlays: [{ entityRef: 'component:default/a', fields: { tier: '1' } }],
  projects: [],
};

describe('ProjectCatalogFeedClient', () => {
  it('GETs /catalog-feed of project-catalog with a plugin request token and If-None-Match', async () => {
    const { client, requests } = setup(headers =>
      headers['if-none-match'] === '"7"'
        ? new Response(null, { status: 304 })
        : Response.json(feed, { headers: { etag: '"7"' } }),
    );
    await expect(client.fetchFeed()).resolves.toEqual({
      notModified: false,
      feed,
      etag: '"7"',
    });
    await expect(client.fetchFeed('"7"')).resolves.toEqual({
      notModified: true,
    });
    expect(requests[0].url).toMatch(/\/api\/project-catalog\/catalog-feed$/);
    expect(requests[0].headers['if-none-match']).toBeUndefined();
    // The catalog's own service credentials, for the target plugin project-catalog.
    expect(requests[0].headers.authorization).toBe(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:catalog'),
        targetPluginId: 'project-catalog',
      }),
    );
    expect(requests[1].headers['if-none-match']).toBe('"7"');
  });

  it('throws on an error status and on a body that is not a feed', async () => {
    const failing = setup(
      () =>
        new Response('{"error":{"name":"Error","message":"boom"}}', {
          status: 500,
        }),
    );
    await expect(failing.client.fetchFeed()).rejects.toThrow(/500/);

    const malformed = setup(() => Response.json({ revision: 'x' }));
    await expect(malformed.client.fetchFeed()).rejects.toThrow(
      /Malformed catalog feed/,
    );
  });

  it('lets the cache treat a malformed answer like a failure', async () => {
    const logger = mockServices.logger.mock();
    const { client } = setup(() =>
      Response.json({
        revision: 1,
        overlays: [{ entityRef: 5 }],
        projects: [],
      }),
    );
    const cache = new OverlayCache({
      source: client,
      logger,
      revalidateMs: 1000,
    });
    const snapshot = await cache.get();
    expect(snapshot.loaded).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('an overlay is not'),
    );
  });
});
