import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/**
 * The GitHub client of Project Catalog (campaign checks and discovery): @octokit/rest with
 * @octokit/plugin-throttling and @octokit/plugin-retry, and how to read its errors.
 */

// The plugins' type declarations import `@octokit/core` from wherever npm hoisted it, which may
// be another major than the one @octokit/rest 20 brings; at run time they only touch the hooks.
// So the class is typed as @octokit/rest's, and the plugins' options (`throttle`, `retry`) are
// passed through GithubOctokitOptions.
type OctokitPlugin = Parameters<typeof Octokit.plugin>[0];
export const GithubOctokit: typeof Octokit = Octokit.plugin(
  throttling as unknown as OctokitPlugin,
  retry as unknown as OctokitPlugin,
) as unknown as typeof Octokit;
export type GithubOctokitInstance = Octokit;
export type GithubOctokitOptions = NonNullable<
  ConstructorParameters<typeof Octokit>[0]
> &
  Record<string, unknown>;

/** What octokit throws for an HTTP answer that is not 2xx. */
export interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, unknown> };
}

export function isRequestError(e: unknown): e is RequestErrorLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number'
  );
}

/** A response header as a string, or undefined. */
export function headerOf(
  headers: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}
