/*
 * The GitHub side of the organisation as facts: teams, and one repository per catalog component
 * with a `github.com/project-slug` (plus, in the catalog scenarios, the few repositories of
 * extraRepos.ts that the catalog lacks). A repository's language, manifests, topics, team access,
 * CODEOWNERS and the Node version of its CI follow from its component's tags and type; the facts
 * do not depend on the seed or on `now`. The files themselves are written by repoFiles.ts.
 */
import {
  ScenarioGitHub,
  ScenarioGitHubTeam,
  ScenarioRepo,
  ScenarioRepoTeam,
  ScenarioService,
} from '../types';
import { hashParts } from '../random';
import { Org } from './org';
import { ServiceData } from './model';
import { EXTRA_REPOS, ExtraRepoDef, extraRepoData } from './extraRepos';
import { FileGenerator, repoFileGenerators } from './repoFiles';

/** The languages GitHub reports, by catalog tag. */
const LANGUAGE_OF_TAG: Record<string, string> = {
  go: 'Go',
  golang: 'Go',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  kotlin: 'Kotlin',
  python: 'Python',
  java: 'Java',
};

/** The package manifest at the root of a repository, per language. */
export const MANIFEST_OF: Record<string, string> = {
  Go: 'go.mod',
  TypeScript: 'package.json',
  JavaScript: 'package.json',
  Kotlin: 'build.gradle.kts',
  Python: 'pyproject.toml',
  Java: 'pom.xml',
};

const SCALE_LANGUAGES = ['Go', 'TypeScript', 'Kotlin', 'Python'];

export function isNodeLanguage(language: string): boolean {
  return language === 'TypeScript' || language === 'JavaScript';
}

/** A repository: its facts, and what its files are written from. */
export interface RepoEntry {
  facts: ScenarioRepo;
  /** The catalog component of the repository. */
  svc?: ScenarioService;
  /** Full names of the repositories of the components it depends on. */
  deps: string[];
  /** Languages in use (the primary first). */
  langs: string[];
  /** Display name of the owning team. */
  teamName: string;
}

/** A repository the catalog lacks: a stand-in service (never a catalog component) and its data. */
export interface ExtraRepo {
  entry: RepoEntry;
  /** Serves the GitHub routes that take a service; index -1, not in the scenario's services. */
  svc: ScenarioService;
  data: ServiceData;
}

/** Bytes per language, largest first: the primary language dominates, the others are smaller. */
function languageBytes(fullName: string, langs: string[], type: string) {
  const h = (k: string) => hashParts('languages', fullName, k);
  const out: Array<[string, number]> = [];
  const primary = 60_000 + (h('primary') % 400_000);
  out.push([langs[0], primary]);
  langs.slice(1).forEach((l, i) => {
    out.push([l, Math.floor(primary * (0.15 + (h(l) % 25) / 100 / (i + 1)))]);
  });
  const extras: string[] = [];
  if (type === 'service' || type === 'website') extras.push('Dockerfile');
  if (langs.includes('Go')) extras.push('Makefile');
  if (type === 'website') extras.push('CSS', 'HTML');
  extras.push('Shell');
  for (const e of extras)
    if (!out.some(([l]) => l === e)) out.push([e, 300 + (h(e) % 4000)]);
  out.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(out);
}

function teamAccess(
  owner: string,
  type: string,
  sre: string | undefined,
): ScenarioRepoTeam[] {
  const teams: ScenarioRepoTeam[] = [{ slug: owner, permission: 'admin' }];
  // SRE may triage the issues of everything that runs.
  if (sre && sre !== owner && (type === 'service' || type === 'website'))
    teams.push({ slug: sre, permission: 'triage' });
  return teams;
}

function teamSlug(ref: string): string {
  return ref.replace(/^group:(default\/)?/, '');
}

const lower = (s: string) => s.toLowerCase();

/** A repository of an organisation's list, without its facts. */
export interface RepoRef {
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  fork: boolean;
}

export interface RepoRegistryOptions {
  kind: 'demo' | 'scale' | 'empty';
  /** The scenario's services (the catalog's components, or the scale services). */
  services: ScenarioService[];
  org: Org;
  seed: number;
  anchor: number;
  /** The service of a repository slug (the store's index). */
  serviceBySlug(owner: string, repo: string): ScenarioService | undefined;
}

/**
 * Every repository and its files. The catalog scenarios build their dozen or so repositories at
 * once; 'scale' builds a repository's facts on first use (they depend on its service alone), so
 * that 10,000 services still start at once, and lists none in the ground truth.
 */
export class RepoRegistry {
  readonly github: ScenarioGitHub;
  private readonly bySlug = new Map<string, RepoEntry>();
  private readonly extras = new Map<string, ExtraRepo>();
  private readonly teamsByOrg = new Map<string, ScenarioGitHubTeam[]>();
  private readonly fileCache = new Map<string, Map<string, FileGenerator>>();
  /** The catalog scenarios' services by lower-cased slug. */
  private readonly services = new Map<string, ScenarioService>();
  private readonly bySvcRef = new Map<string, ScenarioService>();
  private readonly sre: string | undefined;

  constructor(private readonly opts: RepoRegistryOptions) {
    const { kind, services, org } = opts;
    const owners: string[] = [];
    if (kind === 'scale') {
      // Every scale repository is 'scale/svc-NNNNN'.
      if (services[0]?.githubSlug)
        owners.push(services[0].githubSlug.split('/')[0]);
    } else {
      for (const s of services) {
        this.bySvcRef.set(s.entityRef, s);
        if (!s.githubSlug) continue;
        const key = lower(s.githubSlug);
        if (!this.services.has(key)) this.services.set(key, s);
        const owner = s.githubSlug.split('/')[0];
        if (!owners.includes(owner)) owners.push(owner);
      }
    }
    const teams: ScenarioGitHubTeam[] = [];
    owners.forEach((o, oi) => {
      const list = org.teams.map((t, i) => ({
        org: o,
        id: 3_900_000 + oi * 10_000 + i * 7 + 1,
        slug: t.name,
        name: t.displayName,
      }));
      this.teamsByOrg.set(o, list);
      teams.push(...list);
    });
    this.sre = org.teamByName.has(org.sreTeam.name)
      ? org.sreTeam.name
      : undefined;
    if (kind === 'scale') {
      this.github = { orgs: owners, teams, repos: [] };
      return;
    }

    const entries: RepoEntry[] = [];
    for (const svc of this.services.values()) {
      const entry = this.catalogEntry(svc);
      entries.push(entry);
      this.bySlug.set(lower(entry.facts.fullName), entry);
    }
    // The catalog scenarios' organisation also has repositories the catalog lacks.
    const mainOrg = owners[0];
    if (mainOrg) {
      EXTRA_REPOS.forEach((def, i) => {
        const key = lower(`${mainOrg}/${def.name}`);
        if (this.bySlug.has(key)) return;
        const entry = this.extraEntry(def, mainOrg);
        entries.push(entry);
        this.bySlug.set(key, entry);
        const { svc, data } = extraRepoData(def, entry.facts, i, {
          seed: opts.seed,
          anchor: opts.anchor,
          authors: org.teamByName.get(entry.facts.ownerTeam)?.members ?? [],
        });
        this.extras.set(key, { entry, svc, data });
      });
    }
    // The demo campaign "CI runs on Node 22": the Node repositories of an organisation, sorted
    // by full name, alternate 22, 18, 22, ... so about half of them are done.
    for (const o of owners) {
      entries
        .filter(e => e.facts.owner === o && isNodeLanguage(e.facts.language))
        .sort((a, b) => (a.facts.fullName < b.facts.fullName ? -1 : 1))
        .forEach((e, i) => {
          e.facts.nodeVersion = i % 2 === 0 ? 22 : 18;
        });
    }
    for (const e of entries) this.listFiles(e);
    this.github = { orgs: owners, teams, repos: entries.map(e => e.facts) };
  }

  private listFiles(e: RepoEntry): void {
    e.facts.files = repoFileGenerators(e, this)
      .map(([path]) => path)
      .sort();
  }

  private teamName(slug: string): string {
    return this.opts.org.teamByName.get(slug)?.displayName ?? slug;
  }

  /** The repository of a scenario service. */
  private catalogEntry(svc: ScenarioService): RepoEntry {
    const scale = this.opts.kind === 'scale';
    const slug = svc.githubSlug!;
    const [owner, name] = slug.split('/');
    let langs = [
      ...new Set(svc.tags.map(t => LANGUAGE_OF_TAG[lower(t)])),
    ].filter((l): l is string => !!l);
    if (!langs.length)
      langs = [
        scale
          ? SCALE_LANGUAGES[svc.index % SCALE_LANGUAGES.length]
          : (svc.type === 'website' && 'TypeScript') || 'Go',
      ];
    const ownerTeam = teamSlug(svc.owner);
    const topics = scale
      ? [lower(langs[0]), svc.type]
      : [...new Set([...svc.tags, svc.type])].map(t =>
          lower(t).replace(/[^a-z0-9-]/g, '-'),
        );
    const facts: ScenarioRepo = {
      fullName: slug,
      owner,
      name,
      inCatalog: true,
      entityRef: svc.entityRef,
      type: svc.type,
      description: svc.description,
      language: langs[0],
      languages: languageBytes(slug, langs, svc.type),
      topics,
      archived: false,
      fork: false,
      private: true,
      defaultBranch: 'main',
      ownerTeam,
      codeowners: true,
      teams: teamAccess(ownerTeam, svc.type, this.sre),
      manifests: [...new Set(langs.map(l => MANIFEST_OF[l]))],
      ciWorkflow: '.github/workflows/ci.yml',
      files: [],
    };
    // 'scale': every fourth service is TypeScript (index 1, 5, 9, ...); in name order they
    // alternate 22, 18, ... like the Node repositories of the catalog scenarios.
    if (scale && isNodeLanguage(facts.language))
      facts.nodeVersion = Math.floor(svc.index / 4) % 2 === 0 ? 22 : 18;
    const deps = svc.dependsOn
      .map(ref => this.bySvcRef.get(ref)?.githubSlug)
      .filter((d): d is string => !!d);
    return {
      facts,
      svc,
      deps,
      langs,
      teamName: this.teamName(ownerTeam),
    };
  }

  private extraEntry(def: ExtraRepoDef, owner: string): RepoEntry {
    const { org } = this.opts;
    const fallback = org.teams[0]?.name ?? 'team';
    const has = (slug: string) => org.teamByName.has(slug);
    const ownerTeam = has(def.team) ? def.team : fallback;
    const teams: ScenarioRepoTeam[] = [
      { slug: ownerTeam, permission: 'admin' },
      ...(def.otherTeams ?? []).filter(
        t => has(t.slug) && t.slug !== ownerTeam,
      ),
    ];
    const fullName = `${owner}/${def.name}`;
    return {
      facts: {
        fullName,
        owner,
        name: def.name,
        inCatalog: false,
        type: def.type,
        description: def.description,
        language: def.languages[0],
        languages: languageBytes(fullName, def.languages, def.type),
        topics: def.topics,
        archived: def.archived ?? false,
        fork: !!def.forkOf,
        ...(def.forkOf ? { forkOf: def.forkOf } : {}),
        private: def.private,
        defaultBranch: 'main',
        ownerTeam,
        codeowners: def.codeowners,
        teams,
        manifests: [...new Set(def.languages.map(l => MANIFEST_OF[l]))],
        ciWorkflow: '.github/workflows/ci.yml',
        files: [],
      },
      deps: [],
      langs: def.languages,
      teamName: this.teamName(ownerTeam),
    };
  }

  /** A repository by owner and name (case-insensitive); 'scale' builds it on first use. */
  entry(owner: string, repo: string): RepoEntry | undefined {
    const key = lower(`${owner}/${repo}`);
    let e = this.bySlug.get(key);
    if (!e && this.opts.kind === 'scale') {
      const svc = this.opts.serviceBySlug(owner, repo);
      if (!svc?.githubSlug) return undefined;
      e = this.catalogEntry(svc);
      this.listFiles(e);
      this.bySlug.set(key, e);
      // Keep the 1,000 most recently built.
      if (this.bySlug.size > 1000)
        this.bySlug.delete(this.bySlug.keys().next().value as string);
    }
    return e;
  }

  facts(fullName: string): ScenarioRepo | undefined {
    const [owner, repo] = fullName.split('/');
    return this.entry(owner, repo ?? '')?.facts;
  }

  /** A repository the catalog lacks, with its stand-in service and data. */
  extra(owner: string, repo: string): ExtraRepo | undefined {
    return this.extras.get(lower(`${owner}/${repo}`));
  }

  /** Whether the organisation exists (owns a repository). */
  hasOrg(org: string): boolean {
    return this.teamsByOrg.has(org);
  }

  /** The repositories of an organisation, without building their facts. */
  reposOf(org: string): RepoRef[] {
    const out: RepoRef[] = [];
    if (this.opts.kind === 'scale') {
      for (const svc of this.opts.services) {
        if (!svc.githubSlug) continue;
        const [owner, name] = svc.githubSlug.split('/');
        if (owner === org)
          out.push({
            owner,
            name,
            fullName: svc.githubSlug!,
            private: true,
            fork: false,
          });
      }
      return out;
    }
    for (const e of this.bySlug.values())
      if (e.facts.owner === org)
        out.push({
          owner: e.facts.owner,
          name: e.facts.name,
          fullName: e.facts.fullName,
          private: e.facts.private,
          fork: e.facts.fork,
        });
    return out;
  }

  teamsOf(org: string): ScenarioGitHubTeam[] {
    return this.teamsByOrg.get(org) ?? [];
  }

  /** The file generators of a repository by path (the last 200 repositories asked stay cached). */
  files(entry: RepoEntry): Map<string, FileGenerator> {
    const key = entry.facts.fullName;
    let files = this.fileCache.get(key);
    if (!files) {
      files = new Map(repoFileGenerators(entry, this));
      this.fileCache.set(key, files);
      if (this.fileCache.size > 200)
        this.fileCache.delete(this.fileCache.keys().next().value as string);
    }
    return files;
  }
}
