/*
 * What every story is written with: its id scope (story, step), ground-truth records of changes,
 * steps and incidents, and the releases and alert rules a story starts from.
 */
import {
  ScenarioService,
  Story,
  StoryChange,
  StoryIncident,
  StoryStep,
  UpstreamName,
} from '../types';
import { Rng } from '../random';
import { SECOND } from '../time';
import {
  GenContext,
  GenState,
  IdAllocator,
  scope,
  teamForService,
} from './generate';
import { AlertRule, PdIncident } from './model';

/*
 * Story objects take their ids from (service, story, step) and their random choices from (seed,
 * story, step), never from the background: their times follow `now`, their ids do not. The
 * incident ids and numbers, pull request and workflow run numbers are fixed per story (numbers
 * below the background's, see dayNumber() and incidentNumber()).
 */
export interface StoryKey {
  space: number;
  /** The story's slot in its id space: its number, or the live replay's. */
  slot: number;
  name: string;
}

/** Ids per kind a story step may take. */
const STEP_IDS = 20;

export interface StoryWorld {
  ctx: GenContext;
  service(name: string): Found | undefined;
}

/** A service of the world and its data being generated. */
export interface Found {
  svc: ScenarioService;
  st: GenState;
}

/** A story whose incident number is filled in after all incidents are numbered. */
export interface PendingStory {
  story: Story;
  incident?: PdIncident;
}

/** Sets the scope of a story step: what it creates next takes its ids from (service, story, step). */
export function inStep(
  world: StoryWorld,
  found: Found,
  story: StoryKey,
  stepNo: number,
): GenState {
  return scope(
    found.st,
    new IdAllocator(
      found.svc.index,
      story.space,
      story.slot,
      stepNo * STEP_IDS,
    ),
    new Rng(world.ctx.seed, story.name, story.slot, stepNo, found.svc.index),
  );
}

export function sec(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

/** Times of stories stay exact: static ones are whole seconds already, live ones must not move earlier. */
function exact(t: number): number {
  return t;
}

/** The i-th member of the service's team (the catalog's), or `fallback`. */
export function member(
  world: StoryWorld,
  svc: ScenarioService,
  i: number,
  fallback: string,
): string {
  const team = teamForService(world.ctx, svc);
  return team.members[i % Math.max(1, team.members.length)] ?? fallback;
}

export function change(
  svc: ScenarioService,
  upstream: UpstreamName,
  kind: string,
  id: string | number,
  at: number,
  summary: string,
): StoryChange {
  return {
    upstream,
    kind,
    id: String(id),
    at: exact(at),
    entityRef: svc.entityRef,
    summary,
    githubSlug: upstream === 'github' ? svc.githubSlug : undefined,
    pagerdutyServiceId:
      upstream === 'pagerduty' ? svc.pagerdutyServiceId : undefined,
  };
}

export function step(
  svc: ScenarioService,
  upstream: UpstreamName,
  kind: string,
  at: number,
  summary: string,
  id?: string | number,
): StoryStep {
  return {
    at: exact(at),
    upstream,
    kind,
    entityRef: svc.entityRef,
    summary,
    id: id === undefined ? undefined : String(id),
  };
}

/** The latest release before `before` (stories add theirs out of time order). */
export function lastReleaseTag(
  st: GenState,
  before: number,
): { tag: string; sha: string } | undefined {
  let best: GenState['data']['releases'][number] | undefined;
  for (const r of st.data.releases)
    if (r.at < before && (!best || r.at >= best.at)) best = r;
  return best ? { tag: best.tag, sha: best.targetSha } : undefined;
}

/** A rule of the service by its title's suffix ('HighErrorRate', 'HighLatency'). */
export function ruleOf(found: Found, suffix: string): AlertRule {
  const rule = found.st.data.alertRules.find(r => r.title.endsWith(suffix));
  if (!rule)
    throw new Error(`${found.svc.name} has no ${suffix} alert rule (story)`);
  return rule;
}

/** The release a story starts from: the latest one before `at`, or `fallback` (a short history). */
export function previousRelease(
  found: Found,
  at: number,
  fallback: string,
): { tag: string; sha: string } {
  return (
    lastReleaseTag(found.st, at) ?? {
      tag: fallback,
      sha: found.st.data.commits[0]?.sha ?? '0'.repeat(40),
    }
  );
}

/** The next minor (v2.13.4 -> v2.14.0) or patch (-> v2.13.5) version of a tag. */
export function bumpTag(tag: string, part: 'minor' | 'patch'): string {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  if (!m) return part === 'minor' ? `${tag}.1` : `${tag}-1`;
  const [major, minor, patch] = m.slice(1).map(Number);
  return part === 'minor'
    ? `v${major}.${minor + 1}.0`
    : `v${major}.${minor}.${patch + 1}`;
}

/** The ground truth of a story's incident (its number is filled in once all are numbered). */
export function storyIncident(
  svc: ScenarioService,
  incident: PdIncident,
  times: { acknowledgedAt?: number; resolvedAt?: number },
): StoryIncident {
  return {
    pagerdutyId: incident.id,
    pagerdutyServiceId: svc.pagerdutyServiceId!,
    incidentNumber: 0,
    title: incident.title,
    htmlUrl: `https://acme.pagerduty.com/incidents/${incident.id}`,
    triggeredAt: incident.createdAt,
    ...times,
  };
}
