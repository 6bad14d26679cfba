/*
 * A production deploy written into a story the way the demo's release tooling records one: the
 * merged pull request and its release, the deployment, the deploy workflow run, the Grafana deploy
 * annotation and the deployctl change event; or a rollback to an earlier release.
 */
import { ScenarioService, StoryChange, StoryStep } from '../types';
import { MINUTE } from '../time';
import {
  GenState,
  newAnnotation,
  newChangeEvent,
  newCommit,
  newDeployment,
  newPull,
  newRun,
} from './generate';
import { Commit, Deployment, PullRequest } from './model';
import { Found, StoryWorld, change, step } from './storyKit';

/** A production deploy with every record of it, and its story steps. */
export interface Shipment {
  tag: string;
  sha: string;
  deployment: Deployment;
  changeEventId: string;
  /** The change event's summary. */
  summary: string;
  releaseId?: number;
  commit?: Commit;
  pr?: PullRequest;
  steps: StoryStep[];
}

/**
 * Merges `title` (through pull request `pr`), releases it as `tag` and deploys that to
 * production at `at`; or, with `rollbackTo`, deploys an earlier release again (a rollback).
 * All in one story step.
 */
export function shipToProduction(
  world: StoryWorld,
  found: Found,
  st: GenState,
  opts: {
    at: number;
    actor: string;
    /** Deploy workflow run number, fixed per story. */
    runNumber: number;
    /** A new change: its commit, pull request and release. */
    change?: { title: string; body?: string; pr: number; tag: string };
    rollbackTo?: { tag: string; sha: string };
  },
): Shipment {
  const { svc } = found;
  const { at, actor } = opts;
  const steps: StoryStep[] = [];
  let tag: string;
  let sha: string;
  let commit: Commit | undefined;
  let pr: PullRequest | undefined;
  let releaseId: number | undefined;
  if (opts.change) {
    const { title, body } = opts.change;
    tag = opts.change.tag;
    commit = newCommit(st, at - 40 * MINUTE, title, actor);
    sha = commit.sha;
    pr = newPull(st, {
      number: opts.change.pr,
      title,
      body,
      author: actor,
      createdAt: at - 20 * 60 * MINUTE,
      mergedAt: commit.at,
      mergeCommit: commit,
    });
    steps.push(
      step(
        svc,
        'github',
        'pull_request',
        commit.at,
        `PR merged: ${title}`,
        pr.id,
      ),
    );
    releaseId = st.ids.next('release');
    st.data.releases.push({
      id: releaseId,
      tag,
      name: tag,
      body: `## Changes\n\n- ${title}\n`,
      author: actor,
      at: at - 15 * MINUTE,
      targetSha: sha,
      prerelease: false,
    });
    steps.push(
      step(
        svc,
        'github',
        'release',
        at - 15 * MINUTE,
        `Release ${tag}`,
        releaseId,
      ),
    );
  } else if (opts.rollbackTo) {
    ({ tag, sha } = opts.rollbackTo);
  } else {
    throw new Error('shipToProduction: a change or a rollback is needed');
  }
  const rollback = !opts.change;
  const what = rollback ? `Roll back to ${tag}` : `Deploy ${tag} to production`;
  const deployment = newDeployment(st, {
    at,
    sha,
    ref: tag,
    environment: 'production',
    creator: actor,
    description: what,
  });
  newRun(st, {
    workflow: 'Deploy',
    at,
    sha,
    branch: tag,
    event: 'workflow_dispatch',
    title: what,
    actor,
    durationMs: 3 * MINUTE,
    runNumber: opts.runNumber,
  });
  newAnnotation(st, {
    at,
    timeEnd: at + 3 * MINUTE,
    tags: [
      'deploy',
      svc.grafanaTag ?? svc.name,
      'production',
      ...(rollback ? ['rollback'] : []),
    ],
    text: rollback
      ? `Roll back ${svc.name} to ${tag}`
      : `Deploy ${svc.name} ${tag} to production`,
    login: world.ctx.org.personByName.get(actor)?.login,
  });
  const summary = rollback
    ? `Rolled back ${svc.name} to ${tag}`
    : `Deployed ${svc.name} ${tag} to production`;
  const changeEventId = newChangeEvent(st, {
    at: at + 3 * MINUTE,
    summary,
    source: 'deployctl',
    details: {
      version: tag,
      environment: 'production',
      deployment_id: deployment.id,
      actor,
      ...(rollback ? { rollback: 'true' } : {}),
    },
    link: `https://deployctl.acme.example/deployments/${deployment.id}`,
  });
  steps.push(
    step(svc, 'github', 'deployment', at, what, deployment.id),
    step(
      svc,
      'pagerduty',
      'change_event',
      at + 3 * MINUTE,
      `Change event: ${summary}`,
      changeEventId,
    ),
  );
  return {
    tag,
    sha,
    deployment,
    changeEventId,
    summary,
    releaseId,
    commit,
    pr,
    steps,
  };
}

/** The ground-truth records of a shipment: the deployment, then the others. */
export function shipmentChanges(
  svc: ScenarioService,
  s: Shipment,
): { deployment: StoryChange; alsoSeenAs: StoryChange[] } {
  const d = s.deployment;
  const alsoSeenAs = [
    change(
      svc,
      'pagerduty',
      'change_event',
      s.changeEventId,
      d.at + 3 * MINUTE,
      s.summary,
    ),
  ];
  if (s.releaseId !== undefined)
    alsoSeenAs.push(
      change(
        svc,
        'github',
        'release',
        s.releaseId,
        d.at - 15 * MINUTE,
        `Release ${s.tag}`,
      ),
    );
  if (s.pr)
    alsoSeenAs.push(
      change(
        svc,
        'github',
        'pull_request',
        s.pr.id,
        s.pr.mergedAt!,
        `PR: ${s.pr.title}`,
      ),
    );
  return {
    deployment: change(svc, 'github', 'deployment', d.id, d.at, d.description),
    alsoSeenAs,
  };
}
