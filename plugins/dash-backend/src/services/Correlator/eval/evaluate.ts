import { createBackendModule } from '@backstage/backend-plugin-api';
import type { TestDatabases } from '@backstage/backend-test-utils';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { startDashTestBackend } from '@dash-suite/plugin-dash-node/testUtils';
import { AddressInfo } from 'node:net';
import { DashClient } from './api';
import dashPlugin from '../../../index';
import { FakeSource } from '../../../testUtils/fakeSource';
import { scenarioProblems } from './checkScenarios';
import {
  SOURCE_IDS,
  SourceId,
  entityRefOf,
  pageEvent,
  pageIdOf,
  scenarioEntities,
  sourceOf,
  sourcedIdOf,
  toChangeInput,
  toDashEvent,
} from './fixtures';
import { EvalReport, ScenarioResult, summarize } from './report';
import { scenarioGroups } from './scenarios';
import { EvalScenario } from './types';

/*
 * Runs the evaluation set through the path GET /api/dash/timeline takes: one DASH test backend,
 * sources serving each scenario's events, the catalog holding each scenario's services, changes
 * posted to POST /api/dash/changes; then reads the correlation of each page.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The timeline asked for each scenario: from 26 h before the page to 12 h after it. */
const BEFORE_PAGE_MS = 26 * HOUR_MS;
const AFTER_PAGE_MS = 12 * HOUR_MS;
/** Scenarios asked for at once. */
const CONCURRENCY = 4;

/** The page: a whole minute about two days ago, so that the window after it is in the past. */
export function defaultPageMs(now = Date.now()): number {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS - 2 * 24 * HOUR_MS;
}

function groupOf(id: string): string {
  for (const [group, list] of Object.entries(scenarioGroups)) {
    if (list.some(s => s.id === id)) return group;
  }
  return '';
}

/**
 * One source per installed source id (filled once the changes are posted), and each scenario's
 * stored ids known before posting: those of the events the sources serve.
 */
function prepare(list: EvalScenario[]) {
  const sources = new Map<SourceId, FakeSource>(
    SOURCE_IDS.map(id => [id, new FakeSource(id)]),
  );
  const storedIds = new Map<string, Map<string, string>>();
  for (const s of list) {
    const ids = new Map<string, string>();
    for (const e of s.events) {
      if (sourceOf(e) !== 'changes') ids.set(e.id, sourcedIdOf(s, e));
    }
    storedIds.set(s.id, ids);
  }
  return { sources, storedIds };
}

export interface EvaluateOptions {
  /** Created at the top of the test file; the harness uses SQLite. */
  databases: TestDatabases;
  scenarios?: EvalScenario[];
  pageMs?: number;
}

/** Runs every scenario once and ranks the true causes. */
export async function evaluate(options: EvaluateOptions): Promise<EvalReport> {
  const list = options.scenarios ?? Object.values(scenarioGroups).flat();
  const problems = scenarioProblems(list);
  if (problems.length) {
    throw new Error(
      `The evaluation scenarios are wrong:\n${problems.join('\n')}`,
    );
  }
  const pageMs = options.pageMs ?? defaultPageMs();
  const { sources, storedIds } = prepare(list);
  const backend = await startDashTestBackend({
    plugin: dashPlugin,
    features: [
      createBackendModule({
        pluginId: 'dash',
        moduleId: 'eval-sources',
        register(reg) {
          reg.registerInit({
            deps: { extension: dashSourcesExtensionPoint },
            async init({ extension }) {
              for (const source of sources.values())
                extension.addSource(source);
            },
          });
        },
      }),
    ],
    entities: list.flatMap(scenarioEntities),
    databases: options.databases,
    databaseId: 'SQLITE_3',
  });
  try {
    const { port } = backend.server.address() as AddressInfo;
    const client = new DashClient(`http://127.0.0.1:${port}`);
    // Changes posted to DASH, oldest first, so a later one can name an earlier one it reverts.
    for (const s of list) {
      const ids = storedIds.get(s.id)!;
      const posted = s.events
        .filter(e => sourceOf(e) === 'changes')
        .sort((a, b) => a.at - b.at);
      for (const e of posted) {
        ids.set(
          e.id,
          await client.postChange(toChangeInput(s, e, pageMs, ids)),
        );
      }
      for (const e of s.events) {
        const source = sourceOf(e);
        if (source !== 'changes') {
          sources.get(source)!.events.push(toDashEvent(s, e, pageMs, ids));
        }
      }
      sources.get('pagerduty')!.events.push(pageEvent(s, pageMs));
    }

    const results: ScenarioResult[] = new Array(list.length);
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const i = next++;
        results[i] = await runScenario(
          client,
          list[i],
          pageMs,
          storedIds.get(list[i].id)!,
        );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return summarize(results);
  } finally {
    await backend.stop();
  }
}

async function runScenario(
  client: DashClient,
  s: EvalScenario,
  pageMs: number,
  ids: Map<string, string>,
): Promise<ScenarioResult> {
  const body = await client.timeline(
    entityRefOf(s, s.paged),
    pageMs - BEFORE_PAGE_MS,
    pageMs + AFTER_PAGE_MS,
  );
  const pageId = pageIdOf(s);
  const correlation = body.correlations.find(c => c.eventId === pageId);
  if (!correlation) {
    throw new Error(
      `${s.id}: the timeline has no correlation for the page ${pageId}`,
    );
  }
  const causeIds = new Set(
    (s.cause === null ? [] : [s.cause].flat()).map(c => {
      const stored = ids.get(c);
      if (!stored) throw new Error(`${s.id}: no stored id for cause ${c}`);
      return stored;
    }),
  );
  const index = correlation.candidates.findIndex(
    c =>
      causeIds.has(c.eventId) ||
      (c.shipped ?? []).some(
        x => x.eventId !== undefined && causeIds.has(x.eventId),
      ),
  );
  const rank = index >= 0 ? index + 1 : undefined;
  const titles = new Map(
    [...body.events, ...body.relatedEvents].map(e => [e.id, e.title]),
  );
  const top = correlation.candidates[0];
  const hasCause = s.cause !== null;
  return {
    id: s.id,
    title: s.title,
    source: s.source,
    group: groupOf(s.id),
    hasCause,
    rank,
    verdict: correlation.verdict,
    topTitle: top ? titles.get(top.eventId) ?? top.eventId : undefined,
    correct: hasCause
      ? rank === 1
      : correlation.verdict === 'nothing-plausible',
  };
}
