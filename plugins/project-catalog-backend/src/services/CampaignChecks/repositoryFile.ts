import {
  CampaignCheckContext,
  CampaignCheckResult,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { z } from 'zod';
import { GithubContentsClient } from './GithubContentsClient';
import { patternSchema, safeRegExp } from './pattern';

/** Longest file content matched against a pattern. */
const LONGEST_CONTENT = 512 * 1024;

const configSchema = z
  .object({
    /** A path in the repository, e.g. `.github/workflows/ci.yml`. */
    path: z
      .string()
      .min(1, 'must not be empty')
      .max(500)
      .regex(
        /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._\-/]+(?<!\/)$/,
        'must be a relative path in the repository, e.g. .github/workflows/ci.yml',
      ),
    /** When given, the file must contain a match of this regular expression (multi-line). */
    matches: patternSchema.optional(),
    /** True: done when the file is gone (e.g. a retired `.travis.yml`). */
    absent: z.boolean().optional(),
  })
  .strict();

export type RepositoryFileConfig = z.infer<typeof configSchema>;

/** What the check keeps between evaluations: the ETag of the answer it judged. */
interface Cursor {
  /** What the ETag is valid for: repository, path, pattern. */
  key: string;
  etag: string;
}

function readCursor(cursor: string | undefined): Cursor | undefined {
  try {
    const c = cursor ? JSON.parse(cursor) : undefined;
    return typeof c?.key === 'string' && typeof c?.etag === 'string'
      ? c
      : undefined;
  } catch {
    return undefined;
  }
}

const shorten = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * Done when a file exists in the entity's repository (`github.com/project-slug`), optionally
 * containing a pattern, or (with `absent`) when it is gone. Unchanged files cost a 304.
 */
export function repositoryFileCheck(
  github: GithubContentsClient,
): CampaignCheckType<RepositoryFileConfig> {
  return {
    id: 'repository-file',
    title: 'File in the repository',
    description:
      "Done when a file exists in the entity's GitHub repository (and contains a match of a pattern, when one is given), or with `absent`, when it is gone.",
    configSchema,
    async evaluate(
      ctx: CampaignCheckContext<RepositoryFileConfig>,
    ): Promise<CampaignCheckResult> {
      const { config } = ctx;
      const { repo, problem } = github.resolve(ctx.entity);
      if (!repo) return { status: 'failing', detail: problem };
      const key = JSON.stringify([repo.host, repo.slug, config]);
      const stored = readCursor(ctx.previous?.cursor);
      const etag =
        stored?.key === key && ctx.previous ? stored.etag : undefined;
      const answer = await github.getFile(repo, config.path, etag, ctx.signal);
      const where = `${config.path} in ${repo.slug}`;
      switch (answer.kind) {
        case 'not-modified':
          return { ...ctx.previous!, cursor: ctx.previous!.cursor };
        case 'missing':
          return config.absent
            ? { status: 'done', detail: `${where} is gone` }
            : { status: 'failing', detail: `${where} does not exist` };
        case 'directory':
          return {
            status: 'failing',
            detail: `${where} is a directory, not a file`,
          };
        default:
      }
      const cursor = answer.etag
        ? JSON.stringify({ key, etag: answer.etag } satisfies Cursor)
        : undefined;
      if (config.absent) {
        return { status: 'failing', detail: `${where} still exists`, cursor };
      }
      if (!config.matches)
        return { status: 'done', detail: `${where} exists`, cursor };
      const match = safeRegExp(config.matches).exec(
        answer.content.slice(0, LONGEST_CONTENT),
      );
      return match
        ? {
            status: 'done',
            detail: `${where}: ${shorten(match[0].trim())}`,
            cursor,
          }
        : {
            status: 'failing',
            detail: `${where} has no match of /${config.matches}/`,
            cursor,
          };
    },
  };
}
