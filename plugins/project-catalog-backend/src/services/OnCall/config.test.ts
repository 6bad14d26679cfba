import { ConfigReader } from '@backstage/config';
import { readOnCallSettings } from './config';

describe('readOnCallSettings', () => {
  it("defaults to PagerDuty's own Events API and has no account without a token", () => {
    expect(readOnCallSettings(new ConfigReader({}))).toEqual({
      eventsBaseUrl: 'https://events.pagerduty.com',
      account: undefined,
      tokenKey:
        'projectCatalog.onCall.pagerduty.token (or dash.sources.pagerduty.token)',
      timeoutMs: 10_000,
      appBaseUrl: undefined,
    });
  });

  it("falls back to the DASH PagerDuty source's account", () => {
    const settings = readOnCallSettings(
      new ConfigReader({
        app: { baseUrl: 'http://localhost:3000' },
        dash: {
          sources: {
            pagerduty: {
              apiBaseUrl: 'http://127.0.0.1:7101/',
              token: 'dash-token',
              uiBaseUrl: 'https://acme.pagerduty.com',
            },
          },
        },
        projectCatalog: { onCall: { eventsBaseUrl: 'http://127.0.0.1:7101' } },
      }),
    );
    expect(settings.account).toEqual({
      token: 'dash-token',
      apiBaseUrl: 'http://127.0.0.1:7101',
      uiBaseUrl: 'https://acme.pagerduty.com',
    });
    expect(settings.eventsBaseUrl).toBe('http://127.0.0.1:7101');
    expect(settings.appBaseUrl).toBe('http://localhost:3000');
  });

  it('prefers its own account', () => {
    const settings = readOnCallSettings(
      new ConfigReader({
        dash: { sources: { pagerduty: { token: 'dash-token' } } },
        projectCatalog: {
          onCall: {
            pagerduty: { token: 'own', apiBaseUrl: 'https://pd.example' },
          },
        },
      }),
    );
    expect(settings.account).toMatchObject({
      token: 'own',
      apiBaseUrl: 'https://pd.example',
    });
  });

  it.each([
    [{ eventsBaseUrl: 'ftp://x' }, 'projectCatalog.onCall.eventsBaseUrl'],
    [{ eventsBaseUrl: 'not a url' }, 'projectCatalog.onCall.eventsBaseUrl'],
    [{ timeoutMs: 5 }, 'projectCatalog.onCall.timeoutMs'],
    [
      { pagerduty: { apiBaseUrl: 'file:///etc/passwd' } },
      'projectCatalog.onCall.pagerduty.apiBaseUrl',
    ],
  ])('names the key of a wrong value: %j', (onCall, key) => {
    expect(() =>
      readOnCallSettings(new ConfigReader({ projectCatalog: { onCall } })),
    ).toThrow(key);
  });
});
