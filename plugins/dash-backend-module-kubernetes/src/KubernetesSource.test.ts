import http from 'node:http';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  createTestSourceContext,
  testComponent,
} from '@dash-suite/plugin-dash-node/testUtils';
import { readKubernetesSettings } from './config';
import { KubernetesSource } from './KubernetesSource';

const CLUSTER = {
  name: 'prod-eu',
  url: 'https://k8s.acme.example/',
  authProvider: 'serviceAccount',
  serviceAccountToken: 't',
};

function settings(clusters: object[], dash: object = {}, extra: object[] = []) {
  return readKubernetesSettings(
    new ConfigReader({
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [{ type: 'config', clusters }, ...extra],
      },
      dash: { sources: { kubernetes: dash } },
    }),
  );
}

function source(clusters: object[], dash: object = {}) {
  const logger = mockServices.logger.mock();
  return { s: new KubernetesSource(settings(clusters, dash), logger), logger };
}

const svc = (annotations: Record<string, string>) =>
  testComponent('pay', annotations);

describe('readKubernetesSettings', () => {
  it("reads the Kubernetes plugin's config clusters, with DASH's restrictions and environments", () => {
    const read = settings(
      [
        CLUSTER,
        { ...CLUSTER, name: 'stage', skipTLSVerify: true, caData: 'Q0E=' },
        { ...CLUSTER, name: 'dr' },
        { name: 'oidc', url: 'https://x.example', authProvider: 'oidc' },
        { name: 'no-token', url: 'https://x.example' },
      ],
      { clusters: ['prod-eu', 'stage'], environments: { stage: 'staging' } },
      [{ type: 'gke', projectId: 'p' }],
    );
    expect(read.clusters).toEqual([
      expect.objectContaining({
        name: 'prod-eu',
        url: 'https://k8s.acme.example',
        token: 't',
        skipTLSVerify: false,
        environment: 'production',
      }),
      expect.objectContaining({
        name: 'stage',
        skipTLSVerify: true,
        caData: 'Q0E=',
        environment: 'staging',
      }),
    ]);
    expect(read.problems).toEqual([
      expect.stringMatching(
        /clusters\[3\] \(cluster 'oidc'\)\.authProvider is 'oidc'; DASH reads clusters with a service account token only/,
      ),
      expect.stringMatching(
        /clusters\[4\] \(cluster 'no-token'\)\.serviceAccountToken is missing/,
      ),
    ]);
  });
});

describe('KubernetesSource', () => {
  it('applies to entities with the id or the label selector annotation', () => {
    const { s } = source([CLUSTER]);
    expect(s.appliesTo(svc({ 'backstage.io/kubernetes-id': 'pay' }))).toBe(
      true,
    );
    expect(
      s.appliesTo(svc({ 'backstage.io/kubernetes-label-selector': 'app=pay' })),
    ).toBe(true);
    expect(s.appliesTo(svc({ 'backstage.io/kubernetes-namespace': 'x' }))).toBe(
      false,
    );
  });

  it('explains what is missing or unreadable as a configuration problem', () => {
    const none = source([]).s;
    expect(
      none.configurationProblem(svc({ 'backstage.io/kubernetes-id': 'pay' })),
    ).toMatch(
      /kubernetes\.clusterLocatorMethods has no cluster of type 'config'/,
    );
    const { s } = source([CLUSTER]);
    expect(
      s.configurationProblem(svc({ 'backstage.io/kubernetes-id': 'pay' })),
    ).toBeUndefined();
    expect(
      s.configurationProblem(svc({ 'backstage.io/kubernetes-id': 'a b/c' })),
    ).toMatch(/is not a label value/);
    expect(
      s.configurationProblem(
        svc({
          'backstage.io/kubernetes-id': 'pay',
          'backstage.io/kubernetes-namespace': 'Not_A_Namespace',
        }),
      ),
    ).toMatch(/is not a namespace name/);
    expect(
      s.configurationProblem(
        svc({ 'backstage.io/kubernetes-label-selector': 'app=pay;drop' }),
      ),
    ).toMatch(/is not a label selector/);
    const off = source([CLUSTER], { enabled: false }).s;
    expect(
      off.configurationProblem(svc({ 'backstage.io/kubernetes-id': 'pay' })),
    ).toMatch(/turned off/);
  });

  it('keeps entities to the allowed namespaces, without calling a cluster, and warns without a list', async () => {
    const { s, logger } = source([CLUSTER], {
      allow: { namespaces: ['payments', 'team-*'] },
    });
    expect(logger.warn).not.toHaveBeenCalled();
    const ok = svc({
      'backstage.io/kubernetes-id': 'pay',
      'backstage.io/kubernetes-namespace': 'team-a',
    });
    expect(s.accessProblem(ok)).toBeUndefined();
    const everywhere = svc({ 'backstage.io/kubernetes-id': 'pay' });
    expect(s.accessProblem(everywhere)).toMatch(
      /reads every namespace .* limits DASH to 'payments', 'team-\*'/,
    );
    const system = svc({
      'backstage.io/kubernetes-id': 'pay',
      'backstage.io/kubernetes-namespace': 'kube-system',
    });
    expect(s.accessProblem(system)).toMatch(
      /names 'kube-system', not in dash\.sources\.kubernetes\.allow\.namespaces/,
    );
    const context = createTestSourceContext({ timeoutMs: 1000 });
    await expect(
      s.fetchEvents(
        {
          entity: system,
          entityRef: 'component:default/pay',
          from: new Date(0),
          to: new Date(),
        },
        context,
      ),
    ).rejects.toMatchObject({ status: 'not-allowed' });
    expect(context.upstream.calls).toEqual([]);

    const open = source([CLUSTER]);
    expect(open.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /no allow-list.*dash\.sources\.kubernetes\.allow\.namespaces/,
      ),
    );
  });

  it('cuts a cluster that never answers with the guard timeout, naming the cluster', async () => {
    let aborted = 0;
    // Never answers; counts the requests the client gave up on (the guard's signal aborted them).
    const server = http.createServer(req => {
      req.socket.on('close', () => {
        aborted += 1;
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const { s } = source([
        { ...CLUSTER, url: `http://127.0.0.1:${port}`, skipTLSVerify: true },
      ]);
      const context = createTestSourceContext({ timeoutMs: 200 });
      await expect(
        s.fetchEvents(
          {
            entity: svc({ 'backstage.io/kubernetes-id': 'pay' }),
            entityRef: 'component:default/pay',
            from: new Date(0),
            to: new Date(),
          },
          context,
        ),
      ).rejects.toMatchObject({
        status: 'timed-out',
        message: expect.stringContaining("Kubernetes cluster 'prod-eu'"),
      });
      for (let i = 0; i < 50 && aborted === 0; i++)
        await new Promise(r => setTimeout(r, 10));
      expect(aborted).toBeGreaterThan(0);
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });
});
