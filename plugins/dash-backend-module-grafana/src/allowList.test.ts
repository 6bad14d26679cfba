import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  createTestSourceContext,
  testComponent,
} from '@dash-suite/plugin-dash-node/testUtils';
import { readGrafanaSettings } from './config';
import { GrafanaSource } from './GrafanaSource';

function source(grafana: JsonObject) {
  const logger = mockServices.logger.mock();
  const s = new GrafanaSource(
    readGrafanaSettings(new ConfigReader({ dash: { sources: { grafana } } })),
    logger,
  );
  return { s, logger };
}

const BASE = { baseUrl: 'http://127.0.0.1:1', token: 't' };
const ALLOW = {
  tags: ['payments-*', 'generated'],
  alertLabels: ['service=payments-*'],
};

const svc = (annotations: Record<string, string>) =>
  testComponent('svc', annotations);
const dashboards = (selector: string, instance?: string) =>
  svc({
    'grafana/dashboard-selector': selector,
    ...(instance ? { 'grafana/instance': instance } : {}),
  });

describe('GrafanaSource allow-list (allow.tags, allow.alertLabels)', () => {
  it.each([
    'payments-api',
    "tags @> 'payments-api'",
    "tags @> 'payments-api' && title == 'Overview'",
    "tags @> 'payments-api' || tags @> 'payments-slo'",
    "(tags @> 'payments-api' || tags @> 'payments-slo') && tags @> 'generated'",
  ])('allows the dashboard selector %p', selector => {
    const { s } = source({ ...BASE, allow: ALLOW });
    expect(s.accessProblem(dashboards(selector))).toBeUndefined();
  });

  it.each([
    [
      'secret-team',
      /asks for tag 'secret-team', not in dash\.sources\.grafana\.allow\.tags/,
    ],
    [
      "tags @> 'payments-api' || tags @> 'hr-salaries'",
      /asks for tag 'hr-salaries'/,
    ],
    [
      "title == 'Salaries'",
      /can match dashboards without a tag of dash\.sources\.grafana\.allow\.tags/,
    ],
    [
      "tags @> 'payments-api' || title == 'Salaries'",
      /can match dashboards without a tag/,
    ],
    ["!(tags @> 'payments-api')", /can match dashboards without a tag/],
  ])('refuses the dashboard selector %p', (selector, message) => {
    const { s } = source({ ...BASE, allow: ALLOW });
    expect(s.accessProblem(dashboards(selector))).toMatch(message);
  });

  it('checks every label of an alert label selector', () => {
    const { s } = source({ ...BASE, allow: ALLOW });
    const alerts = (value: string) =>
      svc({ 'grafana/alert-label-selector': value });
    expect(s.accessProblem(alerts('service=payments-api'))).toBeUndefined();
    expect(s.accessProblem(alerts('service=payments-api,team=hr'))).toMatch(
      /asks for 'team=hr', not in dash\.sources\.grafana\.allow\.alertLabels/,
    );
  });

  it('makes no call and offers no link for a refused entity', async () => {
    const { s } = source({ ...BASE, allow: ALLOW });
    const entity = svc({
      'grafana/dashboard-selector': 'hr-salaries',
      'grafana/alert-label-selector': 'team=hr',
    });
    const window = { from: new Date(0), to: new Date() };
    expect(s.getDeepLinks(entity, window)).toEqual([]);
    const context = createTestSourceContext({
      timeoutMs: 1000,
      logger: mockServices.logger.mock(),
    });
    await expect(s.getFiringAlerts(entity, context)).rejects.toMatchObject({
      status: 'not-allowed',
    });
    await expect(
      s.fetchEvents(
        { entity, entityRef: 'component:default/svc', ...window },
        context,
      ),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    expect(context.upstream.calls).toEqual([]);
    expect(
      s.getDeepLinks(dashboards('payments-api'), window).length,
    ).toBeGreaterThan(0);
  });

  it('gives instances the top-level lists unless they have their own, and fails closed on a bad list', () => {
    const { s } = source({
      ...BASE,
      allow: ALLOW,
      instances: {
        ops: { ...BASE, allow: { tags: ['ops-*'] } },
        other: BASE,
      },
    });
    expect(
      s.accessProblem(dashboards('payments-api', 'other')),
    ).toBeUndefined();
    expect(s.accessProblem(dashboards('payments-api', 'ops'))).toMatch(
      /not in dash\.sources\.grafana\.instances\.ops\.allow\.tags/,
    );
    expect(s.accessProblem(dashboards('ops-db', 'ops'))).toBeUndefined();

    const bad = source({ ...BASE, allow: { tags: 'payments-*' } });
    expect(bad.s.configurationProblem(dashboards('payments-api'))).toMatch(
      /dash\.sources\.grafana\.allow\.tags must be a list of strings/,
    );
  });

  it('warns once at startup, naming the missing keys, and trusts everything without lists', () => {
    const open = source(BASE);
    expect(
      open.s.accessProblem(dashboards("title == 'Salaries'")),
    ).toBeUndefined();
    expect(open.logger.warn).toHaveBeenCalledTimes(1);
    expect(open.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /no allow-list.*Set dash\.sources\.grafana\.allow\.tags and dash\.sources\.grafana\.allow\.alertLabels /,
      ),
    );
    const closed = source({ ...BASE, allow: ALLOW });
    expect(closed.logger.warn).not.toHaveBeenCalled();
  });
});
