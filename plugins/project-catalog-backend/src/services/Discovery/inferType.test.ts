import fc from 'fast-check';
import { PROJECT_TYPES } from '@dash-suite/plugin-project-catalog-common';
import { RepositorySignals, inferType } from './inferType';

const signals = (s: Partial<RepositorySignals>): RepositorySignals => ({
  topics: [],
  rootFiles: [],
  ...s,
});

describe('inferType', () => {
  it.each([
    [
      'a type topic first',
      { topics: ['go', 'library'], rootFiles: ['Dockerfile'] },
      'library',
      "topic 'library'",
    ],
    [
      'a site framework topic',
      { topics: ['gatsby'] },
      'website',
      "topic 'gatsby'",
    ],
    [
      'a site framework in package.json',
      {
        rootFiles: ['package.json', 'Dockerfile'],
        packageJson: { devDependencies: { next: '14' } },
      },
      'website',
      'package.json depends on next',
    ],
    [
      'a start script',
      {
        rootFiles: ['package.json'],
        packageJson: { main: 'dist/index.js', scripts: { start: 'node .' } },
      },
      'service',
      'package.json has a start script',
    ],
    [
      'main without a start script',
      {
        rootFiles: ['package.json'],
        packageJson: { main: 'dist/index.js', scripts: { test: 'x' } },
      },
      'library',
      'package.json has main or exports and no start script',
    ],
    [
      'bin',
      { rootFiles: ['package.json'], packageJson: { bin: { x: 'x.js' } } },
      'tool',
      'package.json has bin',
    ],
    [
      'a Dockerfile',
      { rootFiles: ['go.mod', 'Dockerfile', 'cmd'] },
      'service',
      'a Dockerfile at the root',
    ],
    [
      'go.mod with cmd/',
      { rootFiles: ['go.mod', 'cmd'] },
      'tool',
      'go.mod with cmd/ (or main.go) and no Dockerfile',
    ],
    [
      'go.mod alone',
      { rootFiles: ['go.mod', 'kafka.go'] },
      'library',
      'go.mod without cmd/ or main.go',
    ],
    [
      'a Python web framework',
      {
        rootFiles: ['pyproject.toml'],
        pyproject: 'dependencies = [\n    "fastapi>=0.111",\n]',
      },
      'service',
      'pyproject.toml depends on a web framework',
    ],
    [
      'Python scripts',
      {
        rootFiles: ['pyproject.toml'],
        pyproject: '[project.scripts]\nx = "x:main"',
      },
      'tool',
      'pyproject.toml has [project.scripts]',
    ],
    [
      'a Gradle library',
      {
        rootFiles: ['build.gradle.kts'],
        gradle: 'plugins {\n  `java-library`\n}',
      },
      'library',
      'Gradle java-library plugin',
    ],
    [
      'Spring Boot',
      {
        rootFiles: ['pom.xml'],
        pom: '<artifactId>spring-boot-starter-web</artifactId>',
      },
      'service',
      'pom.xml uses Spring Boot',
    ],
    ['HTML', { language: 'HTML' }, 'website', 'language HTML'],
    ['Shell', { language: 'Shell' }, 'tool', 'language Shell'],
  ])('%s', (_what, s, type, evidence) => {
    expect(inferType(signals(s as Partial<RepositorySignals>))).toEqual({
      type,
      evidence,
    });
  });

  it('leaves the type to the reviewer without a signal', () => {
    expect(
      inferType(signals({ language: 'Go', rootFiles: ['README.md'] })),
    ).toEqual({});
  });

  it('answers a project type or nothing, whatever the repository holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string()),
        fc.option(fc.string(), { nil: undefined }),
        fc.array(
          fc.constantFrom(
            'package.json',
            'Dockerfile',
            'go.mod',
            'cmd',
            'main.go',
          ),
        ),
        fc.option(fc.dictionary(fc.string(), fc.jsonValue()), {
          nil: undefined,
        }),
        (topics, language, rootFiles, packageJson) => {
          const { type } = inferType({
            topics,
            language,
            rootFiles,
            packageJson,
          });
          expect(type === undefined || PROJECT_TYPES.includes(type)).toBe(true);
        },
      ),
    );
  });
});
