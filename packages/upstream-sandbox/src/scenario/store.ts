/*
 * The scenario store: builds the public Scenario (services and stories) and serves each
 * service's generated data to the upstream handlers. 'demo' and 'empty' generate their dozen
 * services at once (the stories touch several); 'scale' generates a service's data on first use,
 * from (seed, index) alone, so that 10,000 services start in milliseconds.
 */
import {
  LiveReplay,
  Scenario,
  ScenarioPagerDutyService,
  ScenarioService,
  SandboxOptions,
  Story,
} from '../types';
import { Rng } from '../random';
import { DAY, SECOND } from '../time';
import { defaultCatalogDir, readCatalog } from './catalog';
import {
  GenContext,
  GenState,
  IdAllocator,
  MAX_SCALE_SERVICES,
  alertRuleUids,
  dashboardUids,
  generateService,
  generateStaticData,
  indexPrefix,
  kibanaRuleId,
  kibanaRuleTags,
  repoInfo,
  setupTime,
  teamForService,
} from './generate';
import {
  ServiceData,
  StaticData,
  Team,
  emptyServiceData,
  sortServiceData,
} from './model';
import { Org, orgForScale, orgFromCatalog } from './org';
import { RepoRegistry } from './repos';
import {
  indexOfIntegrationKey,
  integrationKey,
  pagerDutyGroundTruth,
  pdServiceTruth,
  scaleIntegrationId,
  unownedPdServices,
} from './pdServices';
import { buildLiveStory, buildStories, storyQuietWindows } from './stories';
import { PendingStory } from './storyKit';

export { MAX_SCALE_SERVICES };
/** 'scale': how many services' generated data stay in memory (least recently used go). */
export const MAX_CACHED_SERVICES = 1_000;

/** The scale scenario's service i, with the annotations a catalog would carry. */
export function scaleService(i: number): ScenarioService {
  const name = `svc-${String(i).padStart(5, '0')}`;
  const pdId = `P${i.toString(36).toUpperCase().padStart(6, '0')}`;
  const deps: string[] = [];
  if (i > 0)
    deps.push(
      `component:default/svc-${String(Math.floor(i / 2)).padStart(5, '0')}`,
    );
  if (i > 2 && i % 3 === 0)
    deps.push(`component:default/svc-${String(i - 3).padStart(5, '0')}`);
  const annotations: Record<string, string> = {
    'pagerduty.com/service-id': pdId,
    'github.com/project-slug': `scale/${name}`,
    'grafana/dashboard-selector': `tags @> '${name}'`,
    'grafana/alert-label-selector': `service=${name}`,
    'kibana/index-pattern': `logs-${name}-*`,
    'kibana/log-query': `service.name:"${name}" AND log.level:error`,
    'kibana/data-view-id': `logs-${name}`,
  };
  return {
    index: i,
    name,
    entityRef: `component:default/${name}`,
    type: 'service',
    description: `Generated service ${i} of the scale scenario`,
    tags: [],
    owner: `group:default/team-${String(i % 50).padStart(2, '0')}`,
    system: `system-${String(i % 20).padStart(2, '0')}`,
    dependsOn: deps,
    pagerdutyServiceId: pdId,
    githubSlug: `scale/${name}`,
    grafanaDashboardSelector: annotations['grafana/dashboard-selector'],
    grafanaTag: name,
    alertLabelSelector: annotations['grafana/alert-label-selector'],
    esIndexPattern: annotations['kibana/index-pattern'],
    kibanaLogQuery: annotations['kibana/log-query'],
    kibanaDataViewId: annotations['kibana/data-view-id'],
    annotations,
  };
}

export class ScenarioStore {
  readonly scenario: Scenario;
  readonly org: Org;
  readonly ctx: GenContext;
  /** Start of the history (epoch ms). */
  readonly from: number;
  /** When the setup objects (GitHub App, Grafana rules) were made: fixed, unless the history starts before. */
  readonly setupAt: number;
  private readonly states = new Map<number, GenState>();
  private readonly byPdId = new Map<string, number>();
  private readonly bySlug = new Map<string, number>();
  private readonly byTag = new Map<string, number[]>();
  private readonly byIndexPrefix = new Map<string, number[]>();
  private readonly byDashboardUid = new Map<string, number>();
  private readonly byRuleUid = new Map<string, number>();
  private readonly byKibanaRuleId = new Map<string, number>();
  /** Kibana rule tags (lower case) to the services whose rule carries them. */
  private readonly byKibanaTag = new Map<string, number[]>();
  private readonly byTeam = new Map<string, number[]>();
  private readonly pdIntegrations = new Map<string, ScenarioPagerDutyService>();
  readonly indexPrefixes: string[] = [];
  private replays = 0;
  private generations = 0;
  /** Installation tokens handed out by the GitHub App endpoint. */
  readonly issuedGithubTokens = new Set<string>();
  /** The GitHub repositories and teams, with their files. */
  readonly repos: RepoRegistry;

  constructor(options: SandboxOptions) {
    const kind = options.scenario ?? 'demo';
    if (!['demo', 'scale', 'empty'].includes(kind)) {
      throw new Error(
        `upstream-sandbox: unknown scenario '${kind}' (demo, scale or empty)`,
      );
    }
    const seed = options.seed ?? 42;
    const now = options.now ?? Date.now();
    const days = options.days ?? 14;
    if (!(days > 0 && days <= 400))
      throw new Error('upstream-sandbox: days must be in (0, 400]');
    const anchor = Math.floor(now / SECOND) * SECOND;
    const eventsPerDay = options.eventsPerDay ?? 20;
    let services: ScenarioService[];
    if (kind === 'scale') {
      const n = options.services ?? 100;
      if (!Number.isInteger(n) || n < 1 || n > MAX_SCALE_SERVICES) {
        throw new Error(
          `upstream-sandbox: services must be an integer in [1, ${MAX_SCALE_SERVICES}]`,
        );
      }
      services = Array.from({ length: n }, (_, i) => scaleService(i));
      this.org = orgForScale(seed);
    } else {
      const catalog = readCatalog(options.catalogDir ?? defaultCatalogDir());
      services = catalog.services;
      this.org = orgFromCatalog(catalog, seed);
    }
    this.from = anchor - days * DAY;
    this.setupAt = setupTime(this.from);
    // The catalog scenarios' PagerDuty account also has services no catalog entity names: they
    // follow the catalog's services in ctx.services, never in scenario.services.
    const unowned =
      kind === 'scale' ? [] : unownedPdServices(services, this.org);
    this.ctx = {
      seed,
      kind,
      anchor,
      from: this.from,
      eventsPerDay,
      org: this.org,
      services: [...services, ...unowned],
      quiet: kind === 'demo' ? storyQuietWindows(anchor, services) : new Map(),
    };
    for (const svc of this.ctx.services) this.index(svc);
    // 'scale' lists no PagerDuty ground truth (10,000 services): pdIntegration() computes it.
    const pagerduty =
      kind === 'scale'
        ? { services: [] }
        : pagerDutyGroundTruth(
            this.ctx.services,
            services.length,
            seed,
            s => this.teamOf(s).name,
          );
    for (const p of pagerduty.services) this.pdIntegrations.set(p.id, p);
    this.repos = new RepoRegistry({
      kind,
      services,
      org: this.org,
      seed,
      anchor,
      serviceBySlug: (owner, repo) => this.serviceBySlug(owner, repo),
    });

    let stories: Story[] = [];
    if (kind !== 'scale') {
      for (const svc of services) {
        this.states.set(svc.index, generateService(this.ctx, svc).st);
        this.generations++;
      }
      // No history for the services no entity names, until an event is sent to them.
      for (const svc of unowned) {
        const info = repoInfo(this.ctx, svc);
        this.states.set(svc.index, {
          data: emptyServiceData(info.repoId, info.repoCreatedAt),
          ids: new IdAllocator(svc.index),
          rng: new Rng(seed, 'svc', svc.index),
        });
      }
      const pending = kind === 'demo' ? buildStories(this.world()) : [];
      // Stories may add alert rules of their own (a memory warning): found by uid like the others.
      for (const [i, st] of this.states)
        for (const rule of st.data.alertRules) this.byRuleUid.set(rule.uid, i);
      for (const st of this.states.values()) sortServiceData(st.data);
      stories = pending.map(p => this.fillNumber(p));
    }
    const live =
      kind === 'demo'
        ? services.find(s => s.name === 'checkout-api')
        : undefined;
    this.scenario = {
      kind,
      seed,
      now,
      days,
      eventsPerDay,
      services,
      stories,
      github: this.repos.github,
      pagerduty,
      live:
        live && live.pagerdutyServiceId && live.githubSlug
          ? {
              entityRef: live.entityRef,
              pagerdutyServiceId: live.pagerdutyServiceId,
              githubSlug: live.githubSlug,
            }
          : undefined,
    };
  }

  private index(svc: ScenarioService): void {
    const seed = this.ctx.seed;
    const i = svc.index;
    if (svc.pagerdutyServiceId) this.byPdId.set(svc.pagerdutyServiceId, i);
    if (svc.githubSlug)
      this.bySlug.set(svc.githubSlug.toLocaleLowerCase('en-US'), i);
    if (svc.grafanaTag) {
      push(this.byTag, svc.grafanaTag, i);
      for (const uid of dashboardUids(seed, svc))
        this.byDashboardUid.set(uid, i);
    }
    if (svc.alertLabelSelector)
      for (const uid of alertRuleUids(seed, svc)) this.byRuleUid.set(uid, i);
    if (svc.esIndexPattern) {
      const prefix = indexPrefix(svc.esIndexPattern);
      if (!this.byIndexPrefix.has(prefix)) this.indexPrefixes.push(prefix);
      push(this.byIndexPrefix, prefix, i);
      this.byKibanaRuleId.set(kibanaRuleId(seed, svc), i);
      for (const tag of kibanaRuleTags(svc))
        push(this.byKibanaTag, tag.toLocaleLowerCase('en-US'), i);
    }
    push(this.byTeam, teamForService(this.ctx, svc).name, i);
  }

  private world() {
    const byName = new Map(this.ctx.services.map(s => [s.name, s]));
    return {
      ctx: this.ctx,
      service: (name: string) => {
        const svc = byName.get(name);
        if (!svc) return undefined;
        return { svc, st: this.state(svc.index) };
      },
    };
  }

  private state(index: number): GenState {
    let st = this.states.get(index);
    if (!st) {
      st = generateService(this.ctx, this.ctx.services[index]).st;
      this.generations++;
      sortServiceData(st.data);
      this.states.set(index, st);
      // 'scale' keeps the most recently used services only: the data is a pure function of
      // (seed, index), so an evicted service is generated again, identically, when asked for.
      if (this.ctx.kind === 'scale' && this.states.size > MAX_CACHED_SERVICES) {
        const oldest = this.states.keys().next().value as number;
        this.states.delete(oldest);
      }
    } else if (this.ctx.kind === 'scale') {
      this.states.delete(index);
      this.states.set(index, st);
    }
    return st;
  }

  /** The repository id and creation time of a service, without generating its data. */
  repoInfo(index: number): { repoId: number; repoCreatedAt: number } {
    return repoInfo(this.ctx, this.ctx.services[index]);
  }

  private fillNumber(p: PendingStory): Story {
    if (p.incident && p.story.incident)
      p.story.incident.incidentNumber = p.incident.number;
    return p.story;
  }

  /**
   * How many times a service's data was generated: every service at the start for 'demo' and
   * 'empty'; for 'scale' each first use, and each use after the service was evicted.
   */
  get generated(): number {
    return this.generations;
  }

  /** A service's generated data (generated now when it was not yet). */
  data(index: number): ServiceData {
    return this.state(index).data;
  }

  /**
   * A service's dashboards, alert rules and Kibana rules, without generating its data (for the
   * lists that span every service): 'scale' computes them from the service alone when its data
   * is not in memory; the catalog scenarios hold every service's data (with the stories' rules).
   */
  staticData(index: number): StaticData {
    const st = this.states.get(index);
    if (st) return st.data;
    if (this.ctx.kind !== 'scale') return this.data(index);
    return generateStaticData(this.ctx, this.ctx.services[index]);
  }

  /**
   * The services whose data is in memory now, by index, without generating or touching any
   * ('scale' holds the most recently used; the catalog scenarios every service).
   */
  inMemory(): Array<{ index: number; data: ServiceData }> {
    return [...this.states.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, st]) => ({ index, data: st.data }));
  }

  service(index: number): ScenarioService {
    return this.ctx.services[index];
  }

  /** Every service: the scenario's, then (catalog scenarios) the PagerDuty services no entity names. */
  get services(): ScenarioService[] {
    return this.ctx.services;
  }

  serviceByPdId(id: string): ScenarioService | undefined {
    const i = this.byPdId.get(id);
    return i === undefined ? undefined : this.ctx.services[i];
  }

  /** The service whose Events API v2 integration key this is. */
  serviceByRoutingKey(key: string): ScenarioService | undefined {
    const i = indexOfIntegrationKey(key);
    const svc = i === undefined ? undefined : this.ctx.services[i];
    if (!svc?.pagerdutyServiceId) return undefined;
    return integrationKey(this.ctx.seed, svc.pagerdutyServiceId, svc.index) ===
      key
      ? svc
      : undefined;
  }

  /** A PagerDuty service's Events API v2 integration (and ground truth). */
  pdIntegration(pdId: string): ScenarioPagerDutyService | undefined {
    const known = this.pdIntegrations.get(pdId);
    if (known || this.ctx.kind !== 'scale') return known;
    const svc = this.serviceByPdId(pdId);
    return svc
      ? pdServiceTruth(svc, {
          seed: this.ctx.seed,
          inCatalog: true,
          team: this.teamOf(svc).name,
          integrationId: scaleIntegrationId(pdId),
        })
      : undefined;
  }

  serviceBySlug(owner: string, repo: string): ScenarioService | undefined {
    const i = this.bySlug.get(`${owner}/${repo}`.toLocaleLowerCase('en-US'));
    return i === undefined ? undefined : this.ctx.services[i];
  }

  servicesByTag(tag: string): number[] {
    return this.byTag.get(tag) ?? [];
  }

  servicesByIndexPrefix(prefix: string): number[] {
    return this.byIndexPrefix.get(prefix) ?? [];
  }

  serviceByDashboardUid(uid: string): number | undefined {
    return this.byDashboardUid.get(uid);
  }

  serviceByRuleUid(uid: string): number | undefined {
    return this.byRuleUid.get(uid);
  }

  serviceByKibanaRuleId(id: string): number | undefined {
    return this.byKibanaRuleId.get(id);
  }

  /** The services whose Kibana rule carries `tag` (compared in lower case), by index. */
  servicesByKibanaTag(tag: string): number[] {
    return this.byKibanaTag.get(tag.toLocaleLowerCase('en-US')) ?? [];
  }

  servicesOfTeam(team: Team): number[] {
    return this.byTeam.get(team.name) ?? [];
  }

  teamOf(svc: ScenarioService): Team {
    return teamForService(this.ctx, svc);
  }

  /** The moment up to which events are visible: the later of the real clock and the anchor. */
  asOf(): number {
    return Math.max(Date.now(), this.ctx.anchor);
  }

  /** Plays the live story from now on; its events become visible as their time passes. */
  replayLive(stepMs: number): LiveReplay {
    if (this.ctx.kind !== 'demo') {
      throw new Error(
        'upstream-sandbox: replayLive needs the demo scenario (checkout-api)',
      );
    }
    if (!(stepMs > 0))
      throw new Error('upstream-sandbox: stepMs must be positive');
    this.replays++;
    const t0 = Date.now();
    const pending = buildLiveStory(this.world(), {
      t0,
      stepMs,
      replay: this.replays,
    });
    if (!pending)
      throw new Error(
        'upstream-sandbox: the catalog has no checkout-api component',
      );
    const svc = this.ctx.services.find(s => s.name === 'checkout-api')!;
    sortServiceData(this.data(svc.index));
    const story = this.fillNumber(pending);
    return { story, startedAt: t0, stepMs, endsAt: t0 + 7 * stepMs };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
