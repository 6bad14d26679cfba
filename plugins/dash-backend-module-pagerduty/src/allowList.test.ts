import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  createTestCaller,
  testComponent,
} from '@dash-suite/plugin-dash-node/testUtils';
import { readPagerDutySettings } from './config';
import { PagerDutySource } from './PagerDutySource';

/** The test guard with a mock logger whose calls the tests assert. */
const testCaller = (timeoutMs = 3000) =>
  createTestCaller({ timeoutMs, logger: mockServices.logger.mock() });

function source(pagerduty: JsonObject) {
  const logger = mockServices.logger.mock();
  const s = new PagerDutySource(
    readPagerDutySettings(
      new ConfigReader({ dash: { sources: { pagerduty } } }),
    ),
    logger,
  );
  return { s, logger };
}

const service = (id: string, account?: string) =>
  testComponent('svc', {
    'pagerduty.com/service-id': id,
    ...(account ? { 'pagerduty.com/account': account } : {}),
  });

const BASE = {
  apiBaseUrl: 'http://127.0.0.1:1',
  token: 't',
  uiBaseUrl: 'https://acme.pagerduty.com',
};

describe('PagerDutySource allow-list (allow.services)', () => {
  it('allows listed service ids and patterns, case-insensitively, and refuses the rest', () => {
    const { s, logger } = source({
      ...BASE,
      allow: { services: ['PCART01', 'PPAY*'] },
    });
    expect(s.accessProblem(service('PCART01'))).toBeUndefined();
    expect(s.accessProblem(service('pcart01'))).toBeUndefined();
    expect(s.accessProblem(service('PPAYMENTS'))).toBeUndefined();
    expect(s.accessProblem(service('PSECRET'))).toBe(
      'PagerDuty service PSECRET is not in dash.sources.pagerduty.allow.services, the services DASH may read',
    );
    expect(s.accessProblem(service('XPCART01'))).toBeDefined();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('makes no call and offers no link for a refused service', async () => {
    const { s } = source({ ...BASE, allow: { services: ['PCART01'] } });
    expect(s.getDeepLinks(service('PSECRET'))).toEqual([]);
    expect(s.getDeepLinks(service('PCART01'))).toHaveLength(1);
    const { context, names } = testCaller();
    await expect(
      s.getOnCall(service('PSECRET'), context),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    await expect(
      s.fetchEvents(
        {
          entity: service('PSECRET'),
          entityRef: 'component:default/svc',
          from: new Date(Date.now() - 3600_000),
          to: new Date(),
        },
        context,
      ),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    expect(names).toEqual([]);
  });

  it('gives named accounts the top-level list unless they have their own', () => {
    const { s } = source({
      ...BASE,
      allow: { services: ['PTOP'] },
      accounts: {
        eu: { token: 'e' },
        us: { token: 'u', allow: { services: ['PUS*'] } },
      },
    });
    expect(s.accessProblem(service('PTOP', 'eu'))).toBeUndefined();
    expect(s.accessProblem(service('POTHER', 'eu'))).toMatch(
      /not in dash\.sources\.pagerduty\.allow\.services/,
    );
    expect(s.accessProblem(service('PUS1', 'us'))).toBeUndefined();
    expect(s.accessProblem(service('PTOP', 'us'))).toMatch(
      /not in dash\.sources\.pagerduty\.accounts\.us\.allow\.services/,
    );
  });

  it('warns once at startup when an account has no list, naming the key', () => {
    const { s, logger } = source({
      ...BASE,
      accounts: { us: { token: 'u', allow: { services: ['PUS*'] } } },
    });
    expect(s.accessProblem(service('PANYTHING'))).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /no allow-list: every entity's pagerduty\.com\/service-id annotation is trusted .*Set dash\.sources\.pagerduty\.allow\.services /,
      ),
    );
  });

  it('keeps accounts closed when the top-level list is malformed', () => {
    const { s } = source({
      ...BASE,
      allow: { services: 'PTOP' },
      accounts: { eu: { token: 'e' } },
    });
    expect(s.configurationProblem(service('PTOP'))).toMatch(
      /dash\.sources\.pagerduty\.allow\.services must be a list of strings/,
    );
    expect(s.configurationProblem(service('PTOP', 'eu'))).toMatch(
      /must be a list of strings/,
    );
  });
});
