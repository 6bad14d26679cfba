/*
 * The files of a repository, written from its facts: README, .gitignore, CODEOWNERS (naming the
 * owning team as @<org>/<team-slug>), the CI workflow `.github/workflows/ci.yml` (with the
 * repository's Node version for JavaScript and TypeScript), a deploy workflow and a Dockerfile
 * for what runs, the package manifests and a first source file per language, and for the
 * catalog's repositories their `catalog-info.yaml`. Paths are known at once; contents are
 * written on demand.
 */
import { stringify } from 'yaml';
import { ScenarioRepo } from '../types';
import type { RepoEntry } from './repos';
import {
  ManifestContext,
  goMod,
  gradleBuild,
  gradleSettings,
  packageJson,
  pomXml,
  pyproject,
  sourceFiles,
} from './manifests';

export type FileGenerator = () => string;

/** Looks up the facts of another repository (the components a repository depends on). */
interface RepoLookup {
  facts(fullName: string): ScenarioRepo | undefined;
}

const GITIGNORE: Record<string, string> = {
  Go: 'bin/\n*.test\ncoverage.out\n',
  TypeScript: 'node_modules/\ndist/\ncoverage/\n',
  JavaScript: 'node_modules/\n_site/\n',
  Kotlin: '.gradle/\nbuild/\n.idea/\n',
  Python: '__pycache__/\n.venv/\ndist/\n*.egg-info/\n',
  Java: 'target/\n.idea/\n',
};

function ciSteps(facts: ScenarioRepo, language: string): string[] {
  switch (language) {
    case 'TypeScript':
    case 'JavaScript':
      return [
        '      - uses: actions/setup-node@v4',
        '        with:',
        `          node-version: ${facts.nodeVersion ?? 18}`,
        '          cache: npm',
        '      - run: npm ci',
        '      - run: npm run lint',
        '      - run: npm test',
      ];
    case 'Go':
      return [
        '      - uses: actions/setup-go@v5',
        '        with:',
        '          go-version-file: go.mod',
        '      - run: go vet ./...',
        '      - run: go test -race ./...',
      ];
    case 'Kotlin':
      return [
        '      - uses: actions/setup-java@v4',
        '        with:',
        '          distribution: temurin',
        "          java-version: '21'",
        '      - uses: gradle/actions/setup-gradle@v3',
        '      - run: ./gradlew build',
      ];
    case 'Python':
      return [
        '      - uses: actions/setup-python@v5',
        '        with:',
        "          python-version: '3.12'",
        "      - run: pip install -e '.[test]'",
        '      - run: pytest',
      ];
    case 'Java':
      return [
        '      - uses: actions/setup-java@v4',
        '        with:',
        '          distribution: temurin',
        "          java-version: '11'",
        '      - run: mvn -B verify',
      ];
    default:
      return ['      - run: make test'];
  }
}

/** `.github/workflows/ci.yml`: one job per language of the repository. */
export function ciWorkflow(facts: ScenarioRepo, langs: string[]): string {
  const jobs = langs.flatMap((l, i) => [
    `  ${langs.length === 1 ? 'build' : l.toLocaleLowerCase('en-US')}:`,
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    ...ciSteps(facts, l),
    ...(i < langs.length - 1 ? [''] : []),
  ]);
  return [
    'name: CI',
    '',
    'on:',
    '  push:',
    `    branches: [${facts.defaultBranch}]`,
    '  pull_request:',
    '',
    'jobs:',
    ...jobs,
    '',
  ].join('\n');
}

function deployWorkflow(facts: ScenarioRepo): string {
  return [
    'name: Deploy',
    '',
    'on:',
    '  release:',
    '    types: [published]',
    '',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    strategy:',
    '      max-parallel: 1',
    '      matrix:',
    '        environment: [staging, production]',
    '    environment: ${{ matrix.environment }}',
    '    steps:',
    '      - uses: actions/checkout@v4',
    `      - run: deployctl rollout ${facts.name} --version \${{ github.event.release.tag_name }} --env \${{ matrix.environment }}`,
    '',
  ].join('\n');
}

function codeowners(facts: ScenarioRepo): string {
  return [
    `# Code owners of ${facts.fullName}: a review from one of them is required on ${facts.defaultBranch}.`,
    '# https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners',
    `*       @${facts.owner}/${facts.ownerTeam}`,
    '',
  ].join('\n');
}

function dockerfile(language: string, name: string): string {
  switch (language) {
    case 'Go':
      return `FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/${name}\n\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n`;
    case 'TypeScript':
    case 'JavaScript':
      return `FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY dist ./dist\nCMD ["node", "dist/main.js"]\n`;
    case 'Python':
      return `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["python", "-m", "${name.replace(
        /-/g,
        '_',
      )}"]\n`;
    default:
      return `FROM eclipse-temurin:21-jre\nCOPY build/libs/${name}.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n`;
  }
}

function readme(entry: RepoEntry): string {
  const f = entry.facts;
  const lines = [`# ${f.name}`, '', f.description, ''];
  if (f.archived)
    lines.push('> **Archived.** This repository is read-only.', '');
  if (f.forkOf)
    lines.push(`Fork of [${f.forkOf}](https://github.com/${f.forkOf}).`, '');
  lines.push(
    `Owned by ${entry.teamName} (\`@${f.owner}/${f.ownerTeam}\`).`,
    '',
  );
  if (f.entityRef)
    lines.push(`Backstage: \`${f.entityRef}\` (see catalog-info.yaml).`, '');
  return lines.join('\n');
}

function catalogInfo(entry: RepoEntry): string {
  const svc = entry.svc!;
  return stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: svc.name,
      description: svc.description,
      ...(svc.tags.length ? { tags: svc.tags } : {}),
      annotations: svc.annotations,
    },
    spec: {
      type: svc.type,
      lifecycle: 'production',
      owner: svc.owner,
      ...(svc.system ? { system: svc.system } : {}),
      ...(svc.dependsOn.length ? { dependsOn: svc.dependsOn } : {}),
    },
  });
}

/** The files of a repository: [path, content on demand], in no particular order. */
export function repoFileGenerators(
  entry: RepoEntry,
  repos: RepoLookup,
): Array<[string, FileGenerator]> {
  const f = entry.facts;
  const ctx: ManifestContext = {
    facts: f,
    deps: entry.deps
      .map(d => repos.facts(d))
      .filter((d): d is ScenarioRepo => !!d),
  };
  const primary = entry.langs[0];
  const runnable = f.type === 'service' || f.type === 'website';
  const out: Array<[string, FileGenerator]> = [
    ['README.md', () => readme(entry)],
    ['.gitignore', () => GITIGNORE[primary] ?? ''],
    [f.ciWorkflow, () => ciWorkflow(f, entry.langs)],
  ];
  if (f.codeowners) out.push(['.github/CODEOWNERS', () => codeowners(f)]);
  if (runnable && !f.archived) {
    out.push(['.github/workflows/deploy.yml', () => deployWorkflow(f)]);
    out.push(['Dockerfile', () => dockerfile(primary, f.name)]);
  }
  if (entry.svc && f.inCatalog)
    out.push(['catalog-info.yaml', () => catalogInfo(entry)]);
  const manifests: Record<string, Array<[string, FileGenerator]>> = {
    'package.json': [['package.json', () => packageJson(ctx)]],
    'go.mod': [['go.mod', () => goMod(ctx)]],
    'build.gradle.kts': [
      ['build.gradle.kts', () => gradleBuild(ctx)],
      ['settings.gradle.kts', () => gradleSettings(ctx)],
    ],
    'pyproject.toml': [['pyproject.toml', () => pyproject(ctx)]],
    'pom.xml': [['pom.xml', () => pomXml(ctx)]],
  };
  for (const m of f.manifests) out.push(...(manifests[m] ?? []));
  if (f.language === 'TypeScript')
    out.push([
      'tsconfig.json',
      () =>
        `${JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              module: 'NodeNext',
              strict: true,
              outDir: 'dist',
              ...(f.type === 'website' ? { jsx: 'react-jsx' } : {}),
            },
            include: ['src'],
          },
          null,
          2,
        )}\n`,
    ]);
  const seen = new Set(out.map(([p]) => p));
  for (const l of entry.langs)
    for (const [p, gen] of sourceFiles(f, l))
      if (!seen.has(p)) {
        seen.add(p);
        out.push([p, gen]);
      }
  return out;
}
