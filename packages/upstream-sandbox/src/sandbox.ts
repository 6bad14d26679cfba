/*
 * startSandbox: builds the scenario and starts the five upstreams and the admin server on
 * 127.0.0.1.
 */
import {
  FaultSpec,
  Sandbox,
  SandboxOptions,
  UPSTREAM_NAMES,
  UpstreamName,
} from './types';
import { ScenarioStore } from './scenario/store';
import { RequestLog } from './http/log';
import { UpstreamDef, UpstreamServer } from './http/server';
import { createPagerDuty } from './upstreams/pagerduty';
import { createGitHub } from './upstreams/github';
import { createGrafana } from './upstreams/grafana';
import { createKibana } from './upstreams/kibana';
import { createElasticsearch } from './upstreams/elasticsearch';
import { createKubernetes } from './upstreams/kubernetes';
import { createSlack } from './upstreams/slack';
import { AdminServer } from './admin';
import { parseFaultSpec } from './faults';

/** The default accepted credential of an upstream. */
export function defaultToken(name: UpstreamName): string {
  return `sandbox-${name}-token`;
}

/** Default live story step: 30 s, so the whole story takes 3.5 minutes. */
export const DEFAULT_STEP_MS = 30_000;

export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const faults: Partial<Record<UpstreamName, FaultSpec>> = {};
  for (const [name, spec] of Object.entries(options.faults ?? {})) {
    if (!UPSTREAM_NAMES.includes(name as UpstreamName))
      throw new Error(`upstream-sandbox: unknown upstream '${name}' in faults`);
    if (spec) faults[name as UpstreamName] = parseFaultSpec(spec);
  }
  const store = new ScenarioStore(options);
  const tokens = Object.fromEntries(
    UPSTREAM_NAMES.map(n => [n, options.tokens?.[n] ?? defaultToken(n)]),
  ) as Record<UpstreamName, string>;
  const log = new RequestLog();
  const defs: Record<UpstreamName, UpstreamDef> = {
    pagerduty: createPagerDuty(store, {
      token: tokens.pagerduty,
      perMinute: options.rateLimits?.pagerdutyPerMinute ?? 960,
      windowScale: options.rateLimits?.windowScale,
    }),
    github: createGitHub(store, {
      token: tokens.github,
      perHour: options.rateLimits?.githubPerHour ?? 5000,
      windowScale: options.rateLimits?.windowScale,
    }),
    grafana: createGrafana(store, { token: tokens.grafana }),
    kibana: createKibana(store, { token: tokens.kibana }),
    elasticsearch: createElasticsearch(store, { token: tokens.elasticsearch }),
    kubernetes: createKubernetes(store, { token: tokens.kubernetes }),
    slack: createSlack(store, {
      token: tokens.slack,
      perMinute: options.rateLimits?.slackTier2PerMinute ?? 20,
    }),
  };
  const servers = {} as Record<UpstreamName, UpstreamServer>;
  const urls = {} as Record<UpstreamName | 'admin', string>;
  let admin: AdminServer | undefined;
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    for (const name of UPSTREAM_NAMES) {
      const server = new UpstreamServer(
        defs[name],
        log,
        store.ctx.seed,
        faults[name],
      );
      urls[name] = await server.listen(options.ports?.[name] ?? 0);
      servers[name] = server;
      started.push(server);
    }
    const sandbox: Sandbox = {
      urls,
      tokens,
      scenario: store.scenario,
      requests: filter => log.list(filter),
      counters: () => log.counters(),
      statuses: () => log.statuses(),
      resetCounters: () => log.reset(),
      setFaults(upstream, spec) {
        if (!servers[upstream])
          throw new Error(`upstream-sandbox: unknown upstream '${upstream}'`);
        servers[upstream].setFaults(
          spec === undefined ? undefined : parseFaultSpec(spec),
        );
      },
      generatedServices: () => store.generated,
      replayLive: opts => store.replayLive(opts?.stepMs ?? DEFAULT_STEP_MS),
      async stop() {
        await Promise.all([...started.map(s => s.close())]);
      },
    };
    admin = new AdminServer({
      scenario: store.scenario,
      urls: () => urls,
      tokens,
      requests: sandbox.requests,
      counters: sandbox.counters,
      resetCounters: sandbox.resetCounters,
      setFaults: sandbox.setFaults,
      getFaults: () =>
        Object.fromEntries(
          UPSTREAM_NAMES.map(n => [n, servers[n].getFaults()]).filter(
            ([, f]) => f !== undefined,
          ),
        ),
      replayLive: sandbox.replayLive,
    });
    urls.admin = await admin.listen(options.ports?.admin ?? 0);
    started.push(admin);
    return sandbox;
  } catch (e) {
    await Promise.all(started.map(s => s.close().catch(() => undefined)));
    throw e;
  }
}
