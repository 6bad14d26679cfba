import {
  DashCauseCandidate,
  DashCorrelation,
  DashEvent,
} from '@dash-suite/plugin-dash-common';

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
  lookbackMs: 24 * 3600_000,
  timeConstantMs: 90 * 60_000,
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
}

const KIND_WEIGHT: Record<string, number> = {
  deploy: 1,
  change: 0.9,
  release: 0.6,
  'pull-request': 0.5,
  annotation: 0.5,
};
const CHANGE_TYPE_WEIGHT: Record<string, number> = {
  deploy: 1,
  config: 0.95,
  'feature-flag': 0.9,
  infrastructure: 0.9,
  rollback: 0.4,
  other: 0.6,
};
const DEPTH_WEIGHT = [1, 0.8, 0.6];
const PRODUCTION = /^(prod|production|live|prd)([-_].*)?$/i;
const EVIDENCE_KINDS = new Set(['log-spike', 'alert', 'incident']);
const CHANGE_ANNOTATION_TAGS =
  /^(deploy|deployment|release|change|config|rollout|migration)$/i;

/** Is this event a change that could cause a problem? */
export function isChangeEvent(e: DashEvent): boolean {
  switch (e.kind) {
    case 'deploy':
    case 'release':
    case 'change':
      return true;
    case 'pull-request':
      return e.status === 'merged';
    case 'annotation': {
      if (e.attributes.isChange === true) return true;
      const tags = e.attributes.tags;
      return (
        Array.isArray(tags) &&
        tags.some(t => CHANGE_ANNOTATION_TAGS.test(String(t)))
      );
    }
    default:
      return false;
  }
}

function isRollback(e: DashEvent): boolean {
  return (
    e.attributes.rollback === true ||
    e.attributes.changeType === 'rollback' ||
    /\broll(ed)?[ -]?back\b|\brevert/i.test(e.title)
  );
}

const nameOf = (ref: string, titles?: Map<string, string>) =>
  titles?.get(ref) ?? ref.replace(/^[^:]+:/, '').replace(/^default\//, '');

/** "5 min", "2 h 10 min", "3 d" */
export function humanDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

function describeChange(e: DashEvent): string {
  const env = e.attributes.environment ? ` to ${e.attributes.environment}` : '';
  switch (e.kind) {
    case 'deploy':
      return `Deployed${env}`;
    case 'release':
      return 'Released';
    case 'pull-request':
      return 'Pull request merged';
    case 'annotation':
      return 'Change annotated';
    default: {
      const type = e.attributes.changeType
        ? `${e.attributes.changeType} change`
        : 'Change';
      return `${type[0].toUpperCase()}${type.slice(1)}${env}`;
    }
  }
}

/**
 * Ranks the changes that most likely caused each incident or alert. Pure: same input, same
 * answer. A change after the problem began is never a suspect; neither is anything on a service
 * that depends on the problem's service. When nothing plausible changed, it says so.
 */
export function correlate(
  input: CorrelatorInput,
  options: CorrelatorOptions = DEFAULT_CORRELATOR_OPTIONS,
): DashCorrelation[] {
  const changes = input.context.filter(isChangeEvent);
  const evidence = input.context.filter(e => EVIDENCE_KINDS.has(e.kind));
  const rollbacks = input.context.filter(
    e => (e.kind === 'deploy' || e.kind === 'change') && isRollback(e),
  );

  return input.problems.map(problem => {
    const problemStart = Date.parse(problem.startTime);
    const lookbackFrom = problemStart - options.lookbackMs;
    const deps =
      input.dependencies.get(problem.entityRef) ?? new Map<string, number>();
    const depthOf = (ref: string) =>
      ref === problem.entityRef ? 0 : deps.get(ref);
    const problemName = nameOf(problem.entityRef, input.titles);

    const inScope = changes.filter(c => {
      const t = Date.parse(c.startTime);
      return (
        c.id !== problem.id &&
        depthOf(c.entityRef) !== undefined &&
        t <= problemStart &&
        t >= lookbackFrom
      );
    });

    const candidates: Array<DashCauseCandidate & { raw: number }> = inScope.map(
      change => {
        const changeStart = Date.parse(change.startTime);
        const before = problemStart - changeStart;
        const depth = depthOf(change.entityRef)!;
        const changeName = nameOf(change.entityRef, input.titles);
        const reasons: string[] = [];
        let score = Math.exp(-before / options.timeConstantMs);

        const typeWeight =
          change.kind === 'change'
            ? CHANGE_TYPE_WEIGHT[String(change.attributes.changeType)] ?? 0.6
            : KIND_WEIGHT[change.kind] ?? 0.5;
        score *= typeWeight;
        reasons.push(
          `${describeChange(change)} on ${changeName} ${humanDuration(
            before,
          )} before the ${problem.kind} began`,
        );

        if (depth > 0) {
          score *= DEPTH_WEIGHT[Math.min(depth, DEPTH_WEIGHT.length - 1)];
          reasons.push(
            depth === 1
              ? `${problemName} depends on ${changeName}`
              : `${problemName} depends on ${changeName} indirectly (${depth} hops)`,
          );
        }

        const env = change.attributes.environment;
        if (typeof env === 'string' && env && !PRODUCTION.test(env)) {
          score *= 0.3;
          reasons.push(`Went to ${env}, not production`);
        }
        if (
          change.kind === 'deploy' &&
          ['failure', 'error'].includes(String(change.status))
        ) {
          score *= 0.6;
          reasons.push('The deploy itself failed');
        }

        // Evidence: the changed service itself went wrong between the change and the problem.
        if (depth > 0) {
          const sign = evidence.find(e => {
            const t = Date.parse(e.startTime);
            return (
              e.entityRef === change.entityRef &&
              t >= changeStart &&
              t <= problemStart
            );
          });
          if (sign) {
            score *= 1.3;
            reasons.push(
              `${changeName} showed ${
                sign.kind === 'log-spike' ? 'an error spike' : `a ${sign.kind}`
              } ${humanDuration(
                Date.parse(sign.startTime) - changeStart,
              )} after this change`,
            );
          }
        }

        // Evidence: someone rolled this service back while the problem was on.
        const problemEnd = problem.endTime
          ? Date.parse(problem.endTime)
          : Infinity;
        const rollback = rollbacks.find(r => {
          const t = Date.parse(r.startTime);
          return (
            r.id !== change.id &&
            r.entityRef === change.entityRef &&
            t > problemStart &&
            t <= Math.min(problemEnd, problemStart + options.lookbackMs)
          );
        });
        if (rollback && !isRollback(change)) {
          score *= 1.3;
          reasons.push(
            `${changeName} was rolled back ${humanDuration(
              Date.parse(rollback.startTime) - problemStart,
            )} after the ${problem.kind} began`,
          );
        }

        return {
          eventId: change.id,
          entityRef: change.entityRef,
          relation: depth === 0 ? 'self' : 'dependency',
          score: Math.round(Math.min(1, score) * 1000) / 1000,
          raw: score,
          reasons,
        };
      },
    );

    // Rank on the raw score, so that two strong suspects capped at 1 still have an order.
    const ranked: DashCauseCandidate[] = candidates
      .filter(c => c.raw >= options.minScore)
      .sort((a, b) => b.raw - a.raw || a.eventId.localeCompare(b.eventId))
      .slice(0, options.maxCandidates)
      .map(({ raw: _raw, ...candidate }) => candidate);

    const window = humanDuration(options.lookbackMs);
    const scope =
      deps.size === 0
        ? problemName
        : `${problemName} or the ${deps.size} service${
            deps.size === 1 ? '' : 's'
          } it depends on`;
    let summary: string;
    if (ranked.length > 0) {
      const top = input.context.find(e => e.id === ranked[0].eventId)!;
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
