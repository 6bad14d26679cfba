import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  PROJECT_LIMITS,
  QuickLink,
} from '@dash-suite/plugin-project-catalog-common';
import { CatalogIndex, SLUG_ANNOTATION } from './CatalogIndex';
import { DiscoverySettings } from './config';
import { GithubClient, GithubRepository } from './GithubClient';
import { inferType, MANIFESTS_READ, RepositorySignals } from './inferType';
import {
  CODEOWNERS_PATHS,
  codeownersTeam,
  groupOfTeam,
  strongestTeam,
} from './inferOwner';
import {
  DiscoveredProject,
  DiscoveryScanner,
  KnownSuggestions,
  clip,
  entityNameFrom,
} from './types';

/** Repositories looked at closely at once. */
const CONCURRENCY = 4;

/** `github:acme/returns-service`; a host other than github.com is part of the key. */
export function githubSuggestionId(host: string, fullName: string): string {
  const key = fullName.toLocaleLowerCase('en-US');
  return host === 'github.com' ? `github:${key}` : `github:${host}/${key}`;
}

/** Runs `fn` over the items, `limit` at a time; the first failure fails the whole run. */
async function eachLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

/**
 * Repositories of the configured organisations that no catalog entity names (by
 * `github.com/project-slug`) and no Component is named after. Archived repositories and forks
 * are skipped: neither is a project anyone would adopt. Each one left is read closely (root
 * folder, CODEOWNERS, manifests, team access) for its type and owner; a repository whose
 * suggestion was decided before is not read again.
 */
export class GithubScanner implements DiscoveryScanner {
  readonly source = 'github' as const;
  private readonly integrations?: ScmIntegrations;
  private readonly setupProblem?: string;

  constructor(
    config: Config,
    private readonly settings: DiscoverySettings,
    private readonly logger: LoggerService,
    private readonly credentials?: GithubCredentialsProvider,
  ) {
    try {
      this.integrations = ScmIntegrations.fromConfig(config);
    } catch (error) {
      this.setupProblem = `integrations.github is invalid: ${
        (error as Error).message
      }`;
    }
  }

  configurationProblem(): string | undefined {
    const { github } = this.settings;
    if (this.setupProblem ?? github.problem)
      return this.setupProblem ?? github.problem;
    if (!github.organizations.length) {
      return github.from === 'config'
        ? 'GitHub discovery is off (projectCatalog.discovery.github.organizations is empty)'
        : 'No organisations to scan: set projectCatalog.discovery.github.organizations (or allowedInstallationOwners of a GitHub App in integrations.github)';
    }
    return undefined;
  }

  async scan(
    index: CatalogIndex,
    known: KnownSuggestions,
  ): Promise<DiscoveredProject[]> {
    const found: DiscoveredProject[] = [];
    for (const { host, org } of this.settings.github.organizations) {
      const client = await GithubClient.create({
        integrations: this.integrations!,
        credentials: this.credentials,
        host,
        org,
        timeoutMs: this.settings.timeoutMs,
        logger: this.logger,
      });
      const candidates = (await client.repositories(org)).filter(
        r =>
          !r.archived &&
          !r.fork &&
          !index.repository(r.full_name) &&
          !index.component(r.name),
      );
      found.push(
        ...(await eachLimited(candidates, CONCURRENCY, repo => {
          const id = githubSuggestionId(host, repo.full_name);
          return known.get(id) === 'decided'
            ? Promise.resolve(this.basic(id, repo))
            : this.inspect(client, id, repo, index);
        })),
      );
    }
    return found;
  }

  /** What the listing says, without a closer look. */
  private basic(id: string, repo: GithubRepository): DiscoveredProject {
    const links: QuickLink[] = [
      { title: 'Repository', url: repo.html_url, group: 'Code' },
      { title: 'Actions', url: `${repo.html_url}/actions`, group: 'Code' },
    ];
    return {
      id,
      source: 'github',
      name: entityNameFrom(repo.name),
      title: clip(repo.name, PROJECT_LIMITS.titleLength),
      description: clip(repo.description, PROJECT_LIMITS.descriptionLength),
      language: repo.language ?? undefined,
      links: links.filter(l => /^https?:\/\//.test(l.url)),
      annotations: { [SLUG_ANNOTATION]: repo.full_name },
      evidence: {},
    };
  }

  private async inspect(
    client: GithubClient,
    id: string,
    repo: GithubRepository,
    index: CatalogIndex,
  ): Promise<DiscoveredProject> {
    const [owner, name] = repo.full_name.split('/');
    const root = await client.contents(owner, name, '');
    const rootFiles = root && 'names' in root ? root.names : [];
    const read = async (path: string) => {
      const got = await client.contents(owner, name, path);
      return got && 'text' in got ? got.text : undefined;
    };
    const manifests: Record<string, string | undefined> = {};
    for (const file of MANIFESTS_READ) {
      if (rootFiles.includes(file)) manifests[file] = await read(file);
    }
    const signals: RepositorySignals = {
      topics: repo.topics ?? [],
      language: repo.language ?? undefined,
      rootFiles,
      packageJson: parseJson(manifests['package.json']),
      pyproject: manifests['pyproject.toml'],
      gradle: manifests['build.gradle.kts'] ?? manifests['build.gradle'],
      pom: manifests['pom.xml'],
    };
    const type = inferType(signals);
    const suggestion = this.basic(id, repo);
    suggestion.type = type.type;
    if (type.evidence) suggestion.evidence.type = type.evidence;

    for (const path of CODEOWNERS_PATHS) {
      // Only paths the root folder shows are read (always .github/, which it lists as a folder).
      const top = path.split('/')[0];
      if (!rootFiles.includes(top)) continue;
      const text = await read(path);
      const team = text === undefined ? undefined : codeownersTeam(text);
      if (team) {
        suggestion.owner = groupOfTeam(team);
        suggestion.evidence.owner = `${path}: * @${owner}/${team}`;
        break;
      }
    }
    if (!suggestion.owner) {
      const team = strongestTeam((await client.teams(owner, name)) ?? []);
      if (team) {
        suggestion.owner = groupOfTeam(team.slug);
        suggestion.evidence.owner = `team ${team.slug} has ${team.permission} access`;
      }
    }
    if (suggestion.owner && !index.hasGroup(suggestion.owner)) {
      suggestion.evidence.owner += ` (no such group in the catalog yet)`;
    }
    return suggestion;
  }
}

function parseJson(
  text: string | undefined,
): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
