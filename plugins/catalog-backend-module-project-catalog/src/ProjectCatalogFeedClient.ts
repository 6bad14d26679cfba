import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CatalogFeed } from '@dash-suite/plugin-project-catalog-common';

/** The plugin id of the Project Catalog backend, whose `/catalog-feed` is read. */
export const PROJECT_CATALOG_PLUGIN_ID = 'project-catalog';

/** What one conditional GET of the feed answered. */
export type CatalogFeedResult =
  | { notModified: true }
  | { notModified: false; feed: CatalogFeed; etag?: string };

/**
 * Where `OverlayCache` gets the feed from. `ProjectCatalogFeedClient` reads it over HTTP; a
 * test passes its own.
 *
 * @public
 */
export interface CatalogFeedSource {
  /** Sends `If-None-Match: etag` when given; throws on any failure. */
  fetchFeed(etag?: string): Promise<CatalogFeedResult>;
}

/** The part of `fetch` the client uses, so that tests can inject one. */
export type FeedFetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<Response>;

/**
 * Reads `GET /catalog-feed` of the Project Catalog backend with the catalog's own service
 * credentials (a plugin request token for `project-catalog`), conditionally on the last ETag.
 *
 * @public
 */
export class ProjectCatalogFeedClient implements CatalogFeedSource {
  private readonly discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  private readonly auth: Pick<
    AuthService,
    'getOwnServiceCredentials' | 'getPluginRequestToken'
  >;
  private readonly fetchFn: FeedFetch;
  private readonly timeoutMs: number;

  constructor(options: {
    discovery: Pick<DiscoveryService, 'getBaseUrl'>;
    auth: Pick<
      AuthService,
      'getOwnServiceCredentials' | 'getPluginRequestToken'
    >;
    /** Defaults to the platform `fetch`. */
    fetch?: FeedFetch;
    /** A request that takes longer is aborted and counts as a failure. Default 10 s. */
    timeoutMs?: number;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async fetchFeed(etag?: string): Promise<CatalogFeedResult> {
    const baseUrl = await this.discovery.getBaseUrl(PROJECT_CATALOG_PLUGIN_ID);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: PROJECT_CATALOG_PLUGIN_ID,
    });
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    };
    if (etag) headers['if-none-match'] = etag;
    const res = await this.fetchFn(`${baseUrl}/catalog-feed`, {
      headers,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (res.status === 304) {
      return { notModified: true };
    }
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    const feed = parseCatalogFeed(await res.json());
    return {
      notModified: false,
      feed,
      etag: res.headers.get('etag') ?? undefined,
    };
  }
}

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the shape of a feed body; throws on a body that is not a `CatalogFeed`, so that a
 * broken answer is treated like a failed request (the last good feed stays in use).
 */
export function parseCatalogFeed(body: unknown): CatalogFeed {
  if (
    !isObject(body) ||
    typeof body.revision !== 'number' ||
    !Number.isFinite(body.revision) ||
    !Array.isArray(body.overlays) ||
    !Array.isArray(body.projects)
  ) {
    throw new TypeError(
      'Malformed catalog feed: expected { revision: number, overlays: [], projects: [] }',
    );
  }
  for (const overlay of body.overlays) {
    if (
      !isObject(overlay) ||
      typeof overlay.entityRef !== 'string' ||
      !isObject(overlay.fields)
    ) {
      throw new TypeError(
        'Malformed catalog feed: an overlay is not { entityRef: string, fields: {} }',
      );
    }
  }
  if (!body.projects.every(isObject)) {
    throw new TypeError('Malformed catalog feed: a project is not an object');
  }
  return body as CatalogFeed;
}
