import { at, ev } from './__testUtils__/events';
import { correlate } from './Correlator';

/*
 * Kubernetes rollouts (dash-backend-module-kubernetes) next to the GitHub deployments of the
 * same versions: the events below have the shapes that module and the GitHub module produce.
 */

const PAYMENTS = 'component:default/payments-api';
const SOURCE_TITLES = new Map([
  ['github', 'GitHub'],
  ['kubernetes', 'Kubernetes'],
  ['pagerduty', 'PagerDuty'],
]);

const incident = ev({
  id: 'pagerduty:incident',
  source: 'pagerduty',
  kind: 'incident',
  entityRef: PAYMENTS,
  startTime: at(0),
  endTime: at(45),
  severity: 'critical',
});
const githubDeploy = ev({
  id: 'github:acme/payments-api:deployment:1',
  source: 'github',
  kind: 'deploy',
  entityRef: PAYMENTS,
  startTime: at(-9),
  title: 'Deploy v2.14.0 to production',
  status: 'success',
  attributes: {
    environment: 'production',
    version: 'v2.14.0',
    ref: 'v2.14.0',
    rollback: false,
  },
});
const rollout = (version: string, revision: number, offsetMin: number) =>
  ev({
    id: `kubernetes:prod-eu:payments:payments-api:rev:${revision}`,
    source: 'kubernetes',
    kind: 'deploy',
    entityRef: PAYMENTS,
    startTime: at(offsetMin),
    title: `Rollout of payments-api to ${version} (revision ${revision})`,
    status: 'complete',
    attributes: {
      version,
      image: `registry.acme.example/acme/payments-api:${version}`,
      revision,
      cluster: 'prod-eu',
      namespace: 'payments',
      environment: 'production',
      status: 'complete',
      changeType: 'deploy',
      rollback: false,
    },
  });

describe('correlate with Kubernetes rollouts', () => {
  it('makes a Kubernetes rollout and the GitHub deployment of the same version one suspect', () => {
    const k8s = rollout('v2.14.0', 6, -9);
    const [c] = correlate({
      problems: [incident],
      context: [incident, githubDeploy, k8s],
      dependencies: new Map(),
      sourceTitles: SOURCE_TITLES,
    });
    const ids = c.candidates.map(x => x.eventId);
    expect(ids).toEqual([githubDeploy.id]);
    expect(c.candidates[0].reasons).toContain('Also recorded by Kubernetes');
  });

  it('keeps a rollout of another version, or in another environment, a suspect of its own', () => {
    const other = rollout('v2.13.9', 5, -8);
    const staging = {
      ...rollout('v2.14.0', 6, -9),
      attributes: {
        ...rollout('v2.14.0', 6, -9).attributes,
        environment: 'staging',
      },
    };
    const [c] = correlate({
      problems: [incident],
      context: [incident, githubDeploy, other],
      dependencies: new Map(),
      sourceTitles: SOURCE_TITLES,
    });
    expect(c.candidates.map(x => x.eventId).sort()).toEqual(
      [githubDeploy.id, other.id].sort(),
    );
    const [d] = correlate({
      problems: [incident],
      context: [incident, githubDeploy, staging],
      dependencies: new Map(),
      sourceTitles: SOURCE_TITLES,
    });
    expect(d.candidates[0].reasons).not.toContain(
      'Also recorded by Kubernetes',
    );
  });

  it('merges a Kubernetes rollback with the GitHub rollback deploy, after the onset', () => {
    const githubRollback = ev({
      id: 'github:acme/payments-api:deployment:2',
      source: 'github',
      kind: 'deploy',
      entityRef: PAYMENTS,
      startTime: at(26),
      title: 'Roll back to v2.13.0',
      attributes: {
        environment: 'production',
        version: 'v2.13.0',
        rollback: true,
      },
    });
    const k8sRollback = ev({
      ...rollout('v2.13.0', 7, 26),
      title: 'Rollback of payments-api to v2.13.0 (revision 7)',
      severity: 'warning',
    });
    k8sRollback.attributes = {
      ...k8sRollback.attributes,
      rollback: true,
      changeType: 'rollback',
    };
    const [c] = correlate({
      problems: [incident],
      context: [
        incident,
        githubDeploy,
        rollout('v2.14.0', 6, -9),
        githubRollback,
        k8sRollback,
      ],
      dependencies: new Map(),
      sourceTitles: SOURCE_TITLES,
    });
    expect(c.candidates.map(x => x.eventId)).toEqual([githubDeploy.id]);
    // The rollback is named as what undid the deploy, and never as a suspect.
    expect(c.candidates[0].reasons.join(' ')).toMatch(/Rolled back by/);
    // Both records of the rollback are listed after the onset, as what they are.
    expect(c.afterOnset.map(a => a.eventId)).toEqual(
      expect.arrayContaining([githubRollback.id, k8sRollback.id]),
    );
  });
});
