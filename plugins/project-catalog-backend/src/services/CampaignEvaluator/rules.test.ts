import { Entity } from '@backstage/catalog-model';
import { emptyCampaignCounts } from '@dash-suite/plugin-project-catalog-common';
import { burnUpPoints } from '../CampaignService/burnUp';
import { StoredStatus } from '../CampaignStore/types';
import { matchesScope, normalizeScope, scopeFilter } from './scope';
import { isRegression, resolveStatus, withResolvedStatus } from './statusRules';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-storefront', tags: ['TypeScript', 'react'] },
  spec: {
    type: 'website',
    lifecycle: 'production',
    owner: 'team-storefront',
    system: 'storefront',
  },
};

describe('scope', () => {
  it('matches keys with AND and values with OR, refs normalized, without case', () => {
    expect(
      matchesScope(entity, {
        kind: ['component'],
        tags: ['typescript', 'javascript'],
      }),
    ).toBe(true);
    expect(
      matchesScope(entity, { kind: ['component'], type: ['service'] }),
    ).toBe(false);
    expect(
      matchesScope(entity, {
        owner: ['group:default/team-storefront'],
        system: ['storefront'],
      }),
    ).toBe(true);
    expect(matchesScope(entity, { owner: ['team-payments'] })).toBe(false);
    // Relations win over spec fields (they are what the catalog resolved).
    const related = {
      ...entity,
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-web' }],
    };
    expect(matchesScope(related, { owner: ['team-web'] })).toBe(true);
    expect(matchesScope(related, { owner: ['team-storefront'] })).toBe(false);
  });

  it('narrows in the catalog with the same scope', () => {
    expect(
      normalizeScope({ kind: ['Component'], owner: ['team-sre'], tags: [] }),
    ).toEqual({
      kind: ['component'],
      owner: ['group:default/team-sre'],
    });
    expect(
      scopeFilter({
        type: ['service'],
        owner: ['team-sre'],
        system: ['payments'],
      }),
    ).toEqual({
      'spec.type': ['service'],
      'relations.ownedBy': ['group:default/team-sre'],
      'relations.partOf': ['system:default/payments'],
    });
  });
});

describe('status rules', () => {
  const base = { campaignId: 'c', entityRef: 'component:default/a' };
  it('puts exemptions first, then errors, done, the owners note, the check, pending', () => {
    const manual = {
      status: 'in-progress' as const,
      note: 'PR #3',
      by: 'u',
      atMs: 1,
    };
    expect(resolveStatus({})).toEqual({
      status: 'pending',
      detail: 'Not evaluated yet',
    });
    expect(
      resolveStatus({ checkStatus: 'failing', checkDetail: 'no file', manual }),
    ).toEqual({ status: 'in-progress', detail: 'PR #3' });
    expect(
      resolveStatus({ checkStatus: 'done', checkDetail: 'ok', manual }),
    ).toEqual({ status: 'done', detail: 'ok' });
    expect(
      resolveStatus({ checkStatus: 'error', checkDetail: 'boom', manual }),
    ).toEqual({ status: 'error', detail: 'boom' });
    expect(
      resolveStatus({
        checkStatus: 'error',
        exemption: { reason: 'retired', by: 'u', atMs: 1 },
      }),
    ).toEqual({
      status: 'exempt',
      detail: 'retired',
    });
  });

  it('keeps when a status changed and since when it is done; a lost done is a regression', () => {
    const done = withResolvedStatus(
      undefined,
      { ...base, checkStatus: 'done' },
      100,
    );
    expect(done).toMatchObject({
      status: 'done',
      changedMs: 100,
      doneSinceMs: 100,
    });
    const still = withResolvedStatus(
      done,
      { ...base, checkStatus: 'done' },
      200,
    );
    expect(still).toMatchObject({ changedMs: 100, doneSinceMs: 100 });
    const lost = withResolvedStatus(
      still,
      { ...base, checkStatus: 'failing' },
      300,
    );
    expect(lost).toMatchObject({ status: 'failing', changedMs: 300 });
    expect(lost.doneSinceMs).toBeUndefined();
    expect(isRegression(still, lost)).toBe(true);
    const broken: StoredStatus = withResolvedStatus(
      still,
      { ...base, checkStatus: 'error' },
      300,
    );
    expect(isRegression(still, broken)).toBe(false);
  });
});

describe('burnUpPoints', () => {
  it('carries days without an evaluation over from the day before, per team', () => {
    const counts = (done: number) => ({
      ...emptyCampaignCounts(),
      done,
      failing: 4 - done,
      total: 4,
    });
    const points = burnUpPoints(
      [
        { day: '2026-11-28', team: '', counts: counts(1) },
        { day: '2026-12-01', team: '', counts: counts(3) },
        {
          day: '2026-11-30',
          team: 'group:default/team-sre',
          counts: counts(2),
        },
      ],
      '2026-12-02',
    );
    expect(
      points.filter(p => !p.team).map(p => [p.day, p.counts.done]),
    ).toEqual([
      ['2026-11-28', 1],
      ['2026-11-29', 1],
      ['2026-11-30', 1],
      ['2026-12-01', 3],
      ['2026-12-02', 3],
    ]);
    expect(points.filter(p => p.team).map(p => p.day)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
  });
});
