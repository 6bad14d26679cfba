import { z } from 'zod';

/*
 * The parts of GitHub's REST answers that the source reads. Everything else is ignored, so a
 * new field never breaks a refresh; an item without what is needed is dropped and counted.
 */

const user = z
  .object({
    login: z.string(),
    html_url: z.string().nullish(),
  })
  .nullish();

export const repositorySchema = z.object({
  default_branch: z.string().min(1),
  html_url: z.string().nullish(),
});

export const commitSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/i),
  html_url: z.string().nullish(),
  commit: z.object({
    message: z.string(),
    author: z
      .object({
        name: z.string().nullish(),
        email: z.string().nullish(),
        date: z.string().nullish(),
      })
      .nullish(),
    committer: z.object({ date: z.string().nullish() }).nullish(),
  }),
  author: user,
});
export type GithubCommit = z.infer<typeof commitSchema>;

/** A compare of two commits; its `commits` are commit objects (read with `commitSchema`). */
export const compareSchema = z.object({
  status: z.string().nullish(),
  total_commits: z.number().int().nonnegative(),
  commits: z.array(z.unknown()),
});

export const pullSchema = z.object({
  id: z.number(),
  number: z.number().int(),
  title: z.string(),
  html_url: z.string().nullish(),
  user,
  created_at: z.string(),
  updated_at: z.string(),
  merged_at: z.string().nullish(),
  merge_commit_sha: z.string().nullish(),
  base: z.object({ ref: z.string() }),
  head: z.object({ ref: z.string() }).nullish(),
  labels: z.array(z.object({ name: z.string() }).loose()).nullish(),
});
export type GithubPull = z.infer<typeof pullSchema>;

export const releaseSchema = z.object({
  id: z.number(),
  tag_name: z.string(),
  name: z.string().nullish(),
  html_url: z.string().nullish(),
  draft: z.boolean().nullish(),
  prerelease: z.boolean().nullish(),
  created_at: z.string(),
  published_at: z.string().nullish(),
  target_commitish: z.string().nullish(),
  author: user,
});
export type GithubRelease = z.infer<typeof releaseSchema>;

export const deploymentSchema = z.object({
  id: z.number(),
  sha: z.string(),
  ref: z.string(),
  task: z.string().nullish(),
  payload: z.unknown().optional(),
  environment: z.string(),
  description: z.string().nullish(),
  creator: user,
  created_at: z.string(),
  updated_at: z.string(),
  production_environment: z.boolean().nullish(),
  transient_environment: z.boolean().nullish(),
});
export type GithubDeployment = z.infer<typeof deploymentSchema>;

export const deploymentStatusSchema = z.object({
  id: z.number(),
  state: z.string(),
  created_at: z.string(),
  description: z.string().nullish(),
  log_url: z.string().nullish(),
  target_url: z.string().nullish(),
  environment_url: z.string().nullish(),
});
export type GithubDeploymentStatus = z.infer<typeof deploymentStatusSchema>;

export const workflowRunSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  display_title: z.string().nullish(),
  run_number: z.number().int(),
  run_attempt: z.number().int().nullish(),
  event: z.string(),
  status: z.string().nullish(),
  conclusion: z.string().nullish(),
  head_branch: z.string().nullish(),
  head_sha: z.string(),
  html_url: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  run_started_at: z.string().nullish(),
  actor: user,
});
export type GithubWorkflowRun = z.infer<typeof workflowRunSchema>;

export const workflowRunsPageSchema = z.object({
  total_count: z.number().optional(),
  workflow_runs: z.array(z.unknown()),
});
