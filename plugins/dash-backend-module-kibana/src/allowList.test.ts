import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  createTestSourceContext,
  testComponent,
} from '@dash-suite/plugin-dash-node/testUtils';
import { KibanaSource } from './KibanaSource';

function source(kibana: JsonObject) {
  const logger = mockServices.logger.mock();
  const s = KibanaSource.fromConfig(
    new ConfigReader({ dash: { sources: { kibana } } }),
    { logger },
  );
  return { s, logger };
}

const BASE = {
  elasticsearch: { node: 'http://127.0.0.1:1', apiKey: 'k' },
  kibana: { baseUrl: 'http://127.0.0.1:2' },
};

const logs = (pattern: string) =>
  testComponent('svc', { 'kibana/index-pattern': pattern });

describe('KibanaSource allow-list (dash.sources.kibana.allow.indexPatterns)', () => {
  it('allows index patterns inside the list and refuses the rest', async () => {
    const { s, logger } = source({
      ...BASE,
      allow: { indexPatterns: ['logs-*', 'audit-payments'] },
    });
    for (const p of ['logs-payments-*', 'logs-cart', 'audit-payments']) {
      expect({ p, problem: s.accessProblem(logs(p)) }).toEqual({
        p,
        problem: undefined,
      });
    }
    for (const p of ['hr-salaries', 'audit-payments*', 'remote:logs-x']) {
      expect(s.accessProblem(logs(p))).toBe(
        `Index pattern ${p} is not in dash.sources.kibana.allow.indexPatterns, the indices DASH may search`,
      );
    }
    expect(logger.warn).not.toHaveBeenCalled();
    await s.close();
  });

  it('makes no call and offers no link for a refused index pattern', async () => {
    const { s } = source({ ...BASE, allow: { indexPatterns: ['logs-*'] } });
    const window = { from: new Date(Date.now() - 3600_000), to: new Date() };
    expect(s.getDeepLinks(logs('hr-salaries'), window)).toEqual([]);
    expect(s.getDeepLinks(logs('logs-cart'), window)).toHaveLength(1);
    const context = createTestSourceContext({
      timeoutMs: 1000,
      logger: mockServices.logger.mock(),
    });
    await expect(
      s.fetchEvents(
        {
          entity: logs('hr-salaries'),
          entityRef: 'component:default/svc',
          ...window,
        },
        context,
      ),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    await expect(
      s.getFiringAlerts(logs('hr-salaries'), context),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    expect(context.upstream.calls).toEqual([]);
    await s.close();
  });

  it('warns at startup without a list, naming the key, and trusts every pattern', async () => {
    const { s, logger } = source(BASE);
    expect(s.accessProblem(logs('hr-salaries'))).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /no allow-list: every entity's kibana\/index-pattern annotation is trusted .*Set dash\.sources\.kibana\.allow\.indexPatterns /,
      ),
    );
    await s.close();
  });

  it('degrades to not-configured on a list that is not a list of strings', async () => {
    const { s } = source({ ...BASE, allow: { indexPatterns: 'logs-*' } });
    expect(s.configurationProblem(logs('logs-cart'))).toMatch(
      /dash\.sources\.kibana\.allow\.indexPatterns must be a list of strings/,
    );
    await s.close();
  });
});
