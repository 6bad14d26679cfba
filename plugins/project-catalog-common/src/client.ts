import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
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
    return (await this.request('GET', projectPath(entityRef))).json();
  }

  async createProject(request: CreateProjectRequest): Promise<ProjectView> {
    return (await this.request('POST', '/projects', request)).json();
  }

  async updateProject(
    entityRef: string,
    request: UpdateProjectRequest,
  ): Promise<ProjectView> {
    return (await this.request('PATCH', projectPath(entityRef), request)).json();
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
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    return (await this.request('GET', `/audit?${params}`)).json();
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
