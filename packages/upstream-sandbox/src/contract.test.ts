/*
 * Contract tests: every served endpoint's answers are validated against the official OpenAPI
 * documents (../shared/specs for PagerDuty, Grafana, Kibana and Elasticsearch; @octokit/openapi's
 * api.github.com document for GitHub), so the sandbox cannot drift into a private dialect.
 * When ../shared/specs is absent (another checkout), those suites are skipped with a reason.
 */
import path from 'node:path';
import { startSandbox } from './sandbox';
import { Sandbox } from './types';
import {
  OpenApiValidator,
  octokitOpenApiFile,
  sharedSpecsDir,
} from './__testUtils__/openapi';
import { call, FIXED_NOW } from './__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

const specs = sharedSpecsDir();
const withSpecs = specs ? describe : describe.skip;
if (!specs) {
  // eslint-disable-next-line no-console
  console.warn(
    'contract tests for PagerDuty, Grafana, Kibana and Elasticsearch skipped: ../shared/specs not found beside this checkout',
  );
}

const JSON_T = 'application/json';
const check = (
  v: OpenApiValidator,
  doc: string,
  apiPath: string,
  status: string,
  body: unknown,
  method = 'get',
  media = JSON_T,
) =>
  OpenApiValidator.assert(
    v.response(doc, apiPath, method, status, media),
    body,
    `${method.toUpperCase()} ${apiPath} ${status}`,
  );

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({
    seed: 7,
    now: FIXED_NOW,
    rateLimits: { githubPerHour: 100_000, pagerdutyPerMinute: 100_000 },
  });
});
afterAll(async () => {
  await sb?.stop();
});

withSpecs('PagerDuty REST v2 against pagerduty-rest.json', () => {
  let v: OpenApiValidator;
  beforeAll(() => {
    v = new OpenApiValidator({
      pd: {
        file: path.join(specs!, 'pagerduty-rest.json'),
        errata: [
          {
            pointer:
              '/components/schemas/AcknowledgeLogEntry/allOf/1/properties/type/enum',
            replace: () => ['acknowledge_log_entry'],
            why: "The subtype says 'acknowledgement_log_entry' while LogEntry.type (and the API) say 'acknowledge_log_entry': as published no acknowledge entry can validate.",
          },
          {
            pointer:
              '/components/schemas/Incident/allOf/1/properties/resolved_at',
            replace: s => ({ anyOf: [{ type: 'null' }, s] }),
            why: "Documented as 'the time the incident became resolved or null if the incident is not resolved' but not marked nullable.",
          },
        ],
      },
    });
  });

  it('serves services, incidents, log entries, on-calls, policies, schedules, users and change events in the documented shapes', async () => {
    const services = await call(
      sb,
      'pagerduty',
      '/services?limit=100&total=true',
    );
    check(v, 'pd', '/services', '200', services.body);
    expect(services.body.services.length).toBeGreaterThan(5);
    const svc = await call(sb, 'pagerduty', '/services/PPAYAPI');
    check(v, 'pd', '/services/{id}', '200', svc.body);

    const incidents = await call(
      sb,
      'pagerduty',
      '/incidents?date_range=all&limit=100&total=true',
    );
    check(v, 'pd', '/incidents', '200', incidents.body);
    expect(incidents.body.incidents.length).toBeGreaterThan(3);
    const story = sb.scenario.stories.find(
      s => s.id === 'payments-bad-deploy',
    )!;
    const inc = await call(
      sb,
      'pagerduty',
      `/incidents/${story.incident!.pagerdutyId}`,
    );
    check(v, 'pd', '/incidents/{id}', '200', inc.body);
    const entries = await call(
      sb,
      'pagerduty',
      `/incidents/${story.incident!.pagerdutyId}/log_entries`,
    );
    check(v, 'pd', '/incidents/{id}/log_entries', '200', entries.body);
    const types = new Set(entries.body.log_entries.map((e: any) => e.type));
    for (const t of [
      'trigger_log_entry',
      'acknowledge_log_entry',
      'escalate_log_entry',
      'notify_log_entry',
      'resolve_log_entry',
    ]) {
      expect(types).toContain(t);
    }
    const all = await call(
      sb,
      'pagerduty',
      `/log_entries?since=${new Date(
        FIXED_NOW - 14 * 86400e3,
      ).toISOString()}&until=${new Date(FIXED_NOW).toISOString()}&limit=100`,
    );
    check(v, 'pd', '/log_entries', '200', all.body);

    const oncalls = await call(
      sb,
      'pagerduty',
      `/oncalls?since=${new Date(
        FIXED_NOW - 86400e3,
      ).toISOString()}&until=${new Date(FIXED_NOW).toISOString()}`,
    );
    check(v, 'pd', '/oncalls', '200', oncalls.body);
    const policyId = svc.body.service.escalation_policy.id;
    check(
      v,
      'pd',
      '/escalation_policies/{id}',
      '200',
      (await call(sb, 'pagerduty', `/escalation_policies/${policyId}`)).body,
    );
    const scheduleId = oncalls.body.oncalls[0].schedule.id;
    check(
      v,
      'pd',
      '/schedules/{id}',
      '200',
      (await call(sb, 'pagerduty', `/schedules/${scheduleId}`)).body,
    );
    check(
      v,
      'pd',
      '/users/{id}',
      '200',
      (await call(sb, 'pagerduty', `/users/${oncalls.body.oncalls[0].user.id}`))
        .body,
    );
    const changes = await call(
      sb,
      'pagerduty',
      `/change_events?since=${new Date(
        FIXED_NOW - 14 * 86400e3,
      ).toISOString()}&until=${new Date(FIXED_NOW).toISOString()}&limit=100`,
    );
    check(v, 'pd', '/change_events', '200', changes.body);
    expect(changes.body.change_events.length).toBeGreaterThan(3);
    // /services/{id}/change_events is not in the trimmed document; it answers the same shape.
    check(
      v,
      'pd',
      '/change_events',
      '200',
      (await call(sb, 'pagerduty', '/services/PINVNTR/change_events')).body,
    );
  });

  it('answers errors in the documented envelopes', async () => {
    const unauth = await call(sb, 'pagerduty', '/incidents', {
      headers: { authorization: 'Token token=wrong' },
    });
    expect(unauth.status).toBe(401);
    check(v, 'pd', '/incidents', '401', unauth.body);
    const missing = await call(sb, 'pagerduty', '/incidents/QNOPE');
    expect(missing.status).toBe(404);
    check(v, 'pd', '/incidents/{id}', '404', missing.body);
    const bad = await call(sb, 'pagerduty', '/incidents?statuses[]=on-fire');
    expect(bad.status).toBe(400);
    check(v, 'pd', '/incidents', '400', bad.body);
  });
});

withSpecs(
  'PagerDuty Events API v2 against pagerduty-events.json, and services with their integrations',
  () => {
    let v: OpenApiValidator;
    beforeAll(() => {
      v = new OpenApiValidator({
        ev: { file: path.join(specs!, 'pagerduty-events.json') },
        pd: {
          file: path.join(specs!, 'pagerduty-rest.json'),
          errata: [
            {
              pointer:
                '/components/schemas/IntegrationReference/allOf/1/properties/type/enum',
              replace: e => [...e, 'events_api_v2_inbound_integration'],
              why: "Service.integrations says 'if integrations is passed as an argument [include[]=integrations], these are full objects', yet lists only the reference types; the full Events API v2 integration is 'events_api_v2_inbound_integration'.",
            },
          ],
        },
      });
    });

    it('answers /v2/enqueue and /v2/change/enqueue (202 and 400) and include[]=integrations in the documented shapes', async () => {
      const key = sb.scenario.pagerduty.services.find(
        s => s.id === 'PCORPVP',
      )!.integrationKey;
      const post = (p: string, body: unknown) =>
        call(sb, 'pagerduty', p, {
          method: 'POST',
          auth: false,
          body: JSON.stringify(body),
        });
      const ok = await post('/v2/enqueue', {
        routing_key: key,
        event_action: 'trigger',
        payload: { summary: 'VPN down', source: 'gw-1', severity: 'error' },
      });
      expect(ok.status).toBe(202);
      check(v, 'ev', '/enqueue', '202', ok.body, 'post');
      const change = await post('/v2/change/enqueue', {
        routing_key: key,
        payload: { summary: 'Rotate the VPN certificates' },
      });
      expect(change.status).toBe(202);
      check(v, 'ev', '/change/enqueue', '202', change.body, 'post');
      // The 400 of the document names no schema: it is the Error response's.
      const error = v.schema(
        'ev',
        '/components/responses/Error/content/application~1json/schema',
      );
      const bad = await post('/v2/enqueue', { routing_key: key });
      expect(bad.status).toBe(400);
      OpenApiValidator.assert(error, bad.body, 'POST /enqueue 400');
      const badChange = await post('/v2/change/enqueue', { payload: {} });
      expect(badChange.status).toBe(400);
      OpenApiValidator.assert(
        error,
        badChange.body,
        'POST /change/enqueue 400',
      );

      const one = await call(
        sb,
        'pagerduty',
        '/services/PCORPVP?include[]=integrations',
      );
      check(v, 'pd', '/services/{id}', '200', one.body);
      expect(one.body.service.status).toBe('critical');
      const list = await call(
        sb,
        'pagerduty',
        '/services?include[]=integrations&limit=100&total=true',
      );
      check(v, 'pd', '/services', '200', list.body);
      expect(list.body.total).toBe(sb.scenario.pagerduty.services.length);
    });
  },
);

describe('GitHub REST against @octokit/openapi (api.github.com)', () => {
  let v: OpenApiValidator;
  beforeAll(() => {
    v = new OpenApiValidator({
      gh: {
        file: octokitOpenApiFile(),
        errata: [
          {
            pointer:
              '/paths/~1app~1installations/get/responses/200/content/application~1json/schema/items/properties/account',
            replace: s =>
              JSON.parse(JSON.stringify(s).replace('"allOf"', '"anyOf"')),
            why: 'The account is "Simple User" allOf "Enterprise" here (anyOf everywhere else, e.g. the installation schema): no organisation account can satisfy both.',
          },
        ],
      },
    });
  }, 60_000);

  it('serves repositories, commits, pulls, releases, deployments, statuses, runs and the rate limit in the documented shapes', async () => {
    const r = '/repos/acme/payments-api';
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}',
      '200',
      (await call(sb, 'github', r)).body,
    );
    const commits = await call(sb, 'github', `${r}/commits?per_page=30`);
    expect(commits.body.length).toBe(30);
    check(v, 'gh', '/repos/{owner}/{repo}/commits', '200', commits.body);
    const pulls = await call(sb, 'github', `${r}/pulls?state=all&per_page=50`);
    expect(pulls.body.length).toBeGreaterThan(5);
    check(v, 'gh', '/repos/{owner}/{repo}/pulls', '200', pulls.body);
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}/releases',
      '200',
      (await call(sb, 'github', `${r}/releases`)).body,
    );
    const deployments = await call(sb, 'github', `${r}/deployments`);
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}/deployments',
      '200',
      deployments.body,
    );
    const statuses = await call(
      sb,
      'github',
      `${r}/deployments/${deployments.body[0].id}/statuses`,
    );
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      '200',
      statuses.body,
    );
    const runs = await call(sb, 'github', `${r}/actions/runs?per_page=20`);
    expect(runs.body.workflow_runs.length).toBe(20);
    check(v, 'gh', '/repos/{owner}/{repo}/actions/runs', '200', runs.body);
    check(
      v,
      'gh',
      '/rate_limit',
      '200',
      (await call(sb, 'github', '/rate_limit')).body,
    );
  });

  it('serves organisation repositories and teams, repository teams, contents, languages and comparisons in the documented shapes', async () => {
    const repos = await call(sb, 'github', '/orgs/acme/repos?per_page=100');
    expect(repos.body.length).toBe(sb.scenario.github.repos.length);
    check(v, 'gh', '/orgs/{org}/repos', '200', repos.body);
    check(
      v,
      'gh',
      '/orgs/{org}/teams',
      '200',
      (await call(sb, 'github', '/orgs/acme/teams')).body,
    );
    for (const repo of sb.scenario.github.repos) {
      const r = `/repos/${repo.fullName}`;
      check(
        v,
        'gh',
        '/repos/{owner}/{repo}',
        '200',
        (await call(sb, 'github', r)).body,
      );
      check(
        v,
        'gh',
        '/repos/{owner}/{repo}/teams',
        '200',
        (await call(sb, 'github', `${r}/teams`)).body,
      );
      check(
        v,
        'gh',
        '/repos/{owner}/{repo}/languages',
        '200',
        (await call(sb, 'github', `${r}/languages`)).body,
      );
      const root = await call(sb, 'github', `${r}/contents/`);
      check(v, 'gh', '/repos/{owner}/{repo}/contents/{path}', '200', root.body);
      const ci = await call(sb, 'github', `${r}/contents/${repo.ciWorkflow}`);
      expect(ci.body.type).toBe('file');
      check(v, 'gh', '/repos/{owner}/{repo}/contents/{path}', '200', ci.body);
    }
    const missing = await call(
      sb,
      'github',
      '/repos/acme/payments-api/contents/nope.txt',
    );
    expect(missing.status).toBe(404);
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}/contents/{path}',
      '404',
      missing.body,
    );
    const tags = (await call(sb, 'github', '/repos/acme/payments-api/releases'))
      .body;
    const compare = await call(
      sb,
      'github',
      `/repos/acme/payments-api/compare/${tags[3].tag_name}...${tags[0].tag_name}`,
    );
    expect(compare.body.status).toBe('ahead');
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}/compare/{basehead}',
      '200',
      compare.body,
    );
  });

  it('serves the GitHub App endpoints and errors in the documented shapes', async () => {
    const jwt = {
      authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjc3N30.c2ln',
    };
    const installations = await call(sb, 'github', '/app/installations', {
      headers: jwt,
    });
    check(v, 'gh', '/app/installations', '200', installations.body);
    check(
      v,
      'gh',
      '/repos/{owner}/{repo}/installation',
      '200',
      (
        await call(sb, 'github', '/repos/acme/payments-api/installation', {
          headers: jwt,
        })
      ).body,
    );
    const token = await call(
      sb,
      'github',
      `/app/installations/${installations.body[0].id}/access_tokens`,
      { method: 'POST', headers: jwt },
    );
    expect(token.status).toBe(201);
    check(
      v,
      'gh',
      '/app/installations/{installation_id}/access_tokens',
      '201',
      token.body,
      'post',
    );
    const missing = await call(sb, 'github', '/repos/acme/nope');
    expect(missing.status).toBe(404);
    check(v, 'gh', '/repos/{owner}/{repo}', '404', missing.body);
  });
});

withSpecs('Grafana against grafana-http.json', () => {
  let v: OpenApiValidator;
  beforeAll(() => {
    v = new OpenApiValidator({
      gf: {
        file: path.join(specs!, 'grafana-http.json'),
        errata: [
          {
            pointer: '/components/schemas/Alert/properties/labels',
            replace: () => ({
              type: 'object',
              additionalProperties: { type: 'string' },
            }),
            why: "SOURCES.md: Alert.labels is typed as Go's labels.Labels (an array of {Name}); the endpoint returns a JSON object map.",
          },
          {
            pointer: '/components/schemas/Alert/properties/annotations',
            replace: () => ({
              type: 'object',
              additionalProperties: { type: 'string' },
            }),
            why: 'Same as Alert.labels: a JSON object map on the wire.',
          },
          {
            pointer: '/components/schemas/alertStatus/properties/state/enum',
            replace: () => ['unprocessed', 'active', 'suppressed'],
            why: "go-swagger rendered the enum as the single string '[unprocessed active suppressed]'.",
          },
        ],
      },
    });
  });

  it('serves health, search, dashboards, annotations and alert rules in the documented shapes (servers: /api)', async () => {
    check(
      v,
      'gf',
      '/health',
      '200',
      (await call(sb, 'grafana', '/api/health')).body,
    );
    const search = await call(
      sb,
      'grafana',
      '/api/search?tag=payments-api&type=dash-db',
    );
    expect(search.body.length).toBe(2);
    check(v, 'gf', '/search', '200', search.body);
    check(
      v,
      'gf',
      '/dashboards/uid/{uid}',
      '200',
      (await call(sb, 'grafana', `/api/dashboards/uid/${search.body[0].uid}`))
        .body,
    );
    const from = FIXED_NOW - 86400e3;
    const deploys = await call(
      sb,
      'grafana',
      `/api/annotations?from=${from}&to=${FIXED_NOW}&tags=deploy&tags=payments-api`,
    );
    expect(deploys.body.length).toBeGreaterThan(0);
    check(v, 'gf', '/annotations', '200', deploys.body);
    const alerts = await call(
      sb,
      'grafana',
      `/api/annotations?from=${from}&to=${FIXED_NOW}&type=alert`,
    );
    expect(alerts.body.length).toBeGreaterThan(0);
    check(v, 'gf', '/annotations', '200', alerts.body);
    check(
      v,
      'gf',
      '/v1/provisioning/alert-rules',
      '200',
      (await call(sb, 'grafana', '/api/v1/provisioning/alert-rules')).body,
    );
    const unauth = await call(sb, 'grafana', '/api/search', { auth: false });
    expect(unauth.status).toBe(401);
    check(v, 'gf', '/search', '401', unauth.body);
  });

  it('serves firing alerts as the extra components AlertResponse and gettableAlerts describe', async () => {
    const live = await startSandbox({ seed: 7 });
    try {
      const replay = live.replayLive({ stepMs: 100 });
      await new Promise(r =>
        setTimeout(
          r,
          Math.max(0, replay.story.alert!.firingAt - Date.now() + 10),
        ),
      );
      const prom = await call(
        live,
        'grafana',
        '/api/prometheus/grafana/api/v1/alerts',
      );
      expect(prom.body.data.alerts.length).toBeGreaterThan(0);
      OpenApiValidator.assert(
        v.schema('gf', '/components/schemas/AlertResponse'),
        prom.body,
        'prometheus alerts',
      );
      const am = await call(
        live,
        'grafana',
        '/api/alertmanager/grafana/api/v2/alerts?filter=service%3D%22checkout-api%22',
      );
      expect(am.body.length).toBeGreaterThan(0);
      OpenApiValidator.assert(
        v.schema('gf', '/components/schemas/gettableAlerts'),
        am.body,
        'alertmanager alerts',
      );
    } finally {
      await live.stop();
    }
  });
});

withSpecs('Kibana against kibana.json', () => {
  let v: OpenApiValidator;
  beforeAll(() => {
    v = new OpenApiValidator({
      kb: { file: path.join(specs!, 'kibana.json') },
    });
  });

  it('serves status, rules and _find (checked as {page, per_page, total, data[rule]}) in the documented shapes', async () => {
    check(
      v,
      'kb',
      '/api/status',
      '200',
      (await call(sb, 'kibana', '/api/status')).body,
    );
    const found = await call(
      sb,
      'kibana',
      '/api/alerting/rules/_find?per_page=100',
    );
    expect(Object.keys(found.body).sort()).toEqual([
      'data',
      'page',
      'per_page',
      'total',
    ]);
    expect(found.body.total).toBeGreaterThan(3);
    // SOURCES.md: the document's _find 200 schema is the single rule; each element of data is one.
    const rule = v.response('kb', '/api/alerting/rules/_find', 'get', '200');
    found.body.data.forEach((r: unknown, i: number) =>
      OpenApiValidator.assert(rule, r, `_find data[${i}]`),
    );
    check(
      v,
      'kb',
      '/api/alerting/rule/{id}',
      '200',
      (await call(sb, 'kibana', `/api/alerting/rule/${found.body.data[0].id}`))
        .body,
    );
  });
});

withSpecs('Elasticsearch against elasticsearch-search.json', () => {
  let v: OpenApiValidator;
  beforeAll(() => {
    v = new OpenApiValidator({
      es: { file: path.join(specs!, 'elasticsearch-search.json') },
    });
  }, 60_000);

  it('answers _search (hits, total, sort, date_histogram and terms aggregations) in the documented shape', async () => {
    const body = {
      size: 5,
      sort: [{ '@timestamp': 'desc' }],
      query: {
        bool: {
          filter: [
            {
              query_string: {
                query: 'service.name:"payments-api" AND log.level:error',
              },
            },
            {
              range: {
                '@timestamp': {
                  gte: FIXED_NOW - 6 * 3600e3,
                  lte: FIXED_NOW,
                  format: 'epoch_millis',
                },
              },
            },
          ],
        },
      },
      aggs: {
        per5m: {
          date_histogram: {
            field: '@timestamp',
            fixed_interval: '5m',
            min_doc_count: 0,
          },
          aggs: { levels: { terms: { field: 'log.level' } } },
        },
      },
    };
    const post = await call(sb, 'elasticsearch', '/logs-payments-*/_search', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(post.status).toBe(200);
    expect(post.body.hits.hits.length).toBe(5);
    check(v, 'es', '/{index}/_search', '200', post.body, 'post');
    const get = await call(
      sb,
      'elasticsearch',
      '/_search?q=log.level:warn&size=3',
    );
    check(v, 'es', '/_search', '200', get.body, 'get');
  });
});
