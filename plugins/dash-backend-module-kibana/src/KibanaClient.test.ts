import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { createTestSourceContext } from '@dash-suite/plugin-dash-node/testUtils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { z } from 'zod';
import { KibanaClient } from './KibanaClient';

describe('KibanaClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url?: string; headers: Record<string, unknown> }> = [];

  beforeAll(async () => {
    // Answers with the status named by the path: /status/401, /status/404, ...
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      const status = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 200);
      res.statusCode = status;
      if (status === 429) res.setHeader('retry-after', '7');
      res.setHeader('content-type', 'application/json');
      res.end(status === 200 ? '{"total":1}' : '{"message":"nope"}');
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  const schema = z.object({ total: z.number() });
  const client = () => new KibanaClient({ baseUrl, apiKey: 'k' }, '/s/ops');
  const get = (path: string, options?: { missingOk?: boolean }) =>
    client().get(
      createTestSourceContext().upstream,
      'test',
      path,
      schema,
      options,
    );
  const failure = async (path: string) => {
    const error = await get(path).catch(e => e);
    expect(UpstreamError.isUpstreamError(error)).toBe(true);
    return error as UpstreamError;
  };

  it('reads a JSON answer in the space, with the API key', async () => {
    await expect(get('/api/x')).resolves.toEqual({ total: 1 });
    expect(seen[seen.length - 1].url).toBe('/s/ops/api/x');
    expect(seen[seen.length - 1].headers.authorization).toBe('ApiKey k');
  });

  it('translates refusals, rate limits and missing APIs, with the HTTP status', async () => {
    expect(await failure('/status/401')).toMatchObject({
      status: 'unauthorized',
      httpStatus: 401,
    });
    expect(await failure('/status/403')).toMatchObject({
      status: 'unauthorized',
      httpStatus: 403,
    });
    expect(await failure('/status/429')).toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 7000,
      httpStatus: 429,
    });
    const missing = await failure('/status/404');
    expect(missing).toMatchObject({
      status: 'not-configured',
      httpStatus: 404,
    });
    expect(missing.message).toContain('has no test API (404)');
  });

  it('answers undefined for a 404 when the item may be missing', async () => {
    await expect(
      get('/status/404', { missingOk: true }),
    ).resolves.toBeUndefined();
  });

  it('says any other status as an error carrying it, with the start of the body', async () => {
    const error = await failure('/status/422');
    expect(error).toMatchObject({ status: 'error', httpStatus: 422 });
    expect(error.message).toBe('Kibana test answered 422: {"message":"nope"}');
  });
});
