import { Entity } from '@backstage/catalog-model';
import { EditableAnnotation, ProjectType, QuickLink } from './fields';

/**
 * Who owns a field of a project: its YAML (read-only in the UI), the UI (an overlay, or a
 * UI-created project), or nobody yet.
 */
export type FieldOwner = 'yaml' | 'ui' | 'unset';

export interface ProjectFieldState {
  key: string;
  /** The value the catalog serves now. */
  value?: unknown;
  owner: FieldOwner;
  /** For YAML-owned fields: the file that defines it (its origin location). */
  definedIn?: string;
  /** The UI's stored value, also when YAML shadows it. */
  overlay?: {
    value: unknown;
    updatedBy: string;
    updatedAt: string;
    /** True when the entity's YAML now defines the field: YAML wins, this edit is not shown. */
    shadowed: boolean;
  };
}

/** A project as the Project Catalog backend describes it. */
export interface ProjectView {
  entityRef: string;
  /** `ui`: created in the UI, no YAML anywhere; `catalog`: from YAML or another provider. */
  origin: 'ui' | 'catalog';
  /** The version to send with the next write; 0 before any UI edit. */
  version: number;
  updatedBy?: string;
  updatedAt?: string;
  fields: ProjectFieldState[];
  /** The entity as the catalog serves it (overlays merged), when the catalog has it yet. */
  entity?: Entity;
}

/** `POST /projects` */
export interface CreateProjectRequest {
  name: string;
  namespace?: string;
  title?: string;
  type: ProjectType;
  /** A group reference, e.g. `group:default/team-sre` or `team-sre`. */
  owner: string;
  system?: string;
  lifecycle: string;
  tier?: string;
  description?: string;
  tags?: string[];
  links?: QuickLink[];
  /** The suite's annotations, e.g. `{ 'github.com/project-slug': 'acme/new-svc' }`. */
  annotations?: Partial<Record<EditableAnnotation, string>>;
}

/** `PATCH /projects/:kind/:namespace/:name` */
export interface UpdateProjectRequest {
  /** The `version` of the `ProjectView` the change was made on. */
  version: number;
  /** Field keys (see `PROJECT_FIELDS`) and their new values. */
  set?: Record<string, unknown>;
  /** Field keys whose UI value is removed. */
  unset?: string[];
}

/** The body of a 409 on a stale version: the project as it is now, and who changed it. */
export interface VersionConflict {
  error: { name: 'ConflictError'; message: string };
  current: ProjectView;
}

export type AuditOutcome = 'succeeded' | 'refused' | 'failed';

export interface AuditEntry {
  id: string;
  /** ISO 8601, UTC. */
  time: string;
  /** The user or service entity ref that made the request. */
  actor: string;
  /** e.g. `project.create`, `project.update`, `project.delete`, `campaign.update`. */
  action: string;
  entityRef?: string;
  field?: string;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  /** Why a write was refused or failed. */
  reason?: string;
  requestId?: string;
}

export interface AuditQuery {
  entityRef?: string;
  actor?: string;
  field?: string;
  action?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next, older page; absent on the last page. */
  nextCursor?: string;
}

/**
 * `GET /catalog-feed` (service-to-service, for the catalog module): every overlay and every
 * UI-created project, with a revision that changes on every write.
 */
export interface CatalogFeed {
  revision: number;
  overlays: Array<{ entityRef: string; fields: Record<string, unknown> }>;
  projects: Entity[];
}

/** The events-service topic on which the backend announces writes. */
export const PROJECT_CATALOG_TOPIC = 'project-catalog.changed';

/** The payload of an announcement on `PROJECT_CATALOG_TOPIC`. */
export interface ProjectCatalogChange {
  entityRef: string;
  revision: number;
  kind: 'overlay' | 'project';
}
