import { Entity } from '@backstage/catalog-model';
import { DashDeploysResponse } from '@dash-suite/plugin-dash-common';
import { EventStore } from '../EventStore/EventStore';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';

/**
 * An entity's deploys and rollbacks in a window, newest first: `deploy` events, and changes
 * posted with type `deploy` or `rollback`; its feeds are made fresh enough first.
 */
export class DeploysReader {
  constructor(
    private readonly options: {
      engine: RefreshEngine;
      events: EventStore;
      maxWaitMs: number;
    },
  ) {}

  async deploys(
    entity: Entity,
    ref: string,
    window: { fromMs: number; toMs: number },
  ): Promise<DashDeploysResponse> {
    const { engine, events, maxWaitMs } = this.options;
    const sources = await engine.ensure(entity, ref, window.fromMs, {
      waitMs: maxWaitMs,
      toMs: window.toMs,
    });
    const stored = await events.query({
      entityRefs: [ref],
      fromMs: window.fromMs,
      toMs: window.toMs,
      kinds: ['deploy', 'change'],
    });
    const deploys = stored.filter(
      e =>
        e.kind === 'deploy' ||
        ['deploy', 'rollback'].includes(String(e.attributes.changeType)),
    );
    return {
      entityRef: ref,
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      deploys: deploys.reverse(),
      sources,
    };
  }
}
