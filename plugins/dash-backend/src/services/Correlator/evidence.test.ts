import { DashEvent } from '@dash-suite/plugin-dash-common';
import { at, ev } from './__testUtils__/events';
import { correlate } from './Correlator';

/*
 * The factors of issue 11, one by one: onset, evidence on dependencies, undos and what came of
 * them, slow burns, what a deploy shipped.
 */

const API = 'component:default/payments-api';
const DB = 'component:default/payments-db';

const page = (o: Partial<DashEvent> = {}) =>
  ev({
    id: 'page',
    kind: 'incident',
    entityRef: API,
    startTime: at(0),
    severity: 'critical',
    status: 'triggered',
    ...o,
  });
const deploy = (id: string, m: number, o: Partial<DashEvent> = {}) =>
  ev({
    id,
    kind: 'deploy',
    entityRef: API,
    startTime: at(m),
    status: 'success',
    title: `Deploy ${id}`,
    attributes: { environment: 'production', version: id },
    ...o,
  });
const spike = (m: number, end: number, entityRef = API) =>
  ev({
    kind: 'log-spike',
    entityRef,
    startTime: at(m),
    endTime: at(end),
    severity: 'error',
    title: 'Error log spike',
    attributes: { interval: '1m' },
  });

const run = (
  context: DashEvent[],
  problem = page(),
  dependencies = new Map<string, Map<string, number>>(),
) =>
  correlate({
    problems: [problem],
    context: [problem, ...context],
    dependencies,
  });

const withDb = new Map([[API, new Map([[DB, 1]])]]);

describe('onset', () => {
  it('starts from the first sign of trouble that runs into the page, and a change after it is not a suspect', () => {
    const cause = deploy('v2', -60);
    const decoy = deploy('v3', -20);
    const [c] = run([cause, decoy, spike(-45, -30), spike(-32, 0)]);

    expect(c.onset.time).toBe(at(-45));
    expect(c.lookbackTo).toBe(at(-45));
    expect(c.onset.signalIds).toHaveLength(2);
    expect(c.onset.summary).toBe(
      'An error spike on payments-api 45 min before the incident, then 1 more signs of trouble',
    );
    expect(c.candidates.map(x => x.eventId)).toEqual(['v2']);
    expect(c.candidates[0].reasons[0]).toBe(
      'Deployed to production on payments-api 15 min before the problem began (1 h before the incident)',
    );
    expect(c.afterOnset).toEqual([
      {
        eventId: 'v3',
        entityRef: API,
        reasons: [
          'Came 25 min after the problem began, so it did not start it',
        ],
      },
    ]);
    expect(c.summary).toBe(
      'Most likely: Deploy v2 (payments-api, 15 min before the problem began)',
    );
  });

  it('does not reach back through trouble that ended long before', () => {
    const [c] = run([deploy('v2', -10), spike(-180, -170)]);
    expect(c.onset.time).toBe(at(0));
    expect(c.onset.eventId).toBe('page');
    expect(c.candidates[0].eventId).toBe('v2');
  });

  it('does not reach back past an earlier incident that was resolved', () => {
    const alert = (m: number, end: number) =>
      ev({
        kind: 'alert',
        entityRef: API,
        startTime: at(m),
        endTime: at(end),
        severity: 'warning',
        status: 'resolved',
        title: 'Latency high',
        attributes: { ruleUid: 'latency' },
      });
    const earlier = ev({
      kind: 'incident',
      entityRef: API,
      startTime: at(-300),
      endTime: at(-200),
      status: 'resolved',
      severity: 'critical',
    });
    // The same rule fired during the earlier incident; this one's trouble began after it ended.
    const [c] = run([
      earlier,
      alert(-310, -200),
      alert(-90, -1),
      deploy('v2', -100),
    ]);
    expect(c.onset.time).toBe(at(-90));
    expect(c.candidates[0].eventId).toBe('v2');
  });

  it('counts a change inside the first bucket of a log spike as before it', () => {
    const s = spike(-30, 0);
    s.attributes.interval = '5m';
    const [c] = run([deploy('v2', -27), s]);
    expect(c.candidates.map(x => x.eventId)).toEqual(['v2']);
  });
});

describe('evidence on dependencies', () => {
  it('ranks a dependency change with its own trail of trouble above a closer change with none', () => {
    const dbChange = ev({
      id: 'db-config',
      kind: 'change',
      entityRef: DB,
      startTime: at(-50),
      title: 'max_connections 500 → 100',
      attributes: { changeType: 'config', environment: 'production' },
    });
    const [c] = run(
      [deploy('v2', -8), dbChange, spike(-40, 0, DB), spike(-5, 0)],
      page(),
      withDb,
    );
    expect(c.candidates.map(x => x.eventId)).toEqual(['db-config', 'v2']);
    expect(c.candidates[0].reasons).toContain(
      'payments-db showed an error spike 10 min after this change',
    );
    expect(c.candidates[0].reasons).toContain(
      'payments-db went bad 35 min before payments-api did',
    );
    expect(c.candidates[1].reasons).toContain(
      'payments-db, which payments-api depends on, was already in trouble 32 min before this change',
    );
  });

  it('holds a dependency change against the dependency when it was in trouble before it', () => {
    const dbChange = ev({
      id: 'db-config',
      kind: 'change',
      entityRef: DB,
      startTime: at(-10),
      attributes: { changeType: 'config' },
    });
    const [c] = run([dbChange, spike(-60, 0, DB)], page(), withDb);
    const reasons = c.candidates.find(x => x.eventId === 'db-config')?.reasons;
    expect(reasons).toContain(
      'payments-db was already in trouble 50 min before this change',
    );
  });

  it("does not hold a dependency's earlier trouble against a change whose rollback ended the problem", () => {
    // payments-db deployed hours ago and had a blip of its own 15 min before payments-api's
    // deploy; payments-api went bad after its deploy and recovered once it was rolled back.
    const dbDeploy = deploy('db-v7', -220, { entityRef: DB });
    const context = [dbDeploy, spike(-25, -6, DB), deploy('v2', -10)];
    const rollback = deploy('v1', 30, {
      title: 'Rollback to v1',
      attributes: { environment: 'production', version: 'v1', rollback: true },
    });
    const resolved = page({ endTime: at(40), status: 'resolved' });

    const [fixed] = run(
      [...context, spike(-5, 32), rollback],
      resolved,
      withDb,
    );
    expect(fixed.candidates.map(x => x.eventId)).toEqual(['v2', 'db-v7']);
    expect(fixed.candidates[0].reasons).toContain(
      'payments-db, which payments-api depends on, was already in trouble 15 min before this change, but the incident ended once this change was undone',
    );

    // The same when the dependency went bad after the change, before the problem began.
    const [later] = run(
      [dbDeploy, spike(-8, 10, DB), deploy('v2', -10), spike(-5, 32), rollback],
      resolved,
      withDb,
    );
    expect(later.candidates[0].eventId).toBe('v2');
    expect(later.candidates[0].reasons).toContain(
      'payments-db, which payments-api depends on, went bad 3 min before payments-api did, but the incident ended once this change was undone',
    );

    // Without the rollback, the dependency's trail makes its own deploy the likelier cause.
    const [open] = run([...context, spike(-5, 32)], resolved, withDb);
    expect(open.candidates.map(x => x.eventId)).toEqual(['db-v7', 'v2']);
    expect(open.candidates[1].reasons).toContain(
      'payments-db, which payments-api depends on, was already in trouble 15 min before this change',
    );
  });
});

describe('undos', () => {
  it('points at the flag that was turned back off before the incident resolved', () => {
    const flagOn = ev({
      id: 'flag-on',
      kind: 'change',
      entityRef: API,
      startTime: at(-70),
      title: 'Flag new-checkout on',
      attributes: {
        changeType: 'feature-flag',
        details: { flag: 'new-checkout', from: 'off', to: 'on' },
      },
    });
    const flagOff = ev({
      id: 'flag-off',
      kind: 'change',
      entityRef: API,
      startTime: at(20),
      title: 'Flag new-checkout off',
      attributes: {
        changeType: 'feature-flag',
        details: { flag: 'new-checkout', from: 'on', to: 'off' },
      },
    });
    const [c] = run(
      [deploy('v2', -15), flagOn, flagOff],
      page({ endTime: at(26), status: 'resolved' }),
    );
    expect(c.candidates[0].eventId).toBe('flag-on');
    expect(c.candidates[0].reasons).toContain(
      'Flag turned back by "Flag new-checkout off" 20 min after the incident began; the incident was resolved 6 min later',
    );
    expect(c.afterOnset[0].reasons[1]).toBe(
      'It undid "Flag new-checkout on": Flag turned back by "Flag new-checkout off" 20 min after the incident began; the incident was resolved 6 min later',
    );
  });

  it('links a revert pull request to the pull request it reverts, and credits only the undo the recovery followed', () => {
    const bad = ev({
      id: 'pr-1',
      kind: 'pull-request',
      entityRef: API,
      status: 'merged',
      startTime: at(-40),
      title: '#101 Cache sessions in Redis',
      attributes: { number: 101 },
    });
    const rollback = deploy('rb', 10, {
      title: 'Rollback to v1',
      attributes: { environment: 'production', version: 'v1', rollback: true },
    });
    const revert = ev({
      id: 'pr-2',
      kind: 'pull-request',
      entityRef: API,
      status: 'merged',
      startTime: at(50),
      title: '#102 Revert "Cache sessions in Redis"',
      attributes: { number: 102 },
    });
    const [c] = run(
      [deploy('v1', -300), deploy('v2', -30), bad, rollback, revert],
      page({ endTime: at(60), status: 'resolved' }),
    );
    const v2 = c.candidates.find(x => x.eventId === 'v2')!;
    const pr = c.candidates.find(x => x.eventId === 'pr-1');
    // The deploy shipped the pull request: one suspect, carrying its evidence.
    expect(pr).toBeUndefined();
    expect(v2.shipped).toEqual([
      {
        kind: 'pull-request',
        title: 'Cache sessions in Redis',
        eventId: 'pr-1',
        number: 101,
      },
    ]);
    expect(v2.reasons).toContain(
      'Rolled back by "Rollback to v1" 10 min after the incident began, and the incident went on for 50 min after that: undoing it did not help',
    );
    expect(v2.reasons).toContain(
      'It shipped #101: Reverted by "#102 Revert "Cache sessions in Redis"" 50 min after the incident began; the incident was resolved 10 min later',
    );
  });

  it('does not take a rollback to the same version for an undo', () => {
    const redeploy = deploy('again', 10, {
      title: 'Redeploy v2',
      attributes: { environment: 'production', version: 'v2', rollback: true },
    });
    const [c] = run(
      [deploy('v2', -10), redeploy],
      page({ endTime: at(15), status: 'resolved' }),
    );
    expect(c.candidates[0].reasons).toEqual([
      'Deployed to production on payments-api 10 min before the incident began',
    ]);
  });

  it('links an undo by what it says before where it stands, and never takes a failed rollback for one', () => {
    const block = ev({
      id: 'ip-block',
      kind: 'change',
      entityRef: API,
      startTime: at(-200),
      title: 'Remove unused IP block',
      attributes: {
        changeType: 'config',
        details: { key: 'announcedBlocks', from: '212', to: '211' },
      },
    });
    const revert = ev({
      id: 'ip-revert',
      kind: 'change',
      entityRef: API,
      startTime: at(14),
      // Says "revert", but it is a configuration change: it undoes what its details name.
      title: 'Revert the most recent network configuration change',
      attributes: {
        changeType: 'config',
        details: { key: 'announcedBlocks', from: '211', to: '212' },
      },
    });
    const failedRollback = deploy('rb', 5, {
      status: 'failure',
      title: 'Rollback to v1',
      attributes: { environment: 'production', version: 'v1', rollback: true },
    });
    const [c] = run(
      [deploy('v1', -600), deploy('v2', -120), block, failedRollback, revert],
      page({ endTime: at(18), status: 'resolved' }),
    );
    expect(c.candidates[0].eventId).toBe('ip-block');
    expect(c.candidates[0].reasons).toContain(
      'Setting restored by "Revert the most recent network configuration change" 14 min after the incident began; the incident was resolved 4 min later',
    );
    const v2 = c.candidates.find(x => x.eventId === 'v2');
    expect(v2?.reasons.join(' ')).not.toMatch(/Rolled back/);
  });
});

describe('slow burns', () => {
  const memory = (m: number, end: number | undefined, pct: number) =>
    ev({
      kind: 'alert',
      entityRef: API,
      startTime: at(m),
      ...(end !== undefined ? { endTime: at(end) } : {}),
      severity: 'warning',
      status: end === undefined ? 'firing' : 'resolved',
      title: `Memory at ${pct}%`,
      attributes: { ruleUid: 'mem' },
    });

  it('follows one alert firing again and again back to its first episode', () => {
    const [c] = run([
      deploy('v2', -8 * 60),
      memory(-7 * 60, -6 * 60, 70),
      memory(-4 * 60, -3 * 60, 80),
      memory(-90, undefined, 90),
    ]);
    expect(c.onset.time).toBe(at(-7 * 60));
    expect(c.candidates.map(x => x.eventId)).toEqual(['v2']);
  });

  it('shows an old change before a slowly growing signal, with its age, instead of nothing', () => {
    const [c] = run([deploy('v2', -16 * 60), memory(-9 * 60, undefined, 95)]);
    expect(c.verdict).toBe('ranked');
    expect(c.candidates[0].eventId).toBe('v2');
    expect(c.candidates[0].reasons).toContain(
      'It is old, but the trouble grew slowly: "Memory at 95%" began 7 h after it and ran into the incident; nothing changed closer to it',
    );
  });

  it('does not call a short run of trouble a slow burn', () => {
    const [c] = run([deploy('v2', -16 * 60), spike(-30, 0)]);
    expect(c.verdict).toBe('nothing-plausible');
  });
});

describe('weak changes', () => {
  it('says nothing plausible when only documentation and unshipped pull requests changed', () => {
    const docs = ev({
      kind: 'pull-request',
      entityRef: API,
      status: 'merged',
      startTime: at(-10),
      title: '#7 docs: explain retries',
      attributes: { number: 7 },
    });
    const unshipped = ev({
      id: 'unshipped',
      kind: 'pull-request',
      entityRef: API,
      status: 'merged',
      startTime: at(-20),
      title: '#8 Retry twice',
      attributes: { number: 8 },
    });
    const [c] = run([deploy('v1', -300), docs, unshipped]);
    expect(c.verdict).toBe('nothing-plausible');
  });
});
