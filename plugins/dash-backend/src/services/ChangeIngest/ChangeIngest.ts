import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DashChangeEventInput,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { EventStore } from '../EventStore/EventStore';
import { TimelineChanges } from '../TimelineSignals/TimelineSignals';
import { CHANGES_SOURCE_ID, scopedChangeId } from './changeIds';

/**
 * Change events posted by deploy systems (`POST /changes`), stored as events of the `changes`
 * source; idempotent by the poster's id, scoped to the poster.
 */
export class ChangeIngest {
  constructor(
    private readonly options: {
      events: EventStore;
      /** Told when a change is new or different from the stored one (Signals). */
      changes?: TimelineChanges;
      clock?: () => number;
    },
  ) {}

  /** Stores the change (the caller has checked the entity); says whether it was new. */
  async ingest(
    input: DashChangeEventInput,
    credentials: BackstageCredentials,
  ): Promise<{ event: DashEvent; created: boolean }> {
    const event: DashEvent = {
      id: scopedChangeId(input.id, credentials),
      source: CHANGES_SOURCE_ID,
      kind:
        input.type === 'deploy' || input.type === 'rollback'
          ? 'deploy'
          : 'change',
      title: input.title,
      severity: 'info',
      startTime: new Date(Date.parse(input.time)).toISOString(),
      entityRef: input.entityRef,
      status: 'success',
      attributes: {
        changeType: input.type,
        ...(input.type === 'rollback' ? { rollback: true } : {}),
        ...(input.environment ? { environment: input.environment } : {}),
        ...(input.version ? { version: input.version } : {}),
        ...(input.details ? { details: input.details } : {}),
      },
    };
    if (input.actor) event.actor = input.actor;
    if (input.url) event.url = input.url;
    const now = (this.options.clock ?? Date.now)();
    const stored = await this.options.events.upsertChanges([event], now);
    const created = stored.created.has(event.id);
    if (created || stored.updated.has(event.id)) {
      this.options.changes?.changed(event.entityRef, CHANGES_SOURCE_ID);
    }
    return { event, created };
  }
}
