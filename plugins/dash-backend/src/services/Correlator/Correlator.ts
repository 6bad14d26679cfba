import {
  DashCauseCandidate,
  DashCorrelation,
  DashEvent,
  HOUR_MS,
  MINUTE_MS,
} from '@dash-suite/plugin-dash-common';
import {
  REPRESENTATIVE_PRIORITY,
  SAME_CHANGE_WINDOW_MS,
  Timed,
  isChangeEvent,
  isDeployLike,
  isRollback,
  sameChange,
} from './changes';
import { describeChange, humanDuration, nameOf, sourceName } from './reasons';
import {
  CHANGE_TYPE_WEIGHT,
  DEPTH_WEIGHT,
  KIND_WEIGHT,
  PRODUCTION,
} from './scoring';

export { isChangeEvent } from './changes';
export { humanDuration } from './reasons';

export interface CorrelatorOptions {
  /** How far before a problem to look for changes. */
  lookbackMs: number;
  /** Proximity decays with this time constant: a change this long before scores 1/e. */
  timeConstantMs: number;
  /** Candidates below this score are noise and not shown. */
  minScore: number;
  maxCandidates: number;
}

export const DEFAULT_CORRELATOR_OPTIONS: CorrelatorOptions = {
  lookbackMs: 24 * HOUR_MS,
  timeConstantMs: 90 * MINUTE_MS,
  minScore: 0.1,
  maxCandidates: 5,
};

export interface CorrelatorInput {
  /** Incidents and alerts to explain. */
  problems: DashEvent[];
  /**
   * Every event known on the problems' entities and on what they depend on, in and before the
   * window: changes are the suspects, problem signals on dependencies are evidence.
   */
  context: DashEvent[];
  /**
   * For each entity with problems, what it depends on and how far away (1 = direct). An entity
   * that depends on the problem's entity is never in here, so it is never a suspect.
   */
  dependencies: Map<string, Map<string, number>>;
  /** Entity titles for the reasons, by ref; falls back to the ref's name. */
  titles?: Map<string, string>;
  /** Source titles for the reasons, by source id (each source's own `title`); falls back to the id. */
  sourceTitles?: Map<string, string>;
}

const EVIDENCE_KINDS = new Set(['log-spike', 'alert', 'incident']);

/** Index of the first item with t >= value. */
function lowerBound(items: Timed[], value: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].t < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function byEntity(items: Timed[]): Map<string, Timed[]> {
  const map = new Map<string, Timed[]>();
  for (const item of items) {
    const list = map.get(item.e.entityRef);
    if (list) list.push(item);
    else map.set(item.e.entityRef, [item]);
  }
  return map;
}

interface Scored {
  change: Timed;
  depth: number;
  raw: number;
  envNote?: string;
  failed: boolean;
  sign?: Timed;
  rollback?: Timed;
  alsoSeenAs: Timed[];
}

/**
 * Ranks the changes that most likely caused each incident or alert. Pure: same input, same
 * answer. A change after the problem began is never a suspect; neither is anything on a service
 * that depends on the problem's service. One deploy recorded by several systems (a GitHub
 * deployment, a PagerDuty change event, a Grafana annotation) is one suspect. When nothing
 * plausible changed, it says so.
 */
export function correlate(
  input: CorrelatorInput,
  options: CorrelatorOptions = DEFAULT_CORRELATOR_OPTIONS,
): DashCorrelation[] {
  // Parse every time once and sort: the per-problem work below is binary searches and short
  // scans, so a window of thousands of changes stays cheap.
  const timed = input.context
    .map(e => ({ e, t: Date.parse(e.startTime) }))
    .sort((a, b) => a.t - b.t || a.e.id.localeCompare(b.e.id));
  const changes = timed.filter(x => isChangeEvent(x.e));
  const evidence = byEntity(timed.filter(x => EVIDENCE_KINDS.has(x.e.kind)));
  const rollbacks = byEntity(
    timed.filter(
      x => (x.e.kind === 'deploy' || x.e.kind === 'change') && isRollback(x.e),
    ),
  );
  const byId = new Map(input.context.map(e => [e.id, e]));

  return input.problems.map(problem => {
    const problemStart = Date.parse(problem.startTime);
    const problemEnd = problem.endTime ? Date.parse(problem.endTime) : Infinity;
    const lookbackFrom = problemStart - options.lookbackMs;
    const deps =
      input.dependencies.get(problem.entityRef) ?? new Map<string, number>();
    const depthOf = (ref: string) =>
      ref === problem.entityRef ? 0 : deps.get(ref);
    const problemName = nameOf(problem.entityRef, input.titles);

    const inScope: Timed[] = [];
    for (
      let i = lowerBound(changes, lookbackFrom);
      i < changes.length && changes[i].t <= problemStart;
      i++
    ) {
      const c = changes[i];
      if (c.e.id !== problem.id && depthOf(c.e.entityRef) !== undefined) {
        inScope.push(c);
      }
    }

    const scored: Scored[] = inScope.map(change => {
      const { e } = change;
      const depth = depthOf(e.entityRef)!;
      let raw = Math.exp(-(problemStart - change.t) / options.timeConstantMs);
      raw *=
        e.kind === 'change'
          ? CHANGE_TYPE_WEIGHT[String(e.attributes.changeType)] ?? 0.6
          : KIND_WEIGHT[e.kind] ?? 0.5;
      if (depth > 0)
        raw *= DEPTH_WEIGHT[Math.min(depth, DEPTH_WEIGHT.length - 1)];
      const env = e.attributes.environment;
      const envNote =
        typeof env === 'string' && env && !PRODUCTION.test(env)
          ? env
          : undefined;
      if (envNote) raw *= 0.3;
      const failed =
        e.kind === 'deploy' && ['failure', 'error'].includes(String(e.status));
      if (failed) raw *= 0.6;

      // Evidence: the changed dependency itself went wrong between the change and the problem.
      let sign: Timed | undefined;
      if (depth > 0) {
        const list = evidence.get(e.entityRef) ?? [];
        const first = list[lowerBound(list, change.t)];
        if (first && first.t <= problemStart) sign = first;
        if (sign) raw *= 1.3;
      }
      // Evidence: someone rolled this service back while the problem was on.
      let rollback: Timed | undefined;
      if (!isRollback(e)) {
        const list = rollbacks.get(e.entityRef) ?? [];
        const until = Math.min(problemEnd, problemStart + options.lookbackMs);
        for (
          let i = lowerBound(list, problemStart + 1);
          i < list.length && list[i].t <= until;
          i++
        ) {
          if (list[i].e.id !== e.id) {
            rollback = list[i];
            break;
          }
        }
        if (rollback) raw *= 1.3;
      }
      return {
        change,
        depth,
        raw,
        envNote,
        failed,
        sign,
        rollback,
        alsoSeenAs: [],
      };
    });

    // One deploy seen by several systems: keep the most direct record, with the best score.
    // `scored` is in time order, so a record can only join a recent cluster of its entity.
    const merged: Scored[] = [];
    const recent = new Map<string, Array<{ s: Scored; lastT: number }>>();
    for (const s of scored) {
      if (!isDeployLike(s.change.e)) {
        merged.push(s);
        continue;
      }
      const clusters = recent.get(s.change.e.entityRef) ?? [];
      recent.set(s.change.e.entityRef, clusters);
      let cluster: { s: Scored; lastT: number } | undefined;
      for (let j = clusters.length - 1; j >= 0; j--) {
        if (s.change.t - clusters[j].lastT > SAME_CHANGE_WINDOW_MS) break;
        if (sameChange(clusters[j].s.change, s.change)) {
          cluster = clusters[j];
          break;
        }
      }
      if (!cluster) {
        merged.push(s);
        clusters.push({ s, lastT: s.change.t });
        continue;
      }
      const twin = cluster.s;
      cluster.lastT = s.change.t;
      const raw = Math.max(twin.raw, s.raw);
      const better =
        (REPRESENTATIVE_PRIORITY[s.change.e.kind] ?? 0) >
        (REPRESENTATIVE_PRIORITY[twin.change.e.kind] ?? 0);
      if (better) {
        const alsoSeenAs = [...twin.alsoSeenAs, twin.change];
        Object.assign(twin, s, { raw, alsoSeenAs });
      } else {
        twin.raw = raw;
        twin.alsoSeenAs.push(s.change);
      }
    }

    // Rank on the raw score, so that two strong suspects capped at 1 still have an order;
    // only the shown candidates get their reasons written.
    const ranked: DashCauseCandidate[] = merged
      .filter(c => c.raw >= options.minScore)
      .sort(
        (a, b) => b.raw - a.raw || a.change.e.id.localeCompare(b.change.e.id),
      )
      .slice(0, options.maxCandidates)
      .map(s => {
        const change = s.change.e;
        const changeName = nameOf(change.entityRef, input.titles);
        const reasons = [
          `${describeChange(change)} on ${changeName} ${humanDuration(
            problemStart - s.change.t,
          )} before the ${problem.kind} began`,
        ];
        if (s.depth > 0) {
          reasons.push(
            s.depth === 1
              ? `${problemName} depends on ${changeName}`
              : `${problemName} depends on ${changeName} indirectly (${s.depth} hops)`,
          );
        }
        if (s.envNote) reasons.push(`Went to ${s.envNote}, not production`);
        if (s.failed) reasons.push('The deploy itself failed');
        if (s.sign) {
          reasons.push(
            `${changeName} showed ${
              s.sign.e.kind === 'log-spike'
                ? 'an error spike'
                : `an ${s.sign.e.kind}` // alert or incident
            } ${humanDuration(s.sign.t - s.change.t)} after this change`,
          );
        }
        if (s.rollback) {
          reasons.push(
            `${changeName} was rolled back ${humanDuration(
              s.rollback.t - problemStart,
            )} after the ${problem.kind} began`,
          );
        }
        if (s.alsoSeenAs.length) {
          const seen = [
            ...new Set(
              s.alsoSeenAs.map(x => sourceName(x.e.source, input.sourceTitles)),
            ),
          ];
          reasons.push(`Also recorded by ${seen.join(' and ')}`);
        }
        return {
          eventId: change.id,
          entityRef: change.entityRef,
          relation: s.depth === 0 ? ('self' as const) : ('dependency' as const),
          score: Math.round(Math.min(1, s.raw) * 1000) / 1000,
          reasons,
        };
      });

    const window = humanDuration(options.lookbackMs);
    const scope =
      deps.size === 0
        ? problemName
        : `${problemName} or the ${deps.size} service${
            deps.size === 1 ? '' : 's'
          } it depends on`;
    let summary: string;
    if (ranked.length > 0) {
      const top = byId.get(ranked[0].eventId)!;
      summary = `Most likely: ${top.title} (${nameOf(
        top.entityRef,
        input.titles,
      )}, ${humanDuration(problemStart - Date.parse(top.startTime))} before)`;
    } else if (inScope.length === 0) {
      summary = `No deploys or changes on ${scope} in the ${window} before this ${problem.kind} began.`;
    } else {
      summary = `${inScope.length} change${
        inScope.length === 1 ? '' : 's'
      } on ${scope} in the ${window} before, none close or relevant enough to suspect.`;
    }

    return {
      eventId: problem.id,
      lookbackFrom: new Date(lookbackFrom).toISOString(),
      lookbackTo: problem.startTime,
      verdict: ranked.length > 0 ? 'ranked' : 'nothing-plausible',
      summary,
      candidates: ranked,
    };
  });
}
