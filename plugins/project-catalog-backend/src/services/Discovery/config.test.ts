import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULE, readDiscoverySettings } from './config';

const read = (data: object) =>
  readDiscoverySettings(new ConfigReader(data as any));

describe('readDiscoverySettings', () => {
  it('has defaults: on, every 6 hours, nothing to scan', () => {
    const s = read({});
    expect(s).toMatchObject({
      enabled: true,
      schedule: DEFAULT_SCHEDULE,
      timeoutMs: 10_000,
      github: { organizations: [], from: 'none' },
      pagerduty: {
        problem: expect.stringContaining(
          'projectCatalog.discovery.pagerduty.token',
        ),
      },
    });
  });

  it('reads organisations on github.com and on other hosts', () => {
    const s = read({
      projectCatalog: {
        discovery: {
          github: { organizations: ['acme', 'ghe.example.com/platform'] },
        },
      },
    });
    expect(s.github).toEqual({
      organizations: [
        { host: 'github.com', org: 'acme' },
        { host: 'ghe.example.com', org: 'platform' },
      ],
      from: 'config',
    });
    expect(
      read({
        projectCatalog: { discovery: { github: { organizations: ['a b'] } } },
      }).github.problem,
    ).toMatch(/projectCatalog\.discovery\.github\.organizations entries/);
  });

  it('defaults to the organisations the GitHub Apps may be installed in', () => {
    const s = read({
      integrations: {
        github: [
          {
            host: 'github.com',
            apps: [
              {
                appId: 1,
                clientId: 'c',
                clientSecret: 's',
                webhookSecret: 'w',
                privateKey: 'k',
                allowedInstallationOwners: ['acme', 'acme-labs'],
              },
            ],
          },
        ],
      },
    });
    expect(s.github).toEqual({
      organizations: [
        { host: 'github.com', org: 'acme' },
        { host: 'github.com', org: 'acme-labs' },
      ],
      from: 'apps',
    });
  });

  it("falls back to the DASH PagerDuty source's account, key by key", () => {
    const dash = {
      dash: {
        sources: {
          pagerduty: {
            apiBaseUrl: 'http://127.0.0.1:7101/',
            token: 'dash-token',
          },
        },
      },
    };
    expect(read(dash).pagerduty.account).toEqual({
      apiBaseUrl: 'http://127.0.0.1:7101',
      token: 'dash-token',
    });
    expect(
      read({
        ...dash,
        projectCatalog: { discovery: { pagerduty: { token: 'own' } } },
      }).pagerduty.account,
    ).toMatchObject({ token: 'own', apiBaseUrl: 'http://127.0.0.1:7101' });
    expect(
      read({
        ...dash,
        projectCatalog: { discovery: { pagerduty: { enabled: false } } },
      }).pagerduty,
    ).toEqual({ problem: expect.stringContaining('pagerduty.enabled') });
    expect(
      read({
        projectCatalog: {
          discovery: { pagerduty: { token: 't', apiBaseUrl: 'ftp://x' } },
        },
      }).pagerduty.problem,
    ).toMatch(
      /projectCatalog\.discovery\.pagerduty\.apiBaseUrl must be an http\(s\) URL/,
    );
  });

  it('refuses a timeout out of range, naming the key', () => {
    expect(() =>
      read({ projectCatalog: { discovery: { timeoutMs: 5 } } }),
    ).toThrow(/projectCatalog\.discovery\.timeoutMs/);
  });
});
