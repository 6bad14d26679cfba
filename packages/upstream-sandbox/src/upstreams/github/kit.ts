/*
 * What the GitHub route modules share: GitHub's error shapes, and the renderers and paging
 * helpers that createGitHub() builds over the scenario (users, repositories, commits, Link
 * pagination).
 */
import { ScenarioService } from '../../types';
import { Ctx, HttpError, Reply } from '../../http/server';
import { ScenarioStore } from '../../scenario/store';
import { Commit, ServiceData } from '../../scenario/model';

export const DOCS = 'https://docs.github.com/rest';

export function ghError(
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
): Reply {
  return {
    status,
    body: {
      message,
      documentation_url: DOCS,
      status: String(status),
      ...extra,
    },
  };
}

export function notFound(): HttpError {
  return new HttpError(ghError(404, 'Not Found'));
}

export function invalid(field: string, message: string): HttpError {
  return new HttpError(
    ghError(422, 'Validation Failed', {
      errors: [{ resource: 'Search', field, code: 'invalid', message }],
    }),
  );
}

/** GitHub's node ids: base64 of '<len>:<Type><id>' without padding. */
export function nodeId(prefix: string, id: string | number): string {
  return Buffer.from(`${prefix}${id}`).toString('base64').replace(/=+$/, '');
}

export type Json = Record<string, unknown>;

/** The renderers and helpers of one GitHub upstream. */
export interface GitHubKit {
  store: ScenarioStore;
  user(
    ctx: Ctx,
    login: string,
    id: number,
    type?: 'User' | 'Organization' | 'Bot',
  ): Json;
  /** A catalog person as a GitHub user. */
  person(ctx: Ctx, name: string): Json;
  /** An organisation as the owner of a repository. */
  ownerUser(ctx: Ctx, owner: string): Json;
  /** The service (or, for a repository the catalog lacks, its stand-in) and data of a repository. */
  findRepo(
    owner: string,
    name: string,
  ): { svc: ScenarioService; data: ServiceData } | undefined;
  /** findRepo for /repos/{owner}/{repo}, or 404. */
  repoOr404(ctx: Ctx): { svc: ScenarioService; data: ServiceData };
  /** A repository: minimal (lists), or full (GET /repos/{owner}/{repo}). */
  repo(ctx: Ctx, svc: ScenarioService, data: ServiceData, full: boolean): Json;
  renderCommit(
    ctx: Ctx,
    svc: ScenarioService,
    data: ServiceData,
    c: Commit,
  ): Json;
  pageParams(ctx: Ctx): { perPage: number; page: number };
  /** A page of items, with GitHub's Link header. */
  paged<T>(ctx: Ctx, items: T[], render: (item: T) => unknown): Reply;
}
