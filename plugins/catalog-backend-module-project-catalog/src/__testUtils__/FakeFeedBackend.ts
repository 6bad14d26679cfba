import { CatalogFeed } from '@dash-suite/plugin-project-catalog-common';
import {
  CatalogFeedResult,
  CatalogFeedSource,
} from '../ProjectCatalogFeedClient';

/** A feed source that answers like `/catalog-feed`: 200 with an ETag, 304 when unchanged. */
export class FakeFeedBackend implements CatalogFeedSource {
  feed: CatalogFeed = { revision: 1, overlays: [], projects: [] };
  calls: Array<string | undefined> = [];
  failing: Error | undefined;
  delayMs = 0;

  async fetchFeed(etag?: string): Promise<CatalogFeedResult> {
    this.calls.push(etag);
    // The answer is what the backend holds when the request arrives.
    const feed: CatalogFeed = JSON.parse(JSON.stringify(this.feed));
    const failing = this.failing;
    if (this.delayMs) {
      await new Promise(r => setTimeout(r, this.delayMs).unref());
    }
    if (failing) throw failing;
    const current = `"${feed.revision}"`;
    if (etag === current) return { notModified: true };
    return { notModified: false, feed, etag: current };
  }
}
