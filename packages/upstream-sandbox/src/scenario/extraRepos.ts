/*
 * Repositories of the demo organisation that no catalog component names: what a discovery job
 * should find. A new service, a library, a website, a tool without CODEOWNERS (its owner follows
 * from the team with admin access), an archived service and a fork. Each has a short history of
 * its own (commits, and tags for some) so that every GitHub route answers for it.
 */
import { ScenarioRepo, ScenarioRepoTeam, ScenarioService } from '../types';
import { Rng } from '../random';
import { DAY, HOUR, MINUTE } from '../time';
import { Commit, Release, ServiceData, emptyServiceData } from './model';

export interface ExtraRepoDef {
  name: string;
  type: 'service' | 'website' | 'tool' | 'library';
  description: string;
  /** The primary language first. */
  languages: string[];
  topics: string[];
  /** Catalog group name of the owning team (admin access). */
  team: string;
  otherTeams?: ScenarioRepoTeam[];
  codeowners: boolean;
  private: boolean;
  archived?: boolean;
  forkOf?: string;
  /** When the repository was created (epoch ms, fixed). */
  createdAt: number;
  /** Days before the scenario's `now` of the last push; or a fixed time (archived repositories). */
  pushedDaysAgo?: number;
  pushedAt?: number;
  commitMessages: string[];
  /** Tags: [tag, index of the commit it points at]. */
  tags?: Array<[string, number]>;
}

export const EXTRA_REPOS: readonly ExtraRepoDef[] = [
  {
    name: 'returns-service',
    type: 'service',
    description:
      'Handles returns and refunds of storefront orders. Started this quarter.',
    languages: ['TypeScript'],
    topics: ['typescript', 'nestjs', 'service'],
    team: 'team-storefront',
    otherTeams: [{ slug: 'team-sre', permission: 'triage' }],
    codeowners: true,
    private: true,
    createdAt: Date.UTC(2025, 0, 13, 9, 41, 7),
    pushedDaysAgo: 1,
    commitMessages: [
      'Initial commit',
      'Scaffold the NestJS service',
      'Add the returns endpoint',
      'Validate return reasons',
      'Refund through payments-api',
      'Add CI workflow',
    ],
  },
  {
    name: 'ui-kit',
    type: 'library',
    description: 'Shared React components of the Acme web apps.',
    languages: ['TypeScript'],
    topics: ['typescript', 'react', 'design-system', 'library'],
    team: 'team-storefront',
    codeowners: true,
    private: false,
    createdAt: Date.UTC(2022, 5, 2, 14, 3, 51),
    pushedDaysAgo: 6,
    commitMessages: [
      'Initial commit',
      'Button and TextField',
      'Dark theme tokens',
      'Release 1.0.0',
      'DataTable with virtual rows',
      'Fix focus ring in Safari',
      'Release 1.1.0',
    ],
    tags: [
      ['v0.9.0', 2],
      ['v1.0.0', 3],
      ['v1.1.0', 6],
    ],
  },
  {
    name: 'engineering-blog',
    type: 'website',
    description: 'The Acme engineering blog, a static site.',
    languages: ['JavaScript'],
    topics: ['javascript', 'eleventy', 'website'],
    team: 'team-platform',
    codeowners: true,
    private: false,
    createdAt: Date.UTC(2021, 8, 20, 8, 12, 30),
    pushedDaysAgo: 9,
    commitMessages: [
      'Initial commit',
      'Post: how we run on-call',
      'Post: moving to Backstage',
      'Update dependencies',
    ],
  },
  {
    name: 'cost-reporter',
    type: 'tool',
    description: 'Weekly cloud cost report per team, posted to Slack.',
    languages: ['Python'],
    topics: ['python', 'finops', 'tool'],
    team: 'team-sre',
    // No CODEOWNERS: the owner is the team with admin access.
    otherTeams: [{ slug: 'team-platform', permission: 'pull' }],
    codeowners: false,
    private: true,
    createdAt: Date.UTC(2023, 2, 7, 16, 20, 2),
    pushedDaysAgo: 21,
    commitMessages: [
      'Initial commit',
      'Read the billing export',
      'Group costs by team label',
      'Post the report to Slack',
    ],
    tags: [['v0.3.0', 3]],
  },
  {
    name: 'legacy-billing',
    type: 'service',
    description:
      'The invoicing system before payments-api. Archived; kept for reconciliations.',
    languages: ['Java'],
    topics: ['java', 'billing', 'legacy'],
    team: 'team-payments',
    codeowners: true,
    private: true,
    archived: true,
    createdAt: Date.UTC(2016, 3, 11, 10, 0, 12),
    pushedAt: Date.UTC(2023, 4, 17, 15, 12, 44),
    commitMessages: [
      'Initial commit',
      'Monthly invoice run',
      'VAT rules for the EU',
      'Hand invoicing over to payments-api',
      'Archive: read-only from now on',
    ],
    tags: [
      ['v3.8.0', 2],
      ['v3.8.1', 3],
    ],
  },
  {
    name: 'kafka-go',
    type: 'library',
    description: "Kafka library in Go (Acme's fork, with a patch for SASL).",
    languages: ['Go'],
    topics: ['go', 'kafka', 'library'],
    team: 'team-platform',
    codeowners: true,
    private: false,
    forkOf: 'segmentio/kafka-go',
    createdAt: Date.UTC(2023, 9, 2, 11, 25, 0),
    pushedDaysAgo: 40,
    commitMessages: [
      'Merge upstream v0.4.47',
      'SASL: refresh the OAuth token before it expires',
    ],
  },
];

/** The stand-in service and the history of an extra repository. */
export function extraRepoData(
  def: ExtraRepoDef,
  facts: ScenarioRepo,
  i: number,
  opts: { seed: number; anchor: number; authors: string[] },
): { svc: ScenarioService; data: ServiceData } {
  const repoId = 510_000_000 + i * 131 + (def.name.length % 97);
  const pushedAt =
    def.pushedAt ??
    Math.floor(opts.anchor / DAY) * DAY -
      (def.pushedDaysAgo ?? 1) * DAY +
      14 * HOUR +
      (i * 7 + 3) * MINUTE;
  // Created at its fixed time, or earlier when the scenario's `now` comes before that.
  const createdAt = Math.min(def.createdAt, pushedAt - 60 * DAY);
  const data = emptyServiceData(repoId, createdAt);
  const n = def.commitMessages.length;
  // Commits spread between creation and the last push, the last one at the push.
  const span = pushedAt - createdAt;
  const authors = opts.authors.length ? opts.authors : ['unknown'];
  def.commitMessages.forEach((message, k) => {
    const rng = new Rng(opts.seed, 'extra-repo', def.name, k);
    const at =
      n === 1
        ? pushedAt
        : createdAt + Math.floor((span * k) / (n - 1) / 1000) * 1000;
    const commit: Commit = {
      sha: rng.hex(40),
      treeSha: rng.hex(40),
      message,
      author: authors[k % authors.length],
      at,
    };
    data.commits.push(commit);
  });
  data.commits.forEach((c, k) => {
    c.parentSha = k > 0 ? data.commits[k - 1].sha : undefined;
  });
  (def.tags ?? []).forEach(([tag, at], k) => {
    const target = data.commits[Math.min(at, n - 1)];
    const release: Release = {
      id: repoId * 10 + k,
      tag,
      name: tag,
      body: `## Changes\n\n- ${target.message}\n`,
      author: target.author,
      at: target.at + 10 * MINUTE,
      targetSha: target.sha,
      prerelease: tag.startsWith('v0.'),
    };
    data.releases.push(release);
  });
  const svc: ScenarioService = {
    index: -1,
    name: def.name,
    entityRef: '',
    type: def.type,
    description: def.description,
    tags: def.topics,
    owner: `group:default/${facts.ownerTeam}`,
    dependsOn: [],
    githubSlug: facts.fullName,
    annotations: {},
  };
  return { svc, data };
}
