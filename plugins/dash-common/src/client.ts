import { ResponseError } from '@backstage/errors';
import {
  DashAlertsResponse,
  DashChangeEventInput,
  DashChangeEventResponse,
  DashDeploysResponse,
  DashDoraMetrics,
  DashEventKind,
  DashLinksResponse,
  DashOnCallResponse,
  DashRefreshResponse,
  DashSettingsResponse,
  DashTimelineResponse,
} from './types';
import { DashSearchEventsResponse } from './search';

/** The parts of Backstage's DiscoveryApi / DiscoveryService the client needs. */
export interface DashDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** The parts of Backstage's FetchApi the client needs (in a backend, a fetch that adds a token). */
export interface DashFetch {
  fetch: typeof fetch;
}

/**
 * The parts of Backstage's backend AuthService that a backend calling DASH as itself needs
 * (structural, so that this package stays usable in the browser).
 */
export interface DashServiceAuth<TCredentials = unknown> {
  getOwnServiceCredentials(): Promise<TCredentials>;
  getPluginRequestToken(options: {
    onBehalfOf: TCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }>;
}

export interface DashTimelineQuery {
  /** One or more entity refs. */
  entityRefs: string[];
  from: Date | string;
  to: Date | string;
  sources?: string[];
  kinds?: DashEventKind[];
  includeDependencies?: boolean;
  /**
   * Live mode during an incident: the backend refreshes feeds older than three quarters of its
   * live freshness (`dash.refresh.liveFreshnessSeconds`, default 15) before it answers, so each
   * poll sees the upstream's new events.
   */
  live?: boolean;
  /**
   * With `live`: this page listens for the backend's timeline signals (Backstage Signals), so
   * the backend keeps the entities' feeds fresh for a while (`dash.refresh.liveWatch`) and
   * signals new events instead of waiting for the next poll.
   */
  push?: boolean;
}

export interface DashWindowQuery {
  entityRef: string;
  from?: Date | string;
  to?: Date | string;
}

/** What the DASH backend offers; `DashClient` implements it over HTTP. */
export interface DashApi {
  getTimeline(query: DashTimelineQuery): Promise<DashTimelineResponse>;
  getOnCall(entityRef: string): Promise<DashOnCallResponse>;
  getAlerts(entityRef: string): Promise<DashAlertsResponse>;
  getDeploys(query: DashWindowQuery): Promise<DashDeploysResponse>;
  getDora(query: DashWindowQuery): Promise<DashDoraMetrics>;
  /** Links into the upstreams' own UIs (dashboards, log searches) for the window. */
  getLinks(query: DashWindowQuery): Promise<DashLinksResponse>;
  exportMarkdown(query: DashTimelineQuery): Promise<string>;
  refresh(entityRef: string, sources?: string[]): Promise<DashRefreshResponse>;
  postChange(change: DashChangeEventInput): Promise<DashChangeEventResponse>;
  /**
   * What the backend is configured to allow (the widest window). Optional so that stand-ins
   * written before it keep compiling; the UI falls back to the default while it is missing.
   */
  getSettings?(): Promise<DashSettingsResponse>;
}

/** Timelines remembered with their validators (entities and filters, not windows). */
const MAX_REMEMBERED_TIMELINES = 20;

const iso = (t: Date | string) => (typeof t === 'string' ? t : t.toISOString());

/** Typed client for the DASH backend, usable from the browser and from other backends. */
export class DashClient implements DashApi {
  private readonly discoveryApi: DashDiscovery;
  private readonly fetchApi: DashFetch;
  private readonly lastTimelines = new Map<
    string,
    { etag: string; body: DashTimelineResponse }
  >();

  constructor(options: { discoveryApi: DashDiscovery; fetchApi?: DashFetch }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...a) => fetch(...a) };
  }

  /**
   * A client for another backend plugin that calls DASH with its own service credentials (each
   * call asks the auth service for a fresh token for the `dash` plugin).
   */
  static forService<TCredentials>(options: {
    auth: DashServiceAuth<TCredentials>;
    discovery: DashDiscovery;
  }): DashClient {
    const { auth, discovery } = options;
    return new DashClient({
      discoveryApi: discovery,
      fetchApi: {
        async fetch(input, init) {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'dash',
          });
          const headers = new Headers(init?.headers);
          headers.set('authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      },
    });
  }

  /**
   * The timeline. The last answer per entities and filters is remembered with its validator
   * and sent back as `If-None-Match`: while nothing the answer shows has changed (even as the
   * window moves with the clock), the backend answers `304` without a body and this returns
   * the remembered answer, stamped with the time of the check.
   */
  async getTimeline(query: DashTimelineQuery): Promise<DashTimelineResponse> {
    const params = timelineParams(query);
    const key = timelineKey(params);
    const last = this.lastTimelines.get(key);
    const res = await this.request(
      'GET',
      '/timeline',
      params,
      undefined,
      last ? { 'if-none-match': last.etag } : undefined,
    );
    if (res.status === 304 && last) {
      return { ...last.body, generatedAt: new Date().toISOString() };
    }
    const body = (await res.json()) as DashTimelineResponse;
    const etag = res.headers?.get('etag');
    this.lastTimelines.delete(key);
    if (etag) {
      this.lastTimelines.set(key, { etag, body });
      if (this.lastTimelines.size > MAX_REMEMBERED_TIMELINES) {
        this.lastTimelines.delete(this.lastTimelines.keys().next().value!);
      }
    }
    return body;
  }

  getOnCall(entityRef: string): Promise<DashOnCallResponse> {
    return this.getJson('/oncall', new URLSearchParams({ entityRef }));
  }

  getAlerts(entityRef: string): Promise<DashAlertsResponse> {
    return this.getJson('/alerts', new URLSearchParams({ entityRef }));
  }

  getDeploys(query: DashWindowQuery): Promise<DashDeploysResponse> {
    return this.getJson('/deploys', windowParams(query));
  }

  getDora(query: DashWindowQuery): Promise<DashDoraMetrics> {
    return this.getJson('/dora', windowParams(query));
  }

  getLinks(query: DashWindowQuery): Promise<DashLinksResponse> {
    return this.getJson('/links', windowParams(query));
  }

  async exportMarkdown(query: DashTimelineQuery): Promise<string> {
    const res = await this.request('GET', '/export.md', timelineParams(query));
    return res.text();
  }

  refresh(entityRef: string, sources?: string[]): Promise<DashRefreshResponse> {
    return this.sendJson('/refresh', { entityRef, sources });
  }

  postChange(change: DashChangeEventInput): Promise<DashChangeEventResponse> {
    return this.sendJson('/changes', change);
  }

  getSettings(): Promise<DashSettingsResponse> {
    return this.getJson('/settings', new URLSearchParams());
  }

  /**
   * One page of the events Backstage search indexes, newest first (service-to-service only:
   * give a fetch that adds the calling plugin's token).
   */
  getSearchEvents(query: {
    since: Date | string;
    cursor?: string;
    limit?: number;
  }): Promise<DashSearchEventsResponse> {
    const params = new URLSearchParams({ since: iso(query.since) });
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    return this.getJson('/search-events', params);
  }

  private async getJson<T>(path: string, params: URLSearchParams): Promise<T> {
    const res = await this.request('GET', path, params);
    return (await res.json()) as T;
  }

  private async sendJson<T>(path: string, body: unknown): Promise<T> {
    const res = await this.request('POST', path, undefined, body);
    return (await res.json()) as T;
  }

  private async request(
    method: string,
    path: string,
    params?: URLSearchParams,
    body?: unknown,
    extraHeaders?: Record<string, string>,
  ): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('dash');
    const url = `${base}${path}${params ? `?${params}` : ''}`;
    const headers = {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...extraHeaders,
    };
    const res = await this.fetchApi.fetch(url, {
      method,
      headers: Object.keys(headers).length ? headers : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok && !(res.status === 304 && extraHeaders?.['if-none-match'])) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}

function timelineParams(query: DashTimelineQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const ref of query.entityRefs) params.append('entityRef', ref);
  params.set('from', iso(query.from));
  params.set('to', iso(query.to));
  if (query.sources?.length) params.set('sources', query.sources.join(','));
  if (query.kinds?.length) params.set('kinds', query.kinds.join(','));
  if (query.includeDependencies) params.set('includeDependencies', 'true');
  if (query.live) params.set('live', 'true');
  if (query.live && query.push) params.set('push', 'true');
  return params;
}

/** What makes two timeline requests the same timeline whatever their window. */
function timelineKey(params: URLSearchParams): string {
  const rest = new URLSearchParams(params);
  for (const name of ['from', 'to', 'live', 'push']) rest.delete(name);
  return rest.toString();
}

function windowParams(query: DashWindowQuery): URLSearchParams {
  const params = new URLSearchParams({ entityRef: query.entityRef });
  if (query.from) params.set('from', iso(query.from));
  if (query.to) params.set('to', iso(query.to));
  return params;
}
