/*
 * Fault injection: latency, 5xx rate, 429 storm with Retry-After, hangs, malformed JSON, slow
 * drip, unauthorized, pathPrefix scoping, switching at run time (setFaults and the admin
 * endpoint), and validation of fault specs.
 */
import http from 'node:http';
import { startSandbox } from './sandbox';
import { parseFaultFlag, parseFaultSpec } from './faults';
import { Sandbox, UPSTREAM_NAMES, UpstreamName } from './types';
import { call, FIXED_NOW } from './__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

const PROBE: Record<UpstreamName, string> = {
  pagerduty: '/services',
  github: '/repos/acme/payments-api',
  grafana: '/api/search',
  kibana: '/api/alerting/rules/_find',
  elasticsearch: '/logs-payments-*/_search?size=1',
  kubernetes: '/api/v1/pods?limit=1',
  slack: '/api/auth.test',
};

describe('faults', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({
      seed: 1,
      now: FIXED_NOW,
      rateLimits: { githubPerHour: 100_000, pagerdutyPerMinute: 100_000 },
    });
  });
  afterEach(() => {
    for (const n of UPSTREAM_NAMES) sb.setFaults(n, undefined);
    sb.resetCounters();
  });
  afterAll(() => sb.stop());

  it('adds latency (fixed and ranged) and records it in the log', async () => {
    sb.setFaults('grafana', { latencyMs: 150 });
    const t0 = Date.now();
    const res = await call(sb, 'grafana', '/api/health');
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sb.setFaults('grafana', { latencyMs: { min: 50, max: 80 } });
    const t1 = Date.now();
    await call(sb, 'grafana', '/api/health');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(45);
    const log = sb.requests({ upstream: 'grafana', route: 'GET /api/health' });
    expect(log).toHaveLength(2);
    expect(log.every(e => e.fault === 'latency' && e.durationMs >= 45)).toBe(
      true,
    );
  });

  it('answers a fraction with 500/502/503 in each upstream’s error shape', async () => {
    sb.setFaults('pagerduty', { errorRate: 1 });
    const res = await call(sb, 'pagerduty', '/services');
    expect([500, 502, 503]).toContain(res.status);
    expect(res.body.error).toEqual(
      expect.objectContaining({
        message: expect.any(String),
        code: expect.any(Number),
      }),
    );
    sb.setFaults('pagerduty', { errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await call(sb, 'pagerduty', '/services?limit=1')).status);
    const failed = statuses.filter(s => s >= 500).length;
    expect(failed).toBeGreaterThan(12);
    expect(failed).toBeLessThan(48);
    const es = await (async () => {
      sb.setFaults('elasticsearch', { errorRate: 1 });
      return call(sb, 'elasticsearch', '/');
    })();
    expect(es.body.error.type).toEqual(expect.any(String));
    expect(es.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('storms with 429 and Retry-After (GitHub: secondary-limit 403 by default, or 429)', async () => {
    for (const name of [
      'pagerduty',
      'grafana',
      'kibana',
      'elasticsearch',
    ] as UpstreamName[]) {
      sb.setFaults(name, { rateLimit: { retryAfterSec: 7 } });
      const res = await call(sb, name, PROBE[name]);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
    }
    sb.setFaults('github', { rateLimit: {} });
    const gh = await call(sb, 'github', PROBE.github);
    expect(gh.status).toBe(403);
    expect(gh.body.message).toMatch(/secondary rate limit/);
    expect(gh.headers.get('retry-after')).toBe('1');
    sb.setFaults('github', { rateLimit: { status: 429, rate: 1 } });
    expect((await call(sb, 'github', PROBE.github)).status).toBe(429);
    expect(
      sb.requests({ upstream: 'github' }).every(e => e.fault === 'rateLimit'),
    ).toBe(true);
  });

  it('hangs until the client gives up, and stop() closes hung sockets', async () => {
    const hung = await startSandbox({
      seed: 1,
      now: FIXED_NOW,
      faults: { kibana: { hangRate: 1 } },
    });
    const started = Date.now();
    await expect(
      call(hung, 'kibana', '/api/status', { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hung.requests({ upstream: 'kibana' })[0]).toMatchObject({
      status: 0,
      fault: 'hang',
    });
    // A raw request left hanging is ended by stop().
    const ended = new Promise<string>(resolve => {
      const req = http.get(`${hung.urls.kibana}/api/status`, res =>
        resolve(`status ${res.statusCode}`),
      );
      req.on('error', e =>
        resolve(`closed: ${(e as NodeJS.ErrnoException).code}`),
      );
    });
    await new Promise(r => setTimeout(r, 50));
    const stopStarted = Date.now();
    await hung.stop();
    expect(Date.now() - stopStarted).toBeLessThan(2000);
    expect(await ended).toMatch(/^closed/);
  });

  it('answers 200 with truncated, invalid JSON', async () => {
    sb.setFaults('github', { malformedRate: 1 });
    const res = await call(sb, 'github', PROBE.github);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(res.text.length).toBeGreaterThan(10);
  });

  it('drips the body slowly in chunks, still complete', async () => {
    sb.setFaults('kibana', { slowDripMs: 30 });
    const t0 = Date.now();
    const res = await call(
      sb,
      'kibana',
      '/api/alerting/rules/_find?per_page=3',
    );
    const took = Date.now() - t0;
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(3);
    expect(took).toBeGreaterThanOrEqual(30 * 10);
    expect(sb.requests({ upstream: 'kibana' })[0].fault).toBe('slowDrip');
  });

  it('refuses everything with 401 in each upstream’s own shape', async () => {
    const expected: Record<UpstreamName, (b: any) => void> = {
      pagerduty: b => expect(b.error.code).toBe(2006),
      github: b => expect(b.message).toBe('Bad credentials'),
      grafana: b => expect(b.message).toBe('Unauthorized'),
      kibana: b =>
        expect(b).toMatchObject({ statusCode: 401, error: 'Unauthorized' }),
      elasticsearch: b => expect(b.error.type).toBe('security_exception'),
      kubernetes: b =>
        expect(b).toMatchObject({
          kind: 'Status',
          code: 401,
          reason: 'Unauthorized',
        }),
      slack: b => expect(b).toEqual({ ok: false, error: 'invalid_auth' }),
    };
    for (const name of UPSTREAM_NAMES) {
      sb.setFaults(name, { unauthorized: true });
      const res = await call(sb, name, PROBE[name]);
      // Slack answers every error, a bad token included, with HTTP 200 and ok: false.
      expect(res.status).toBe(name === 'slack' ? 200 : 401);
      expected[name](res.body);
    }
  });

  it('scopes faults to a path prefix', async () => {
    sb.setFaults('github', {
      errorRate: 1,
      pathPrefix: '/repos/acme/payments-api/commits',
    });
    expect(
      (await call(sb, 'github', '/repos/acme/payments-api/commits')).status,
    ).toBeGreaterThanOrEqual(500);
    expect(
      (await call(sb, 'github', '/repos/acme/payments-api/releases')).status,
    ).toBe(200);
    expect((await call(sb, 'github', '/repos/acme/payments-api')).status).toBe(
      200,
    );
  });

  it('switches faults at run time through the admin endpoint, validating them', async () => {
    const put = await fetch(`${sb.urls.admin}/faults/grafana`, {
      method: 'PUT',
      body: JSON.stringify({ errorRate: 1, pathPrefix: '/api/search' }),
    });
    expect(put.status).toBe(200);
    expect(
      (await call(sb, 'grafana', '/api/search')).status,
    ).toBeGreaterThanOrEqual(500);
    expect((await call(sb, 'grafana', '/api/health')).status).toBe(200);
    const listed = await (await fetch(`${sb.urls.admin}/faults`)).json();
    expect(listed.grafana).toEqual({ errorRate: 1, pathPrefix: '/api/search' });
    const counters = await (await fetch(`${sb.urls.admin}/counters`)).json();
    expect(counters.grafana['GET /api/search']).toBe(1);
    const requests = await (
      await fetch(
        `${sb.urls.admin}/requests?upstream=grafana&route=${encodeURIComponent(
          'GET /api/search',
        )}`,
      )
    ).json();
    expect(requests.requests[0]).toMatchObject({
      upstream: 'grafana',
      path: '/api/search',
      fault: 'error',
    });
    const del = await fetch(`${sb.urls.admin}/faults/grafana`, {
      method: 'DELETE',
    });
    expect(del.status).toBe(200);
    expect((await call(sb, 'grafana', '/api/search')).status).toBe(200);

    for (const [body, message] of [
      [{ errorRate: 2 }, /errorRate/],
      [{ latencyMs: { min: 10, max: 5 } }, /max must be >= latencyMs.min/],
      [{ rateLimit: { status: 500 } }, /rateLimit.status/],
      [{ bogus: true }, /bogus|Unrecognized/i],
      [{ pathPrefix: 'no-slash' }, /pathPrefix/],
    ] as Array<[unknown, RegExp]>) {
      const res = await fetch(`${sb.urls.admin}/faults/github`, {
        method: 'PUT',
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
    const badJson = await fetch(`${sb.urls.admin}/faults/github`, {
      method: 'PUT',
      body: '{nope',
    });
    expect(badJson.status).toBe(400);
    const unknown = await fetch(`${sb.urls.admin}/faults/jira`, {
      method: 'PUT',
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/unknown upstream 'jira'/);
    await fetch(`${sb.urls.admin}/requests`, { method: 'DELETE' });
    expect(sb.requests()).toEqual([]);
  });

  it('applies faults given at start and refuses invalid ones', async () => {
    await expect(
      startSandbox({ faults: { github: { errorRate: -1 } } }),
    ).rejects.toThrow(/errorRate/);
    const s = await startSandbox({
      seed: 1,
      now: FIXED_NOW,
      faults: { pagerduty: { unauthorized: true } },
    });
    try {
      expect((await call(s, 'pagerduty', '/services')).status).toBe(401);
      expect((await call(s, 'github', '/repos/acme/payments-api')).status).toBe(
        200,
      );
    } finally {
      await s.stop();
    }
  });

  it('parses the CLI fault syntax', () => {
    expect(parseFaultFlag('github=latency:300,error:0.1')).toEqual({
      upstream: 'github',
      spec: { latencyMs: 300, errorRate: 0.1 },
    });
    expect(
      parseFaultFlag('elasticsearch=latency:10-50,hang:0.2,prefix:/logs').spec,
    ).toEqual({
      latencyMs: { min: 10, max: 50 },
      hangRate: 0.2,
      pathPrefix: '/logs',
    });
    expect(
      parseFaultFlag(
        'pagerduty=ratelimit:1:30:429,unauthorized,malformed:0.5,drip:20',
      ).spec,
    ).toEqual({
      rateLimit: { rate: 1, retryAfterSec: 30, status: 429 },
      unauthorized: true,
      malformedRate: 0.5,
      slowDripMs: 20,
    });
    expect(() => parseFaultFlag('jira=error:1')).toThrow(/upstream one of/);
    expect(() => parseFaultFlag('github=explode:1')).toThrow(
      /unknown fault 'explode'/,
    );
    expect(() => parseFaultSpec({ hangRate: 1.5 })).toThrow(/hangRate/);
  });
});

describe('rate budgets', () => {
  it('spends the PagerDuty per-minute budget per token and answers 429 past it', async () => {
    const sb = await startSandbox({
      seed: 2,
      now: FIXED_NOW,
      rateLimits: { pagerdutyPerMinute: 4 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await call(sb, 'pagerduty', '/services?limit=1')).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      const res = await call(sb, 'pagerduty', '/services');
      expect(res.body).toEqual({
        error: { message: 'Rate Limit Exceeded', code: 2020 },
      });
      expect(res.headers.get('ratelimit-remaining')).toBe('0');
      expect(res.headers.get('ratelimit-limit')).toBe('4');
    } finally {
      await sb.stop();
    }
  });

  it('scales the budget windows with windowScale: a PagerDuty minute of 100 ms', async () => {
    const sb = await startSandbox({
      seed: 2,
      now: FIXED_NOW,
      rateLimits: { pagerdutyPerMinute: 2, githubPerHour: 2, windowScale: 600 },
    });
    try {
      const pd = async () =>
        (await call(sb, 'pagerduty', '/services?limit=1')).status;
      const gh = async () =>
        (await call(sb, 'github', '/repos/acme/cart-service/pulls')).status;
      expect([await pd(), await pd(), await pd()]).toEqual([200, 200, 429]);
      expect([await gh(), await gh(), await gh()]).toEqual([200, 200, 403]);
      // GitHub's hour is 6 s; its reset header says when it ends.
      const spent = await call(sb, 'github', '/repos/acme/cart-service/pulls');
      const reset = Number(spent.headers.get('x-ratelimit-reset')) * 1000;
      expect(reset - Date.now()).toBeLessThanOrEqual(7000);
      // Counted per status, refusals included.
      expect(sb.statuses().pagerduty).toEqual({ '200': 2, '429': 1 });
      expect(sb.statuses().github).toEqual({ '200': 2, '403': 2 });
      await new Promise(r => setTimeout(r, 150));
      expect(await pd()).toBe(200);
    } finally {
      await sb.stop();
    }
  });

  it('does not charge GitHub conditional requests answered 304', async () => {
    const sb = await startSandbox({
      seed: 2,
      now: FIXED_NOW,
      rateLimits: { githubPerHour: 2 },
    });
    try {
      const first = await call(
        sb,
        'github',
        '/repos/acme/cart-service/commits',
      );
      const etag = first.headers.get('etag')!;
      for (let i = 0; i < 5; i++) {
        const res = await call(
          sb,
          'github',
          '/repos/acme/cart-service/commits',
          { headers: { 'if-none-match': etag } },
        );
        expect(res.status).toBe(304);
        expect(res.text).toBe('');
        expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
      }
      expect(
        (await call(sb, 'github', '/repos/acme/cart-service/pulls')).status,
      ).toBe(200);
      const spent = await call(
        sb,
        'github',
        '/repos/acme/cart-service/releases',
      );
      expect(spent.status).toBe(403);
      expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(spent.body.message).toMatch(/API rate limit exceeded/);
      // Still free once spent.
      expect(
        (
          await call(sb, 'github', '/repos/acme/cart-service/commits', {
            headers: { 'if-none-match': etag },
          })
        ).status,
      ).toBe(304);
    } finally {
      await sb.stop();
    }
  });
});
