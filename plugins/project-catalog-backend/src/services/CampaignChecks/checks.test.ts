import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DashApi, DashSourceState } from '@dash-suite/plugin-dash-common';
import {
  CampaignCheckContext,
  CampaignCheckDegradedError,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { CampaignCheckRegistry } from './CheckRegistry';
import { RateBudget } from './RateBudget';
import { dashFactCheck } from './dashFact';
import { entityFieldCheck } from './entityField';
import { manualCheck } from './manual';

const REF = 'component:default/payments-api';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    labels: { tier: '1' },
    tags: ['go', 'pci'],
    annotations: { 'pagerduty.com/service-id': 'PPAYAPI' },
  },
  spec: { type: 'service', lifecycle: 'production' },
};

function run<T>(
  type: CampaignCheckType<T>,
  config: unknown,
  extra: Partial<CampaignCheckContext<T>> = {},
) {
  return type.evaluate({
    entity,
    entityRef: REF,
    config: type.configSchema.parse(config),
    campaign: {
      id: 'c',
      title: 'C',
      startsAt: new Date(0),
      deadline: new Date(1),
    },
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
    ...extra,
  });
}

describe('entity-field', () => {
  it('reads annotations, labels and field paths, and matches lists element by element', async () => {
    await expect(
      run(entityFieldCheck, { annotation: 'pagerduty.com/service-id' }),
    ).resolves.toEqual({
      status: 'done',
      detail: 'annotation pagerduty.com/service-id is PPAYAPI',
    });
    await expect(
      run(entityFieldCheck, { label: 'tier', matches: '^[12]$' }),
    ).resolves.toMatchObject({ status: 'done' });
    await expect(
      run(entityFieldCheck, {
        field: 'spec.lifecycle',
        matches: '^deprecated$',
      }),
    ).resolves.toEqual({
      status: 'failing',
      detail:
        'spec.lifecycle is production, which does not match /^deprecated$/',
    });
    await expect(
      run(entityFieldCheck, { field: 'metadata.tags', matches: '^pci$' }),
    ).resolves.toMatchObject({ status: 'done' });
    await expect(
      run(entityFieldCheck, { field: 'spec.system' }),
    ).resolves.toEqual({
      status: 'failing',
      detail: 'spec.system is not set',
    });
    expect(
      entityFieldCheck.configSchema.safeParse({ field: 'status.items' })
        .success,
    ).toBe(false);
  });
});

describe('manual', () => {
  it("answers the owners' status, or waits for one", async () => {
    await expect(run(manualCheck, {})).resolves.toMatchObject({
      status: 'pending',
    });
    await expect(
      run(
        manualCheck,
        {},
        {
          manual: {
            status: 'done',
            note: 'Migrated in PR #42',
            by: 'user:default/a',
            at: new Date(),
          },
        },
      ),
    ).resolves.toEqual({ status: 'done', detail: 'Migrated in PR #42' });
  });
});

describe('dash-fact', () => {
  const state = (
    id: string,
    status: DashSourceState['status'],
    message?: string,
  ): DashSourceState => ({
    id,
    title: id === 'github' ? 'GitHub' : 'PagerDuty',
    entityRef: REF,
    status,
    ...(message ? { message } : {}),
  });
  const dash = (partial: Partial<DashApi>) => dashFactCheck(partial as DashApi);

  it('deployedWithinDays: done with the last deploy, failing without, degraded when the source could not look', async () => {
    const deploy = (startTime: string, environment: string) => ({
      id: startTime,
      source: 'github',
      kind: 'deploy' as const,
      title: `Deploy to ${environment}`,
      severity: 'info' as const,
      startTime,
      entityRef: REF,
      attributes: { environment },
    });
    let deploys = [
      deploy('2026-11-20T10:00:00Z', 'staging'),
      deploy('2026-11-18T10:00:00Z', 'production'),
    ];
    let sources = [state('github', 'ok')];
    const check = dash({
      getDeploys: async q => ({
        entityRef: q.entityRef,
        from: '',
        to: '',
        deploys,
        sources,
      }),
    });
    await expect(
      run(check, {
        fact: 'deployedWithinDays',
        days: 30,
        environment: 'production',
      }),
    ).resolves.toEqual({
      status: 'done',
      detail:
        'Last deploy to production 2026-11-18T10:00:00Z (Deploy to production)',
    });
    deploys = [];
    await expect(
      run(check, { fact: 'deployedWithinDays', days: 30 }),
    ).resolves.toEqual({
      status: 'failing',
      detail: 'No deploy in the last 30 days',
    });
    sources = [
      state('github', 'rate-limited', 'GitHub rate limit; next call in 60 s'),
    ];
    await expect(
      run(check, { fact: 'deployedWithinDays', days: 30 }),
    ).rejects.toMatchObject({
      name: 'CampaignCheckDegradedError',
      reason: 'rate-limited',
      message: 'DASH GitHub: GitHub rate limit; next call in 60 s',
    });
    expect(
      check.configSchema.safeParse({ fact: 'deployedWithinDays', days: 0 })
        .success,
    ).toBe(false);
  });

  it('hasPagerDutyService: the annotation, confirmed by the PagerDuty source of DASH', async () => {
    let sources = [state('pagerduty', 'ok')];
    const check = dash({
      getOnCall: async ref => ({
        entityRef: ref,
        onCall: [
          {
            source: 'pagerduty',
            entityRef: ref,
            escalationLevel: 1,
            user: { name: 'Amara Okafor' },
          },
        ],
        sources,
      }),
    });
    await expect(run(check, { fact: 'hasPagerDutyService' })).resolves.toEqual({
      status: 'done',
      detail: 'PagerDuty service PPAYAPI, on call now: Amara Okafor',
    });
    sources = [state('pagerduty', 'not-configured', 'No such service')];
    await expect(run(check, { fact: 'hasPagerDutyService' })).resolves.toEqual({
      status: 'failing',
      detail: 'PagerDuty service PPAYAPI: No such service',
    });
    // A service outside DASH's allow-list is not confirmed either.
    sources = [
      state(
        'pagerduty',
        'not-allowed',
        'PagerDuty service PPAYAPI is not in dash.sources.pagerduty.allow.services',
      ),
    ];
    await expect(run(check, { fact: 'hasPagerDutyService' })).resolves.toEqual({
      status: 'failing',
      detail:
        'PagerDuty service PPAYAPI: PagerDuty service PPAYAPI is not in dash.sources.pagerduty.allow.services',
    });
    sources = [
      state('pagerduty', 'unauthorized', 'PagerDuty refused the token'),
    ];
    await expect(
      run(check, { fact: 'hasPagerDutyService' }),
    ).rejects.toMatchObject({ reason: 'unauthorized' });
    await expect(
      run(
        check,
        { fact: 'hasPagerDutyService' },
        { entity: { ...entity, metadata: { name: 'x' } } },
      ),
    ).resolves.toEqual({
      status: 'failing',
      detail: 'No pagerduty.com/service-id annotation',
    });
  });

  it('turns failed calls to the DASH backend into degraded answers', async () => {
    const failing = (status: number) =>
      dash({
        getOnCall: async () => {
          throw await ResponseError.fromResponse(
            new Response('{}', { status, statusText: 'x' }) as any,
          );
        },
      });
    await expect(
      run(failing(401), { fact: 'hasPagerDutyService' }),
    ).rejects.toMatchObject({ reason: 'unauthorized' });
    await expect(
      run(failing(503), { fact: 'hasPagerDutyService' }),
    ).rejects.toMatchObject({ reason: 'unavailable' });
    const down = dash({
      getOnCall: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(
      run(down, { fact: 'hasPagerDutyService' }),
    ).rejects.toBeInstanceOf(CampaignCheckDegradedError);
  });
});

describe('CampaignCheckRegistry', () => {
  it('refuses bad and taken ids, and names the bad setting of a check', () => {
    const registry = new CampaignCheckRegistry();
    registry.add(entityFieldCheck);
    expect(() => registry.add(entityFieldCheck)).toThrow(/already registered/);
    expect(() => registry.add({ ...manualCheck, id: 'Manual Check' })).toThrow(
      /lower-case/,
    );
    expect(() => registry.parse({ type: 'nope', config: {} })).toThrow(
      "check.type: unknown check type 'nope'; known types are entity-field",
    );
    expect(() =>
      registry.parse({ type: 'entity-field', config: { annotation: 7 } }),
    ).toThrow(/^check\.config\.annotation: /);
  });
});

describe('RateBudget', () => {
  it('spends a burst, then waits its turn, and refuses when the wait is too long or the upstream is nearly spent', async () => {
    let now = 0;
    const waits: number[] = [];
    const budget = new RateBudget('GitHub', {
      perMinute: 60,
      reserve: 10,
      maxWaitMs: 1500,
      clock: () => now,
      sleep: async ms => {
        waits.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 6; i++) await budget.take();
    expect(waits).toEqual([]);
    await budget.take();
    expect(waits).toEqual([1000]);
    budget.observe(10, now + 60_000);
    await expect(budget.take()).rejects.toMatchObject({
      reason: 'rate-limited',
      message: expect.stringMatching(/has 10 requests left/),
    });
    budget.observe(4000, now + 60_000);
    budget.pause(now + 30_000);
    await expect(budget.take()).rejects.toMatchObject({
      reason: 'rate-limited',
      retryAfterMs: 30_000,
    });
  });
});
