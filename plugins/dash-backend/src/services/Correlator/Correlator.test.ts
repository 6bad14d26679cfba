import { MINUTE, at, ev } from './__testUtils__/events';
import {
  DEFAULT_CORRELATOR_OPTIONS,
  correlate,
  humanDuration,
  isChangeEvent,
} from './Correlator';

/** What the sources call themselves (each source's `title`). */
const SOURCE_TITLES = new Map([
  ['github', 'GitHub'],
  ['pagerduty', 'PagerDuty'],
  ['grafana', 'Grafana'],
  ['kibana', 'Kibana'],
]);

const min = MINUTE;

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-service';
const CART = 'component:default/cart-service';
const INVENTORY = 'component:default/inventory-service';
const CHECKOUT = 'component:default/checkout-api';

describe('correlate', () => {
  it('ranks the production deploy just before the incident first, with reasons', () => {
    const incident = ev({
      id: 'pd:1',
      kind: 'incident',
      entityRef: PAYMENTS,
      startTime: at(0),
      endTime: at(50),
      severity: 'critical',
    });
    const deploy = ev({
      id: 'gh:deploy',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-5),
      status: 'success',
      title: 'Deploy v2.14.0',
      attributes: { environment: 'production' },
    });
    const release = ev({
      id: 'gh:release',
      kind: 'release',
      entityRef: PAYMENTS,
      startTime: at(-20),
      title: 'v2.14.0',
    });
    const pr = ev({
      id: 'gh:pr',
      kind: 'pull-request',
      entityRef: PAYMENTS,
      startTime: at(-60),
      status: 'merged',
    });
    const rollback = ev({
      id: 'gh:rollback',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(35),
      title: 'Rollback to v2.13.2',
      attributes: { environment: 'production', rollback: true },
    });
    const stagingDeploy = ev({
      id: 'gh:staging',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-3),
      attributes: { environment: 'staging' },
    });

    const [c] = correlate({
      problems: [incident],
      context: [incident, deploy, release, pr, rollback, stagingDeploy],
      dependencies: new Map(),
    });

    expect(c.verdict).toBe('ranked');
    expect(c.eventId).toBe('pd:1');
    expect(c.candidates[0].eventId).toBe('gh:deploy');
    expect(c.candidates[0].relation).toBe('self');
    expect(c.candidates[0].reasons).toEqual([
      'Deployed to production on payments-api 5 min before the incident began',
      'Rolled back by "Rollback to v2.13.2" 35 min after the incident began; the incident was resolved 15 min later',
    ]);
    expect(c.candidates.map(x => x.eventId)).not.toContain('gh:rollback');
    // A staging deploy weighs so little that alone it is noise; shown when noise is asked for.
    expect(c.candidates.map(x => x.eventId)).not.toContain('gh:staging');
    const [all] = correlate(
      {
        problems: [incident],
        context: [incident, deploy, release, pr, rollback, stagingDeploy],
        dependencies: new Map(),
      },
      { ...DEFAULT_CORRELATOR_OPTIONS, minScore: 0 },
    );
    const staging = all.candidates.find(x => x.eventId === 'gh:staging');
    expect(staging?.reasons).toContain('Went to staging, not production');
    expect(staging!.score).toBeLessThan(0.1);
    expect(c.summary).toBe(
      'Most likely: Deploy v2.14.0 (payments-api, 5 min before)',
    );
    expect(c.lookbackTo).toBe(incident.startTime);
    expect(c.lookbackFrom).toBe(at(-24 * 60));
    for (const cand of c.candidates) {
      expect(cand.score).toBeGreaterThan(0);
      expect(cand.score).toBeLessThanOrEqual(1);
    }
  });

  it('never suspects a change made after the problem began', () => {
    const incident = ev({
      kind: 'incident',
      entityRef: PAYMENTS,
      startTime: at(0),
    });
    const after = ev({ kind: 'deploy', entityRef: PAYMENTS, startTime: at(1) });
    const [c] = correlate({
      problems: [incident],
      context: [after],
      dependencies: new Map(),
    });
    expect(c.candidates).toEqual([]);
    expect(c.verdict).toBe('nothing-plausible');
  });

  it("suspects a dependency's change, with the dependency's error spike as evidence, and never a downstream service", () => {
    const incident = ev({
      id: 'pd:cart',
      kind: 'incident',
      entityRef: CART,
      startTime: at(0),
      title: 'Cart pricing timeouts',
    });
    const inventoryChange = ev({
      id: 'pd:change:pool',
      kind: 'change',
      entityRef: INVENTORY,
      startTime: at(-10),
      title: 'Reduce DB connection pool to 5',
      attributes: { changeType: 'config', environment: 'production' },
    });
    const inventorySpike = ev({
      kind: 'log-spike',
      entityRef: INVENTORY,
      startTime: at(-7),
      severity: 'error',
    });
    const checkoutDeploy = ev({
      id: 'gh:checkout',
      kind: 'deploy',
      entityRef: CHECKOUT,
      startTime: at(-2),
      attributes: { environment: 'production' },
    });
    const cartCommitAfter = ev({
      kind: 'commit',
      entityRef: CART,
      startTime: at(3),
    });

    const [c] = correlate({
      problems: [incident],
      context: [
        incident,
        inventoryChange,
        inventorySpike,
        checkoutDeploy,
        cartCommitAfter,
      ],
      // cart-service depends on inventory-service; checkout-api depends on cart-service, so
      // it is not in cart's dependencies.
      dependencies: new Map([[CART, new Map([[INVENTORY, 1]])]]),
      titles: new Map([[INVENTORY, 'inventory-service']]),
    });

    expect(c.candidates.map(x => x.eventId)).toEqual(['pd:change:pool']);
    expect(c.candidates[0].relation).toBe('dependency');
    expect(c.candidates[0].entityRef).toBe(INVENTORY);
    expect(c.candidates[0].reasons).toEqual([
      'Config change to production on inventory-service 10 min before the incident began',
      'cart-service depends on inventory-service',
      'inventory-service showed an error spike 3 min after this change',
      'inventory-service went bad 7 min before cart-service did',
    ]);
  });

  it('says so when nothing changed in the look-back window', () => {
    const incident = ev({ kind: 'alert', entityRef: LEDGER, startTime: at(0) });
    const old = ev({
      kind: 'deploy',
      entityRef: LEDGER,
      startTime: at(-25 * 60),
    });
    const [c] = correlate({
      problems: [incident],
      context: [old],
      dependencies: new Map([
        [LEDGER, new Map([['component:default/go-telemetry', 1]])],
      ]),
    });
    expect(c.verdict).toBe('nothing-plausible');
    expect(c.candidates).toEqual([]);
    expect(c.summary).toBe(
      'No deploys or changes on ledger-service or the 1 service it depends on in the 24 h before this alert began.',
    );
  });

  it('calls far-off changes noise instead of ranking them', () => {
    const incident = ev({
      kind: 'incident',
      entityRef: LEDGER,
      startTime: at(0),
    });
    const pr = ev({
      kind: 'pull-request',
      status: 'merged',
      entityRef: LEDGER,
      startTime: at(-20 * 60),
    });
    const [c] = correlate({
      problems: [incident],
      context: [pr],
      dependencies: new Map(),
    });
    expect(c.verdict).toBe('nothing-plausible');
    expect(c.summary).toBe(
      '1 change on ledger-service in the 24 h before, none close or relevant enough to suspect.',
    );
  });

  it('names an alert or incident on the dependency as evidence, in good English', () => {
    const incident = ev({
      kind: 'incident',
      entityRef: CART,
      startTime: at(0),
    });
    const change = ev({
      id: 'chg',
      kind: 'change',
      entityRef: INVENTORY,
      startTime: at(-10),
      attributes: { changeType: 'config' },
    });
    const alert = ev({
      kind: 'alert',
      entityRef: INVENTORY,
      startTime: at(-6),
      severity: 'warning',
      title: 'DB connections saturated',
    });
    const [c] = correlate({
      problems: [incident],
      context: [change, alert],
      dependencies: new Map([[CART, new Map([[INVENTORY, 1]])]]),
    });
    expect(c.candidates[0].reasons).toContain(
      'inventory-service showed an alert ("DB connections saturated") 4 min after this change',
    );
  });

  it('weights a direct dependency above an indirect one for the same change', () => {
    const incident = ev({
      kind: 'incident',
      entityRef: CHECKOUT,
      startTime: at(0),
    });
    const direct = ev({
      id: 'a',
      kind: 'deploy',
      entityRef: CART,
      startTime: at(-10),
    });
    const indirect = ev({
      id: 'b',
      kind: 'deploy',
      entityRef: INVENTORY,
      startTime: at(-10),
    });
    const [c] = correlate({
      problems: [incident],
      context: [direct, indirect],
      dependencies: new Map([
        [
          CHECKOUT,
          new Map([
            [CART, 1],
            [INVENTORY, 2],
          ]),
        ],
      ]),
    });
    expect(c.candidates.map(x => x.eventId)).toEqual(['a', 'b']);
    expect(c.candidates[1].reasons).toContain(
      'checkout-api depends on inventory-service indirectly (2 hops)',
    );
  });

  it('is pure: the same input gives the same answer, whatever the order of events', () => {
    const incident = ev({
      kind: 'incident',
      entityRef: PAYMENTS,
      startTime: at(0),
    });
    const a = ev({
      id: 'x',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-10),
      attributes: { version: 'v1' },
    });
    const b = ev({
      id: 'y',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-10),
      attributes: { version: 'v2' },
    });
    const one = correlate({
      problems: [incident],
      context: [a, b],
      dependencies: new Map(),
    });
    const two = correlate({
      problems: [incident],
      context: [b, a],
      dependencies: new Map(),
    });
    expect(two).toEqual(one);
    expect(one[0].candidates.map(c => c.eventId)).toEqual(['x', 'y']);
  });

  it('counts one deploy recorded by GitHub, PagerDuty and Grafana as one suspect', () => {
    const incident = ev({
      id: 'pd:1',
      kind: 'incident',
      entityRef: PAYMENTS,
      startTime: at(0),
    });
    const github = ev({
      id: 'github:deploy',
      source: 'github',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-6),
      title: 'Deploy v2.14.0',
      attributes: { environment: 'production' },
    });
    const pdChange = ev({
      id: 'pagerduty:change',
      source: 'pagerduty',
      kind: 'change',
      entityRef: PAYMENTS,
      startTime: at(-2),
      title: 'Deployed v2.14.0',
      attributes: { changeType: 'deploy' },
    });
    const annotation = ev({
      id: 'grafana:annotation',
      source: 'grafana',
      kind: 'annotation',
      entityRef: PAYMENTS,
      startTime: at(-5),
      attributes: { tags: ['deploy', 'payments-api'] },
    });
    const flag = ev({
      id: 'changes:flag',
      source: 'changes',
      kind: 'change',
      entityRef: PAYMENTS,
      startTime: at(-4),
      attributes: { changeType: 'feature-flag' },
    });
    const [c] = correlate({
      problems: [incident],
      context: [incident, pdChange, annotation, github, flag],
      dependencies: new Map(),
      sourceTitles: SOURCE_TITLES,
    });
    // The GitHub deployment stands for the three records, scored as the closest of them.
    expect(c.candidates.map(x => x.eventId)).toEqual([
      'github:deploy',
      'changes:flag',
    ]);
    expect(c.candidates[0].reasons).toContain(
      'Also recorded by Grafana and PagerDuty',
    );
    expect(c.candidates[0].score).toBeGreaterThan(0.97);
  });

  it("names the other recorders by their sources' own titles", () => {
    const incident = ev({ id: 'pd:1', kind: 'incident', entityRef: PAYMENTS });
    const deploy = ev({
      id: 'github:deploy',
      source: 'github',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-6),
    });
    const twin = ev({
      id: 'acme:deploy',
      source: 'acme-deployer',
      kind: 'change',
      entityRef: PAYMENTS,
      startTime: at(-5),
      attributes: { changeType: 'deploy' },
    });
    const input = {
      problems: [incident],
      context: [incident, deploy, twin],
      dependencies: new Map(),
    };
    const [titled] = correlate({
      ...input,
      sourceTitles: new Map([['acme-deployer', 'Acme Deployer']]),
    });
    expect(titled.candidates[0].reasons).toContain(
      'Also recorded by Acme Deployer',
    );
    // Without a title the source is named by its id.
    const [untitled] = correlate(input);
    expect(untitled.candidates[0].reasons).toContain(
      'Also recorded by acme-deployer',
    );
  });

  it('keeps deploys to different environments or of different versions apart', () => {
    const incident = ev({
      kind: 'incident',
      entityRef: PAYMENTS,
      startTime: at(0),
    });
    const prod = ev({
      id: 'a',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-5),
      attributes: { environment: 'production' },
    });
    const staging = ev({
      id: 'b',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(-4),
      attributes: { environment: 'staging' },
    });
    const [c] = correlate(
      {
        problems: [incident],
        context: [prod, staging],
        dependencies: new Map(),
      },
      { ...DEFAULT_CORRELATOR_OPTIONS, minScore: 0 },
    );
    expect(c.candidates.map(x => x.eventId)).toEqual(['a', 'b']);
  });

  it('stays fast over thousands of changes', () => {
    const problems = Array.from({ length: 20 }, (_, i) =>
      ev({ kind: 'incident', entityRef: PAYMENTS, startTime: at(-i * 60) }),
    );
    const changes = Array.from({ length: 5000 }, (_, i) =>
      ev({
        id: `c${i}`,
        kind: 'change',
        entityRef: PAYMENTS,
        startTime: at(-i * 0.5),
        attributes: { changeType: 'config' },
      }),
    );
    const started = performance.now();
    const result = correlate({
      problems,
      context: [...problems, ...changes],
      dependencies: new Map(),
    });
    expect(result).toHaveLength(20);
    expect(result.every(r => r.candidates.length === 5)).toBe(true);
    // A generous bound: the point is "not quadratic" (that took seconds).
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('isChangeEvent', () => {
  it('counts merged pull requests and change-tagged annotations, not open PRs or commits', () => {
    expect(
      isChangeEvent(
        ev({ kind: 'pull-request', entityRef: PAYMENTS, status: 'merged' }),
      ),
    ).toBe(true);
    expect(
      isChangeEvent(
        ev({ kind: 'pull-request', entityRef: PAYMENTS, status: 'open' }),
      ),
    ).toBe(false);
    expect(isChangeEvent(ev({ kind: 'commit', entityRef: PAYMENTS }))).toBe(
      false,
    );
    expect(
      isChangeEvent(
        ev({
          kind: 'annotation',
          entityRef: PAYMENTS,
          attributes: { tags: ['deploy', 'payments-api'] },
        }),
      ),
    ).toBe(true);
    expect(
      isChangeEvent(
        ev({
          kind: 'annotation',
          entityRef: PAYMENTS,
          attributes: { tags: ['note'] },
        }),
      ),
    ).toBe(false);
  });
});

describe('humanDuration', () => {
  it('reads like a person wrote it', () => {
    expect(humanDuration(20_000)).toBe('less than a minute');
    expect(humanDuration(5 * min)).toBe('5 min');
    expect(humanDuration(130 * min)).toBe('2 h 10 min');
    expect(humanDuration(120 * min)).toBe('2 h');
    expect(humanDuration(24 * 60 * min)).toBe('24 h');
    expect(humanDuration(72 * 60 * min)).toBe('3 d');
  });
});
