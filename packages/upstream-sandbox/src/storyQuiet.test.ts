/*
 * The demo's payments story is its ground truth only if nothing else happens around it: the
 * background (drawn on an absolute time grid) must stay off payments-api and what it depends on
 * wherever `now` puts the story. Without that, a background incident on fraud-detector 15 min
 * before the bad deploy made fraud-detector's older deploy the likely cause for a stretch of
 * each day (it did on 2026-12-04 from about 02:00 UTC).
 */
import { ScenarioStore } from './scenario/store';
import { PAYMENTS_STORY_OFFSET, dependenciesOf } from './scenario/stories';
import { serviceObjects } from './upstreams/kubernetes/cluster';
import { HOUR } from './time';

// One demo store takes about a second to build on a busy 2-core machine.
jest.setTimeout(60_000);

/** The start that showed the trouble, and starts every 4 hours of a day. */
const STARTS = [
  Date.UTC(2026, 11, 4, 2, 20),
  ...Array.from({ length: 6 }, (_, i) => Date.UTC(2026, 11, 5, 4 * i, 40)),
];

describe.each(STARTS.map(now => [new Date(now).toISOString(), now]))(
  'the payments story started at %s',
  (_, now) => {
    const store = new ScenarioStore({ scenario: 'demo', seed: 42, now });
    const deps = dependenciesOf('payments-api', store.scenario.services).map(
      name => store.scenario.services.find(s => s.name === name)!,
    );
    const cause = Math.floor(now / 1000) * 1000 - PAYMENTS_STORY_OFFSET;
    const from = cause - 6 * HOUR;
    const to = cause + 2 * HOUR;
    const inWindow = (t: number) => t >= from && t <= to;

    it('has its dependencies: fraud-detector and ledger-service among them', () => {
      expect(deps.map(d => d.name)).toEqual(
        expect.arrayContaining(['fraud-detector', 'ledger-service']),
      );
    });

    it('leaves its dependencies without changes or trouble from 6 h before the bad deploy to 2 h after', () => {
      const found: string[] = [];
      for (const svc of deps) {
        const d = store.data(svc.index);
        const say = (what: string, t: number) =>
          inWindow(t) &&
          found.push(`${svc.name}: ${what} at ${new Date(t).toISOString()}`);
        d.deployments.forEach(x => say(`deployment ${x.ref}`, x.at));
        d.changeEvents.forEach(x => say(`change "${x.summary}"`, x.at));
        d.incidents.forEach(x => say(`incident "${x.title}"`, x.createdAt));
        d.spikes.forEach(x => say('error spike', x.from));
        d.alertWindows.forEach(x => say(`alert ${x.ruleUid}`, x.pendingAt));
        for (const e of serviceObjects(store, svc, now).events)
          say(
            `Kubernetes event "${e.message}"`,
            Date.parse(String(e.lastTimestamp)),
          );
      }
      expect(found).toEqual([]);
    });
  },
);
