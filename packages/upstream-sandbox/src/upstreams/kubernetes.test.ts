/*
 * The Kubernetes API of the sandbox: list shapes checked against the official documents
 * (../shared/specs/kubernetes-apps-v1.json and kubernetes-core-v1.json), label selectors,
 * `limit`/`continue` paging, the Bearer token, Status objects for errors, and the demo's
 * cluster: ReplicaSet revisions that follow the GitHub production deployments, the rollback
 * of the payments story and its OOM-killed pods.
 */
import path from 'node:path';
import { startSandbox } from '../sandbox';
import { Sandbox } from '../types';
import { OpenApiValidator, sharedSpecsDir } from '../__testUtils__/openapi';
import { call, FIXED_NOW } from '../__testUtils__/http';
import { parseLabelSelector, matches } from './kubernetes/selector';

jest.setTimeout(30_000);

const specs = sharedSpecsDir();
const withSpecs = specs ? describe : describe.skip;

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 7, now: FIXED_NOW });
});
afterAll(async () => {
  await sb?.stop();
});

const PAYMENTS = 'backstage.io/kubernetes-id=payments-api';
const q = (selector: string) => encodeURIComponent(selector);

withSpecs(
  'Kubernetes against kubernetes-apps-v1.json and kubernetes-core-v1.json',
  () => {
    let v: OpenApiValidator;
    beforeAll(() => {
      v = new OpenApiValidator({
        apps: { file: path.join(specs!, 'kubernetes-apps-v1.json') },
        core: { file: path.join(specs!, 'kubernetes-core-v1.json') },
      });
    });
    const check = (doc: string, apiPath: string, body: unknown) =>
      OpenApiValidator.assert(
        v.response(doc, apiPath, 'get', '200'),
        body,
        `GET ${apiPath} 200`,
      );

    it('serves the four lists per namespace and across namespaces in the documented shapes', async () => {
      const cases: Array<[string, string, string, string]> = [
        [
          'apps',
          '/apis/apps/v1/deployments',
          '/apis/apps/v1/deployments',
          'DeploymentList',
        ],
        [
          'apps',
          '/apis/apps/v1/namespaces/{namespace}/deployments',
          '/apis/apps/v1/namespaces/payments/deployments',
          'DeploymentList',
        ],
        [
          'apps',
          '/apis/apps/v1/replicasets',
          '/apis/apps/v1/replicasets',
          'ReplicaSetList',
        ],
        [
          'apps',
          '/apis/apps/v1/namespaces/{namespace}/replicasets',
          '/apis/apps/v1/namespaces/payments/replicasets',
          'ReplicaSetList',
        ],
        ['core', '/api/v1/pods', '/api/v1/pods', 'PodList'],
        [
          'core',
          '/api/v1/namespaces/{namespace}/pods',
          '/api/v1/namespaces/payments/pods',
          'PodList',
        ],
        ['core', '/api/v1/events', '/api/v1/events', 'EventList'],
        [
          'core',
          '/api/v1/namespaces/{namespace}/events',
          '/api/v1/namespaces/payments/events',
          'EventList',
        ],
      ];
      for (const [doc, apiPath, url, kind] of cases) {
        const res = await call(sb, 'kubernetes', url);
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expect(res.body).toMatchObject({
          kind,
          metadata: { resourceVersion: expect.any(String) },
        });
        expect(res.body.items.length).toBeGreaterThan(0);
        check(doc, apiPath, res.body);
      }
    });
  },
);

describe('the sandbox Kubernetes API', () => {
  it('filters by equality and set-based label selectors, and refuses a bad one with a Status', async () => {
    const eq = await call(
      sb,
      'kubernetes',
      `/api/v1/pods?labelSelector=${q(PAYMENTS)}`,
    );
    expect(eq.body.items.length).toBeGreaterThan(0);
    expect(
      eq.body.items.every((p: any) =>
        p.metadata.name.startsWith('payments-api-'),
      ),
    ).toBe(true);
    const set = await call(
      sb,
      'kubernetes',
      `/api/v1/pods?labelSelector=${q(
        'app in (payments-api, ledger-service),pod-template-hash',
      )}`,
    );
    const apps = new Set(set.body.items.map((p: any) => p.metadata.labels.app));
    expect([...apps].sort()).toEqual(['ledger-service', 'payments-api']);
    const not = await call(
      sb,
      'kubernetes',
      `/api/v1/pods?labelSelector=${q('app notin (payments-api)')}`,
    );
    expect(
      not.body.items.some((p: any) => p.metadata.labels.app === 'payments-api'),
    ).toBe(false);
    const bad = await call(
      sb,
      'kubernetes',
      `/api/v1/pods?labelSelector=${q('app in (x')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('pages with limit and continue, and every object comes exactly once', async () => {
    const all = await call(sb, 'kubernetes', '/api/v1/events');
    const names: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await call(
        sb,
        'kubernetes',
        `/api/v1/events?limit=7${token ? `&continue=${q(token)}` : ''}`,
      );
      expect(res.body.items.length).toBeLessThanOrEqual(7);
      names.push(...res.body.items.map((e: any) => e.metadata.name));
      token = res.body.metadata.continue;
      if (!token) break;
      expect(res.body.metadata.remainingItemCount).toBeGreaterThan(0);
    }
    expect(token).toBeUndefined();
    expect(names).toEqual(all.body.items.map((e: any) => e.metadata.name));
    const junk = await call(
      sb,
      'kubernetes',
      '/api/v1/events?limit=7&continue=junk',
    );
    expect(junk.status).toBe(400);
  });

  it('wants the service account token, and says so in a Status object', async () => {
    const none = await call(sb, 'kubernetes', '/api/v1/pods', { auth: false });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const wrong = await call(sb, 'kubernetes', '/api/v1/pods', {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('answers a 429 storm with Retry-After and a TooManyRequests Status', async () => {
    sb.setFaults('kubernetes', { rateLimit: { retryAfterSec: 7 } });
    try {
      const res = await call(sb, 'kubernetes', '/api/v1/pods');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body).toMatchObject({
        kind: 'Status',
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 7 },
      });
    } finally {
      sb.setFaults('kubernetes', undefined);
    }
  });

  it('keeps a ReplicaSet per version, revisions in the order of the GitHub production deployments, and the payments rollback reusing the old one', async () => {
    const story = sb.scenario.stories.find(
      s => s.id === 'payments-bad-deploy',
    )!;
    const previous = /Roll back to (\S+)/.exec(
      story.decoys.map(d => d.summary).join(' '),
    )![1];
    const res = await call(
      sb,
      'kubernetes',
      `/apis/apps/v1/namespaces/payments/replicasets?labelSelector=${q(
        PAYMENTS,
      )}`,
    );
    const sets = res.body.items.map((rs: any) => ({
      tag: rs.spec.template.spec.containers[0].image.split(':').pop(),
      revision: Number(
        rs.metadata.annotations['deployment.kubernetes.io/revision'],
      ),
      history:
        rs.metadata.annotations['deployment.kubernetes.io/revision-history'],
      created: Date.parse(rs.metadata.creationTimestamp),
      replicas: rs.spec.replicas,
    }));
    const bad = sets.find((s: any) => s.tag === 'v2.14.0');
    expect(bad.created).toBe(Math.floor(story.cause!.at / 1000) * 1000);
    const back = sets.find((s: any) => s.tag === previous);
    expect(back.revision).toBe(bad.revision + 1);
    expect(back.history.split(',').map(Number)).toContain(bad.revision - 1);
    expect(back.replicas).toBeGreaterThan(0);
    expect(bad.replicas).toBe(0);
    const deployment = (
      await call(
        sb,
        'kubernetes',
        `/apis/apps/v1/namespaces/payments/deployments?labelSelector=${q(
          PAYMENTS,
        )}`,
      )
    ).body.items[0];
    expect(
      deployment.metadata.annotations['deployment.kubernetes.io/revision'],
    ).toBe(String(back.revision));
    expect(deployment.spec.template.spec.containers[0].image).toMatch(
      new RegExp(`:${previous}$`),
    );

    const events = (
      await call(sb, 'kubernetes', '/api/v1/namespaces/payments/events')
    ).body.items;
    const oom = events.filter((e: any) => e.reason === 'OOMKilling');
    expect(oom.length).toBeGreaterThan(1);
    for (const e of oom) {
      expect(e.involvedObject.kind).toBe('Pod');
      expect(Date.parse(e.firstTimestamp)).toBeGreaterThan(story.cause!.at);
      expect(e.count).toBeGreaterThan(1);
    }
  });
});

describe('parseLabelSelector', () => {
  it.each([
    ['a=b', { a: 'b' }, true],
    ['a==b', { a: 'c' }, false],
    ['a!=b', {}, true],
    ['a in (x, y)', { a: 'y' }, true],
    ['a notin (x)', { a: 'x' }, false],
    ['a,!b', { a: '1' }, true],
    ['!a', { a: '1' }, false],
    [
      'backstage.io/kubernetes-id=pay,tier in (web)',
      { 'backstage.io/kubernetes-id': 'pay', tier: 'web' },
      true,
    ],
  ])('%p on %p is %p', (selector, labels, expected) => {
    expect(
      matches(parseLabelSelector(selector), labels as Record<string, string>),
    ).toBe(expected);
  });
});
