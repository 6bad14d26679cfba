import { readGrafanaSettings } from './config';
import { ConfigReader } from '@backstage/config';
import {
  alertEpisodes,
  annotationEvent,
  firingAlertEvent,
  severityOf,
} from './normalize';
import { AlertRule, Annotation } from './schemas';

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const REF = 'component:default/x';
const UI = 'https://grafana.acme.example';
const T = Date.parse('2026-11-22T10:00:00Z');
const MIN = 60_000;

const rule: AlertRule = {
  uid: 'r1',
  title: 'HighErrorRate',
  labels: { service: 'x', severity: 'critical' },
  annotations: { summary: 'Errors', runbook_url: SCRIPT_URL },
};
const state = (
  id: number,
  time: number,
  prevState: string,
  newState: string,
  labels = '',
): Annotation => ({
  id,
  time,
  prevState,
  newState,
  alertId: 7,
  text: `HighErrorRate ${labels ? `{${labels}} ` : ''}- B=1`,
});

describe('alert episodes', () => {
  it('opens on Alerting, closes on Normal, one episode per instance', () => {
    const { events, open } = alertEpisodes(
      rule,
      [
        state(1, T, 'Normal', 'Pending', 'pod=a'),
        state(2, T + MIN, 'Pending', 'Alerting', 'pod=a'),
        state(3, T + 2 * MIN, 'Normal', 'Alerting', 'pod=b'),
        state(4, T + 10 * MIN, 'Alerting', 'Normal', 'pod=a'),
        state(5, T + 20 * MIN, 'Normal', 'Alerting', 'pod=a'),
      ],
      REF,
      UI,
      [],
    );
    const byStart = events.sort((a, b) =>
      a.startTime.localeCompare(b.startTime),
    );
    expect(
      byStart.map(e => [e.title, e.status, e.startTime, e.endTime]),
    ).toEqual([
      [
        'HighErrorRate (pod=a)',
        'resolved',
        new Date(T + MIN).toISOString(),
        new Date(T + 10 * MIN).toISOString(),
      ],
      [
        'HighErrorRate (pod=b)',
        'firing',
        new Date(T + 2 * MIN).toISOString(),
        undefined,
      ],
      [
        'HighErrorRate (pod=a)',
        'firing',
        new Date(T + 20 * MIN).toISOString(),
        undefined,
      ],
    ]);
    expect(byStart[0]).toMatchObject({
      id: expect.stringMatching(/^grafana:alert:r1:[0-9a-f]{10}:2$/),
      severity: 'critical',
      url: `${UI}/alerting/grafana/r1/view`,
      attributes: expect.objectContaining({
        pendingAt: new Date(T).toISOString(),
        instance: 'pod=a',
        summary: 'Errors',
      }),
    });
    expect(byStart[0].attributes.runbookUrl).toBeUndefined();
    expect(open.map(o => [o.key, o.id])).toEqual([
      ['pod=a', 5],
      ['pod=b', 3],
    ]);
  });

  it('pairs a resolve with the start remembered in the cursor, keeping its id', () => {
    const first = alertEpisodes(
      rule,
      [state(9, T, 'Pending', 'Alerting')],
      REF,
      UI,
      [],
    );
    expect(first.events[0]).toMatchObject({
      id: 'grafana:alert:r1:9',
      status: 'firing',
    });
    // Later the start is outside the read range: only the resolve comes back.
    const later = alertEpisodes(
      rule,
      [state(12, T + 3 * 3600_000, 'Alerting', 'Normal')],
      REF,
      UI,
      first.open,
    );
    expect(later.events).toEqual([
      expect.objectContaining({
        id: 'grafana:alert:r1:9',
        status: 'resolved',
        startTime: new Date(T).toISOString(),
        endTime: new Date(T + 3 * 3600_000).toISOString(),
      }),
    ]);
    expect(later.open).toEqual([]);
    // The start read again (overlap) is not a second episode.
    const overlap = alertEpisodes(
      rule,
      [state(9, T, 'Pending', 'Alerting')],
      REF,
      UI,
      first.open,
    );
    expect(overlap.events.map(e => e.id)).toEqual(['grafana:alert:r1:9']);
  });

  it('maps severities from labels', () => {
    expect(severityOf({ severity: 'Critical' })).toBe('critical');
    expect(severityOf({ severity: 'high' })).toBe('error');
    expect(severityOf({ severity: 'warning' })).toBe('warning');
    expect(severityOf({ priority: 'P4' })).toBe('info');
    expect(severityOf({})).toBe('warning');
  });
});

describe('annotations and firing alerts', () => {
  it('strips markup, takes the environment from tags, and links the dashboard', () => {
    const e = annotationEvent(
      {
        id: 5,
        time: T,
        timeEnd: T,
        text: '<b>Flag</b> checkout-v2 on',
        tags: ['feature-flag', 'env:staging'],
        dashboardUID: 'dash 1',
        login: 'ana',
      },
      REF,
      UI,
      'fallback',
    );
    expect(e).toMatchObject({
      id: 'grafana:annotation:5',
      title: 'Flag checkout-v2 on',
      actor: { name: 'ana' },
      url: `${UI}/d/dash%201?from=${T - 30 * MIN}&to=${T + 30 * MIN}`,
      attributes: { isChange: false, environment: 'staging' },
    });
    expect(e.endTime).toBeUndefined();
  });

  it('takes the rule uid of a firing alert from its generator URL', () => {
    expect(
      firingAlertEvent(
        {
          fingerprint: 'f1',
          labels: {
            alertname: 'Down',
            severity: 'error',
            __alert_rule_namespace_uid__: 'x',
          },
          startsAt: '2026-11-22T10:00:00Z',
          generatorURL:
            'https://grafana.internal/alerting/grafana/abc/view?orgId=1',
        },
        REF,
        UI,
      ),
    ).toMatchObject({
      id: 'grafana:firing:f1',
      title: 'Down',
      severity: 'error',
      status: 'firing',
      url: `${UI}/alerting/grafana/abc/view`,
      attributes: {
        labels: { alertname: 'Down', severity: 'error' },
        ruleUid: 'abc',
      },
    });
  });
});

describe('settings', () => {
  it('reads the shorthand and instances, never throwing', () => {
    const s = readGrafanaSettings(
      new ConfigReader({
        dash: {
          sources: {
            grafana: {
              baseUrl: 'https://g.example/',
              token: 't',
              instances: {
                eu: {
                  baseUrl: 'https://eu.example',
                  token: 'u',
                  uiBaseUrl: 'https://eu-ui.example',
                },
                bad: { baseUrl: 'file:///etc/passwd', token: 'x' },
              },
            },
          },
        },
      }),
    );
    expect(s.instances.get('default')).toMatchObject({
      baseUrl: 'https://g.example',
      uiBaseUrl: 'https://g.example',
    });
    expect(s.instances.get('eu')?.uiBaseUrl).toBe('https://eu-ui.example');
    expect(s.problems.get('bad')).toBe(
      'dash.sources.grafana.instances.bad.baseUrl must be an http or https URL',
    );
  });
});
