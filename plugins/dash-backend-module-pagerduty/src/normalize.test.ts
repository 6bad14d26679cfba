import { ConfigReader } from '@backstage/config';
import { readPagerDutySettings } from './config';
import {
  changeEvent,
  handoffEvents,
  incidentEvent,
  incidentSeverity,
  logEntryEvent,
} from './normalize';
import { Incident, OnCall } from './schemas';

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const REF = 'component:default/x';

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'Q1',
  status: 'triggered',
  created_at: '2026-11-22T10:00:00Z',
  title: 'Checkout down',
  urgency: 'high',
  ...over,
});

describe('incidents', () => {
  it('takes severity from the priority, else the urgency', () => {
    expect(incidentSeverity(incident({ priority: { name: 'P1' } }))).toBe(
      'critical',
    );
    expect(incidentSeverity(incident({ priority: { name: 'P2' } }))).toBe(
      'error',
    );
    expect(incidentSeverity(incident({ priority: { name: 'SEV-3' } }))).toBe(
      'warning',
    );
    expect(incidentSeverity(incident({ priority: { name: 'P5' } }))).toBe(
      'info',
    );
    expect(incidentSeverity(incident({ priority: { name: 'Urgent' } }))).toBe(
      'critical',
    );
    expect(incidentSeverity(incident({ urgency: 'low' }))).toBe('warning');
  });

  it('ends resolved incidents, links to the UI when the API gave no link, drops script links', () => {
    const resolved = incidentEvent(
      incident({
        status: 'resolved',
        last_status_change_at: '2026-11-22T10:30:00Z',
        last_status_change_by: {
          id: 'PU1',
          type: 'user_reference',
          summary: 'Ana',
          html_url: SCRIPT_URL,
        },
      }),
      REF,
      'https://acme.pagerduty.com',
    )!;
    expect(resolved).toMatchObject({
      id: 'pagerduty:incident:Q1',
      endTime: '2026-11-22T10:30:00.000Z',
      url: 'https://acme.pagerduty.com/incidents/Q1',
      actor: { name: 'Ana' },
    });
    expect(resolved.actor?.url).toBeUndefined();
    const open = incidentEvent(incident(), REF, undefined)!;
    expect(open.endTime).toBeUndefined();
    expect(open.url).toBeUndefined();
    expect(
      incidentEvent(incident({ created_at: 'nope' }), REF, undefined),
    ).toBe(undefined);
  });

  it('carries the conference bridge link as chatUrl when it is http(s), and the number', () => {
    const linked = incidentEvent(
      incident({
        incident_number: 1001,
        conference_bridge: {
          conference_url: 'https://acme.slack.com/archives/C0PAY1001',
        },
      }),
      REF,
      undefined,
    )!;
    expect(linked.attributes).toMatchObject({
      incidentNumber: 1001,
      chatUrl: 'https://acme.slack.com/archives/C0PAY1001',
    });
    const phoneOnly = incidentEvent(
      incident({ conference_bridge: { conference_number: '+1 415-555-1212' } }),
      REF,
      undefined,
    )!;
    expect(phoneOnly.attributes.chatUrl).toBeUndefined();
    const script = incidentEvent(
      incident({ conference_bridge: { conference_url: SCRIPT_URL } }),
      REF,
      undefined,
    )!;
    expect(script.attributes.chatUrl).toBeUndefined();
  });
});

describe('log entries', () => {
  it('keeps the entries that tell the story, as annotations that are no change', () => {
    const base = {
      id: 'R1',
      created_at: '2026-11-22T10:05:00Z',
      incident: {
        id: 'Q1',
        summary: '[#42] Checkout down',
        html_url: 'https://acme.pagerduty.com/incidents/Q1',
      },
      agent: { id: 'PU1', type: 'user_reference', summary: 'Ana' },
    };
    expect(
      logEntryEvent({ ...base, type: 'notify_log_entry' }, REF, undefined),
    ).toBeUndefined();
    expect(
      logEntryEvent({ ...base, type: 'acknowledge_log_entry' }, REF, undefined),
    ).toMatchObject({
      id: 'pagerduty:log-entry:R1',
      kind: 'annotation',
      title: 'Acknowledged by Ana: Checkout down',
      url: 'https://acme.pagerduty.com/incidents/Q1',
      attributes: {
        logEntryType: 'acknowledge',
        incidentId: 'Q1',
        incidentNumber: 42,
        isChange: false,
      },
    });
    expect(
      logEntryEvent(
        {
          ...base,
          type: 'annotate_log_entry',
          channel: { type: 'note', summary: 'Rolled back' },
        },
        REF,
        undefined,
      ),
    ).toMatchObject({
      title: 'Note by Ana: Rolled back',
      attributes: { note: 'Rolled back' },
    });
  });
});

describe('change events', () => {
  const change = (custom_details: Record<string, unknown>, links: any[] = []) =>
    changeEvent(
      {
        id: 'C1',
        summary: 'Deployed',
        timestamp: '2026-11-22T09:00:00Z',
        custom_details,
        links,
      },
      REF,
      'https://acme.pagerduty.com',
      'PSVC',
    )!;

  it('reads the change type from the custom details, else other', () => {
    expect(change({ change_type: 'config' }).attributes.changeType).toBe(
      'config',
    );
    expect(change({ type: 'Feature Flag' }).attributes.changeType).toBe(
      'feature-flag',
    );
    expect(change({ type: 'explosion' }).attributes.changeType).toBe('other');
    const rollback = change({ rollback: 'true', environment: 'prod' });
    expect(rollback.attributes).toMatchObject({
      changeType: 'other',
      rollback: true,
      environment: 'prod',
    });
  });

  it('links to the first http(s) link, else the service activity page', () => {
    expect(
      change({}, [
        { href: SCRIPT_URL, text: 'bad' },
        { href: 'https://ci.example/run/1', text: 'Run' },
      ]),
    ).toMatchObject({
      url: 'https://ci.example/run/1',
      attributes: {
        links: [{ href: 'https://ci.example/run/1', text: 'Run' }],
      },
    });
    expect(change({}).url).toBe(
      'https://acme.pagerduty.com/service-directory/PSVC/activity',
    );
  });
});

describe('on-call hand-offs', () => {
  const shift = (
    user: string,
    start: string,
    end: string,
    level = 1,
  ): OnCall => ({
    escalation_level: level,
    escalation_policy: { id: 'EP1', summary: 'Payments' },
    schedule: { id: 'S1', summary: 'Payments primary' },
    user: { id: user, summary: user },
    start,
    end,
  });

  it('makes one event per level-1 shift that starts inside the window, naming who handed over', () => {
    const events = handoffEvents(
      [
        shift('ana', '2026-11-16T09:00:00Z', '2026-11-23T09:00:00Z'),
        shift('bo', '2026-11-23T09:00:00Z', '2026-11-30T09:00:00Z'),
        shift('cy', '2026-11-23T09:00:00Z', '2026-11-30T09:00:00Z', 2),
      ],
      REF,
      {
        from: new Date('2026-11-16T09:00:00Z'),
        to: new Date('2026-11-24T00:00:00Z'),
      },
      'https://acme.pagerduty.com',
    );
    // Ana's shift starts exactly at `from` (PagerDuty may have clipped it): no hand-off.
    expect(events).toEqual([
      expect.objectContaining({
        id: `pagerduty:oncall:EP1:S1:${
          Date.parse('2026-11-23T09:00:00Z') / 1000
        }`,
        kind: 'on-call-handoff',
        title: 'bo takes over on call from ana (Payments primary)',
        startTime: '2026-11-23T09:00:00.000Z',
        url: 'https://acme.pagerduty.com/schedules/S1',
        attributes: expect.objectContaining({
          previousUser: 'ana',
          escalationLevel: 1,
        }),
      }),
    ]);
  });
});

describe('settings', () => {
  it('derives the pdjs 429 wait from the guard timeout and caps a configured one', () => {
    const read = (data: object) =>
      readPagerDutySettings(new ConfigReader(data)).retryTimeoutMs;
    expect(read({})).toBe(1000);
    expect(read({ dash: { guard: { timeoutMs: 2000 } } })).toBe(200);
    expect(
      read({
        dash: {
          sources: {
            pagerduty: { retryTimeoutMs: 20_000, guard: { timeoutMs: 4000 } },
          },
        },
      }),
    ).toBe(1000);
  });

  it('never throws on bad values; it records what is wrong per account', () => {
    const settings = readPagerDutySettings(
      new ConfigReader({
        dash: {
          sources: {
            pagerduty: {
              token: 't',
              apiBaseUrl: 'not a url',
              accounts: { 'bad name': { token: 'x' }, ok: { token: 'y' } },
            },
          },
        },
      }),
    );
    expect(settings.problems.get('default')).toBe(
      "dash.sources.pagerduty.apiBaseUrl is not a URL: 'not a url'",
    );
    expect(settings.problems.get('bad name')).toMatch(/account names/);
    expect(settings.accounts.get('ok')?.apiBaseUrl).toBe(
      'https://api.pagerduty.com',
    );
  });
});
