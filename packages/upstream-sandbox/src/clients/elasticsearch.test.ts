/*
 * @elastic/elasticsearch against the sandbox, unchanged: the product check, a search with a
 * date_histogram that shows the story's error spike, and requestTimeout under the hang fault.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Client, errors } from '@elastic/elasticsearch';
import { startSandbox } from '../sandbox';
import { Sandbox } from '../types';
import { FIXED_NOW } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

describe('@elastic/elasticsearch against the sandbox', () => {
  let sb: Sandbox;
  let client: Client;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 3, now: FIXED_NOW });
    client = new Client({
      node: sb.urls.elasticsearch,
      auth: { apiKey: sb.tokens.elasticsearch },
      requestTimeout: 5000,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await client.close();
    await sb.stop();
  });

  it('passes the product check and reads the cluster info', async () => {
    const info = await client.info();
    expect(info.version.number).toMatch(/^9\./);
    expect(info.tagline).toBe('You Know, for Search');
    // ping() is a HEAD /.
    expect(await client.ping()).toBe(true);
  });

  it('finds the payments-api error spike in a date_histogram of the annotation query', async () => {
    const story = sb.scenario.stories.find(
      s => s.id === 'payments-bad-deploy',
    )!;
    const svc = sb.scenario.services.find(s => s.name === 'payments-api')!;
    const res = await client.search({
      index: svc.esIndexPattern!,
      size: 3,
      sort: [{ '@timestamp': { order: 'desc' } }],
      track_total_hits: true,
      query: {
        bool: {
          filter: [
            { query_string: { query: svc.kibanaLogQuery! } },
            {
              range: {
                '@timestamp': {
                  gte: new Date(FIXED_NOW - 6 * 3600e3).toISOString(),
                  lte: FIXED_NOW,
                  format: 'strict_date_optional_time||epoch_millis',
                },
              },
            },
          ],
        },
      },
      aggs: {
        errors: {
          date_histogram: {
            field: '@timestamp',
            fixed_interval: '5m',
            min_doc_count: 0,
            extended_bounds: { min: FIXED_NOW - 6 * 3600e3, max: FIXED_NOW },
          },
        },
      },
    });
    const total = res.hits.total as { value: number };
    expect(total.value).toBeGreaterThan(1000);
    for (const hit of res.hits.hits as any[]) {
      expect(hit._source.service.name).toBe('payments-api');
      expect(hit._source.log.level).toBe('error');
      expect(hit._index).toMatch(/^logs-payments-\d{4}\.\d{2}\.\d{2}$/);
    }
    const buckets = (res.aggregations!.errors as any).buckets as Array<{
      key: number;
      key_as_string: string;
      doc_count: number;
    }>;
    expect(buckets).toHaveLength(6 * 12 + 1);
    expect(new Date(buckets[0].key).toISOString()).toBe(
      buckets[0].key_as_string,
    );
    const spike = story.errorSpikes[0];
    const inSpike = buckets.filter(
      b => b.key >= spike.from && b.key + 300e3 <= spike.to,
    );
    const outside = buckets.filter(
      b => b.key + 300e3 < spike.from - 600e3 || b.key > spike.to + 600e3,
    );
    const avg = (list: typeof buckets) =>
      list.reduce((n, b) => n + b.doc_count, 0) / list.length;
    expect(inSpike.length).toBeGreaterThan(4);
    expect(avg(inSpike)).toBeGreaterThan(100);
    expect(avg(outside)).toBeLessThan(5);
    // The spike starts after the deploy that caused it.
    const firstHot = buckets.find(b => b.doc_count > 50)!;
    expect(firstHot.key + 300e3).toBeGreaterThan(story.cause!.at);
  });

  it('answers index_not_found for a concrete missing index and nothing for an unmatched wildcard', async () => {
    await expect(client.search({ index: 'nope-index' })).rejects.toMatchObject({
      meta: { statusCode: 404 },
    });
    const empty = await client.search({ index: 'nope-*' });
    expect(empty.hits.hits).toEqual([]);
  });

  it('times out on the hang fault with requestTimeout', async () => {
    sb.setFaults('elasticsearch', {
      hangRate: 1,
      pathPrefix: '/logs-storefront',
    });
    try {
      const started = Date.now();
      const err = await client
        .search(
          { index: 'logs-storefront-*', size: 1 },
          { requestTimeout: 300, maxRetries: 0 },
        )
        .then(
          () => undefined,
          e => e,
        );
      expect(err).toBeInstanceOf(errors.TimeoutError);
      expect(Date.now() - started).toBeLessThan(3000);
      // Other paths still answer.
      const ok = await client.search({ index: 'logs-payments-*', size: 1 });
      expect(ok.hits.hits).toHaveLength(1);
    } finally {
      sb.setFaults('elasticsearch', undefined);
    }
  });

  it('refuses a wrong key with 401 security_exception, still sending x-elastic-product', async () => {
    const bad = new Client({
      node: sb.urls.elasticsearch,
      auth: { apiKey: 'nope' },
      maxRetries: 0,
    });
    const err = await bad.info().then(
      () => undefined,
      e => e,
    );
    expect(err.meta.statusCode).toBe(401);
    expect(err.meta.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(err.meta.body.error.type).toBe('security_exception');
    await bad.close();
  });

  it('is needed: the client refuses the same answers without the x-elastic-product header', async () => {
    const plain = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name: 'x',
          cluster_name: 'x',
          version: { number: '9.1.0', build_flavor: 'default' },
          tagline: 'You Know, for Search',
        }),
      );
    });
    await new Promise<void>(r => plain.listen(0, '127.0.0.1', () => r()));
    const port = (plain.address() as AddressInfo).port;
    const c = new Client({ node: `http://127.0.0.1:${port}`, maxRetries: 0 });
    try {
      await expect(c.info()).rejects.toBeInstanceOf(
        errors.ProductNotSupportedError,
      );
    } finally {
      await c.close();
      await new Promise(r => plain.close(r));
    }
  });
});
