import { LoggerService } from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { DASH_SEARCH_TYPE, DashClient } from '@dash-suite/plugin-dash-common';
import { Readable } from 'node:stream';
import { DashSearchDocument, dashDocument } from './dashDocument';

/** Pages read per run at most (500 events each): a bound, not a budget anyone should reach. */
const MAX_PAGES = 1000;

export interface DashCollatorFactoryOptions {
  /** The DASH backend, called with the search plugin's service credentials. */
  client: Pick<DashClient, 'getSearchEvents'>;
  /** Events that started longer ago are left out. */
  retentionMs: number;
  logger: LoggerService;
  clock?: () => number;
  maxPages?: number;
}

/**
 * Collates recent DASH incidents, deploys, releases and changes into search documents of type
 * `dash`, read page by page from the DASH backend (`GET /api/dash/search-events`; the DASH
 * plugin owns its database). Results are shown to those who may read the event's entity.
 */
export class DashCollatorFactory implements DocumentCollatorFactory {
  readonly type = DASH_SEARCH_TYPE;
  readonly visibilityPermission: DocumentCollatorFactory['visibilityPermission'] =
    catalogEntityReadPermission;

  constructor(private readonly options: DashCollatorFactoryOptions) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  async *execute(): AsyncGenerator<DashSearchDocument> {
    const { client, retentionMs, logger } = this.options;
    const now = (this.options.clock ?? Date.now)();
    const since = new Date(now - retentionMs);
    const maxPages = this.options.maxPages ?? MAX_PAGES;
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const answer = await client.getSearchEvents({ since, cursor });
      for (const event of answer.events) yield dashDocument(event);
      cursor = answer.nextCursor;
      if (!cursor) return;
    }
    logger.warn(
      `DASH search collator stopped after ${maxPages} pages; older events are not indexed this run`,
    );
  }
}
