import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  Campaign,
  CampaignCheckTypeInfo,
  CampaignEntityPage,
  CampaignEntityQuery,
  CampaignEntityStatus,
  CampaignHistory,
  CreateCampaignRequest,
  EntityCampaign,
  SetExemptionRequest,
  SetManualStatusRequest,
  UpdateCampaignRequest,
} from './campaigns';
import {
  DiscoveryActionsRequest,
  DiscoveryActionsResponse,
  DiscoveryStatus,
  DiscoverySuggestionPage,
  DiscoverySuggestionQuery,
} from './discovery';
import { PageOnCallRequest, PageOnCallResult } from './oncall';
import {
  AuditPage,
  AuditQuery,
  CreateProjectRequest,
  ProjectView,
  UpdateProjectRequest,
} from './types';

/** The parts of Backstage's DiscoveryApi / DiscoveryService the client needs. */
export interface ProjectCatalogDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** The parts of Backstage's FetchApi the client needs (in a backend, a fetch that adds a token). */
export interface ProjectCatalogFetch {
  fetch: typeof fetch;
}

/** What the Project Catalog backend offers; `ProjectCatalogClient` implements it over HTTP. */
export interface ProjectCatalogApi {
  getProject(entityRef: string): Promise<ProjectView>;
  createProject(request: CreateProjectRequest): Promise<ProjectView>;
  /** Throws a `ResponseError` with status 409 on a stale version or a YAML-owned field. */
  updateProject(
    entityRef: string,
    request: UpdateProjectRequest,
  ): Promise<ProjectView>;
  deleteProject(entityRef: string): Promise<void>;
  /** The project as the `catalog-info.yaml` that would define it. */
  exportYaml(entityRef: string): Promise<string>;
  getAudit(query: AuditQuery): Promise<AuditPage>;

  listCampaigns(): Promise<Campaign[]>;
  getCampaign(id: string): Promise<Campaign>;
  createCampaign(request: CreateCampaignRequest): Promise<Campaign>;
  /** Throws a `ResponseError` with status 409 on a stale version or a campaign from config. */
  updateCampaign(id: string, request: UpdateCampaignRequest): Promise<Campaign>;
  deleteCampaign(id: string, version: number): Promise<void>;
  getCampaignEntities(
    id: string,
    query?: CampaignEntityQuery,
  ): Promise<CampaignEntityPage>;
  /** Daily counts for the burn-up: the whole campaign, one `team`, or every team (`byTeam`). */
  getCampaignHistory(
    id: string,
    query?: { team?: string; byTeam?: boolean; from?: string; to?: string },
  ): Promise<CampaignHistory>;
  /** Starts an evaluation of the campaign now. */
  evaluateCampaign(id: string): Promise<void>;
  setCampaignManualStatus(
    id: string,
    entityRef: string,
    request: SetManualStatusRequest,
  ): Promise<CampaignEntityStatus>;
  clearCampaignManualStatus(
    id: string,
    entityRef: string,
  ): Promise<CampaignEntityStatus>;
  setCampaignExemption(
    id: string,
    entityRef: string,
    request: SetExemptionRequest,
  ): Promise<CampaignEntityStatus>;
  clearCampaignExemption(
    id: string,
    entityRef: string,
  ): Promise<CampaignEntityStatus>;
  /** The campaigns whose scope holds the entity, with its status in each. */
  getEntityCampaigns(entityRef: string): Promise<EntityCampaign[]>;
  getCampaignCheckTypes(): Promise<CampaignCheckTypeInfo[]>;

  /** Discovery's review queue, one page at a time (newest first). */
  listSuggestions(
    query?: DiscoverySuggestionQuery,
  ): Promise<DiscoverySuggestionPage>;
  getDiscoveryStatus(): Promise<DiscoveryStatus>;
  /** Scans every configured upstream now; answers with the new status. */
  scanDiscovery(): Promise<DiscoveryStatus>;
  /** Adopt, ignore or merge suggestions; each action answers for itself. */
  actOnSuggestions(
    request: DiscoveryActionsRequest,
  ): Promise<DiscoveryActionsResponse>;

  /** Opens a PagerDuty incident for the entity (Events API v2, through the backend). */
  pageOnCall(
    entityRef: string,
    request: PageOnCallRequest,
  ): Promise<PageOnCallResult>;
}

/** `/projects/<kind>/<namespace>/<name>`, from any entity ref (kind defaults to component). */
export function projectPath(entityRef: string | CompoundEntityRef): string {
  const ref =
    typeof entityRef === 'string'
      ? parseEntityRef(entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        })
      : entityRef;
  return `/projects/${[ref.kind, ref.namespace, ref.name]
    .map(s => encodeURIComponent(s.toLocaleLowerCase('en-US')))
    .join('/')}`;
}

/** `/campaigns/<id>`. */
const campaignPath = (id: string) => `/campaigns/${encodeURIComponent(id)}`;

/** `/campaigns/<id>/entities/<kind>/<namespace>/<name>`. */
const campaignEntityPath = (id: string, entityRef: string) =>
  `${campaignPath(id)}/entities${projectPath(entityRef).slice(
    '/projects'.length,
  )}`;

/** Query parameters from defined values; lists are joined with commas. */
function queryOf(query: object = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Typed client for the Project Catalog backend, usable from the browser and from other backends. */
export class ProjectCatalogClient implements ProjectCatalogApi {
  private readonly discoveryApi: ProjectCatalogDiscovery;
  private readonly fetchApi: ProjectCatalogFetch;

  constructor(options: {
    discoveryApi: ProjectCatalogDiscovery;
    fetchApi?: ProjectCatalogFetch;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...a) => fetch(...a) };
  }

  async getProject(entityRef: string): Promise<ProjectView> {
    return this.json('GET', projectPath(entityRef));
  }

  async createProject(request: CreateProjectRequest): Promise<ProjectView> {
    return this.json('POST', '/projects', request);
  }

  async updateProject(
    entityRef: string,
    request: UpdateProjectRequest,
  ): Promise<ProjectView> {
    return this.json('PATCH', projectPath(entityRef), request);
  }

  async deleteProject(entityRef: string): Promise<void> {
    await this.request('DELETE', projectPath(entityRef));
  }

  async exportYaml(entityRef: string): Promise<string> {
    return (
      await this.request('GET', `${projectPath(entityRef)}/catalog-info.yaml`)
    ).text();
  }

  async getAudit(query: AuditQuery): Promise<AuditPage> {
    return this.json('GET', `/audit${queryOf(query)}`);
  }

  async listCampaigns(): Promise<Campaign[]> {
    return this.items('/campaigns');
  }

  async getCampaign(id: string): Promise<Campaign> {
    return this.json('GET', campaignPath(id));
  }

  async createCampaign(request: CreateCampaignRequest): Promise<Campaign> {
    return this.json('POST', '/campaigns', request);
  }

  async updateCampaign(
    id: string,
    request: UpdateCampaignRequest,
  ): Promise<Campaign> {
    return this.json('PATCH', campaignPath(id), request);
  }

  async deleteCampaign(id: string, version: number): Promise<void> {
    await this.request('DELETE', `${campaignPath(id)}${queryOf({ version })}`);
  }

  async getCampaignEntities(
    id: string,
    query: CampaignEntityQuery = {},
  ): Promise<CampaignEntityPage> {
    return this.json('GET', `${campaignPath(id)}/entities${queryOf(query)}`);
  }

  async getCampaignHistory(
    id: string,
    query: { team?: string; byTeam?: boolean; from?: string; to?: string } = {},
  ): Promise<CampaignHistory> {
    return this.json('GET', `${campaignPath(id)}/history${queryOf(query)}`);
  }

  async evaluateCampaign(id: string): Promise<void> {
    await this.request('POST', `${campaignPath(id)}/evaluate`);
  }

  async setCampaignManualStatus(
    id: string,
    entityRef: string,
    request: SetManualStatusRequest,
  ): Promise<CampaignEntityStatus> {
    return this.json(
      'PUT',
      `${campaignEntityPath(id, entityRef)}/manual`,
      request,
    );
  }

  async clearCampaignManualStatus(
    id: string,
    entityRef: string,
  ): Promise<CampaignEntityStatus> {
    return this.json('DELETE', `${campaignEntityPath(id, entityRef)}/manual`);
  }

  async setCampaignExemption(
    id: string,
    entityRef: string,
    request: SetExemptionRequest,
  ): Promise<CampaignEntityStatus> {
    return this.json(
      'PUT',
      `${campaignEntityPath(id, entityRef)}/exemption`,
      request,
    );
  }

  async clearCampaignExemption(
    id: string,
    entityRef: string,
  ): Promise<CampaignEntityStatus> {
    return this.json(
      'DELETE',
      `${campaignEntityPath(id, entityRef)}/exemption`,
    );
  }

  async getEntityCampaigns(entityRef: string): Promise<EntityCampaign[]> {
    return this.items(`${projectPath(entityRef)}/campaigns`);
  }

  async getCampaignCheckTypes(): Promise<CampaignCheckTypeInfo[]> {
    return this.items('/campaign-check-types');
  }

  async listSuggestions(
    query: DiscoverySuggestionQuery = {},
  ): Promise<DiscoverySuggestionPage> {
    return this.json('GET', `/discovery/suggestions${queryOf(query)}`);
  }

  async getDiscoveryStatus(): Promise<DiscoveryStatus> {
    return this.json('GET', '/discovery/status');
  }

  async scanDiscovery(): Promise<DiscoveryStatus> {
    return this.json('POST', '/discovery/scan');
  }

  async actOnSuggestions(
    request: DiscoveryActionsRequest,
  ): Promise<DiscoveryActionsResponse> {
    return this.json('POST', '/discovery/suggestions/actions', request);
  }

  async pageOnCall(
    entityRef: string,
    request: PageOnCallRequest,
  ): Promise<PageOnCallResult> {
    return this.json('POST', `${projectPath(entityRef)}/page`, request);
  }

  /** A request whose answer is JSON of the type the caller declares. */
  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    return (await this.request(method, path, body)).json();
  }

  /** A list route's answer, `{ items }`, as its items. */
  private async items<T>(path: string): Promise<T[]> {
    return (await this.json<{ items: T[] }>('GET', path)).items;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('project-catalog');
    const res = await this.fetchApi.fetch(`${base}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}
