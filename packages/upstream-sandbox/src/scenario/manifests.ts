/*
 * Package manifests and a first source file per language, written from a repository's facts:
 * package.json (with `engines.node` following the CI's Node version), go.mod (requiring the
 * organisation's Go libraries the component depends on), build.gradle.kts, pyproject.toml and
 * pom.xml. Versions of third-party packages are plausible, not current.
 */
import { ScenarioRepo } from '../types';

/** What a manifest needs to know besides the repository's own facts. */
export interface ManifestContext {
  facts: ScenarioRepo;
  /** The repositories of the components it depends on (libraries become requirements). */
  deps: ScenarioRepo[];
}

const GO_MODULES_OF_TAG: Record<string, string[]> = {
  grpc: [
    'google.golang.org/grpc v1.64.0',
    'google.golang.org/protobuf v1.34.2',
  ],
  postgres: ['github.com/jackc/pgx/v5 v5.6.0'],
  kafka: ['github.com/segmentio/kafka-go v0.4.47'],
  opentelemetry: [
    'go.opentelemetry.io/otel v1.28.0',
    'go.opentelemetry.io/otel/sdk v1.28.0',
  ],
  cli: ['github.com/spf13/cobra v1.8.1'],
};

const NPM_OF_TAG: Record<string, Record<string, string>> = {
  react: { react: '^18.3.1', 'react-dom': '^18.3.1' },
  nestjs: { '@nestjs/core': '^10.4.1', '@nestjs/common': '^10.4.1' },
  eleventy: { '@11ty/eleventy': '^2.0.1' },
};

const GRADLE_OF_TAG: Record<string, string[]> = {
  rest: [
    'io.ktor:ktor-server-netty:2.3.12',
    'io.ktor:ktor-server-content-negotiation:2.3.12',
  ],
  redis: ['io.lettuce:lettuce-core:6.3.2.RELEASE'],
};

const PYTHON_OF_TAG: Record<string, string[]> = {
  ml: ['scikit-learn>=1.5', 'numpy>=2.0'],
  cli: ['click>=8.1'],
  finops: ['google-cloud-bigquery>=3.25', 'slack-sdk>=3.31'],
};

/** Go package name of a repository: 'go-telemetry' -> 'telemetry', 'payments-sdk' -> 'payments'. */
export function goPackage(name: string): string {
  const parts = name.split('-').filter(p => !['go', 'sdk', 'api'].includes(p));
  return (parts[0] ?? name).replace(/[^a-z0-9]/g, '');
}

/** JVM/Python package segment: 'checkout-api' -> 'checkout', 'fraud-detector' -> 'fraud_detector'. */
export function pyPackage(name: string): string {
  return name.replace(/-/g, '_');
}

function jvmPackage(name: string): string {
  return name.replace(/-(api|service)$/, '').replace(/[^a-z0-9]/g, '');
}

function has(facts: ScenarioRepo, tag: string): boolean {
  return facts.topics.includes(tag);
}

export function packageJson({ facts }: ManifestContext): string {
  const ts = facts.language === 'TypeScript';
  const dependencies: Record<string, string> = {};
  for (const t of facts.topics) Object.assign(dependencies, NPM_OF_TAG[t]);
  const devDependencies: Record<string, string> = {
    eslint: '^9.9.0',
    vitest: '^2.0.5',
    ...(ts ? { typescript: '^5.5.4', '@types/node': '^22.5.0' } : {}),
  };
  const library = facts.type === 'library';
  const pkg = {
    name: `@${facts.owner}/${facts.name}`,
    version: library ? '1.1.0' : '0.0.0',
    ...(library ? {} : { private: true }),
    description: facts.description,
    license: facts.private ? 'UNLICENSED' : 'MIT',
    repository: `github:${facts.fullName}`,
    ...(library && ts
      ? { main: 'dist/index.js', types: 'dist/index.d.ts' }
      : {}),
    engines: { node: `>=${facts.nodeVersion ?? 18}` },
    scripts: {
      build: ts ? 'tsc -p .' : 'eleventy',
      lint: 'eslint .',
      test: 'vitest run',
      ...(facts.type === 'service' ? { start: 'node dist/main.js' } : {}),
    },
    ...(library && has(facts, 'react')
      ? { peerDependencies: { react: '>=18' } }
      : { dependencies }),
    devDependencies,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function goMod({ facts, deps }: ManifestContext): string {
  const requires: string[] = [];
  for (const d of deps)
    if (d.type === 'library' && d.manifests.includes('go.mod'))
      requires.push(`github.com/${d.fullName} v1.11.0`);
  for (const t of facts.topics) requires.push(...(GO_MODULES_OF_TAG[t] ?? []));
  const module = facts.forkOf
    ? `github.com/${facts.forkOf}`
    : `github.com/${facts.fullName}`;
  const req = requires.length
    ? `\nrequire (\n${requires.map(r => `\t${r}`).join('\n')}\n)\n`
    : '';
  return `module ${module}\n\ngo 1.22\n${req}`;
}

export function gradleBuild({ facts, deps }: ManifestContext): string {
  const library = facts.type === 'library';
  const lines: string[] = [];
  for (const t of facts.topics)
    for (const d of GRADLE_OF_TAG[t] ?? [])
      lines.push(`implementation("${d}")`);
  for (const d of deps)
    if (d.type === 'library' && d.manifests.includes('build.gradle.kts'))
      lines.push(`implementation("com.${d.owner}:${d.name}:2.3.1")`);
  lines.push('testImplementation(kotlin("test"))');
  return [
    'plugins {',
    '    kotlin("jvm") version "2.0.20"',
    library ? '    `java-library`' : '    application',
    '}',
    '',
    `group = "com.${facts.owner}"`,
    `version = "${library ? '2.3.1' : '1.0.0'}"`,
    '',
    'repositories {',
    '    mavenCentral()',
    '}',
    '',
    'dependencies {',
    ...lines.map(l => `    ${l}`),
    '}',
    '',
    'kotlin {',
    '    jvmToolchain(21)',
    '}',
    ...(library
      ? []
      : [
          '',
          'application {',
          `    mainClass.set("com.${facts.owner}.${jvmPackage(
            facts.name,
          )}.MainKt")`,
          '}',
        ]),
    '',
  ].join('\n');
}

export function gradleSettings({ facts }: ManifestContext): string {
  return `rootProject.name = "${facts.name}"\n`;
}

export function pyproject({ facts }: ManifestContext): string {
  const deps: string[] = [];
  for (const t of facts.topics) deps.push(...(PYTHON_OF_TAG[t] ?? []));
  if (facts.type === 'service') deps.unshift('fastapi>=0.111', 'uvicorn>=0.30');
  const pkg = pyPackage(facts.name);
  return [
    '[project]',
    `name = "${facts.name}"`,
    'version = "0.3.0"',
    `description = "${facts.description.replace(/"/g, '\\"')}"`,
    'requires-python = ">=3.12"',
    'dependencies = [',
    ...deps.map(d => `    "${d}",`),
    ']',
    '',
    '[project.optional-dependencies]',
    'test = ["pytest>=8.3"]',
    '',
    ...(facts.type === 'tool'
      ? ['[project.scripts]', `${facts.name} = "${pkg}.__main__:main"`, '']
      : []),
    '[build-system]',
    'requires = ["hatchling"]',
    'build-backend = "hatchling.build"',
    '',
  ].join('\n');
}

export function pomXml({ facts }: ManifestContext): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.${facts.owner}</groupId>
  <artifactId>${facts.name}</artifactId>
  <version>3.8.1</version>
  <name>${facts.name}</name>
  <description>${facts.description}</description>
  <properties>
    <maven.compiler.release>11</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
      <version>2.7.18</version>
    </dependency>
  </dependencies>
</project>
`;
}

/** The first source files of a repository: path and content, per language. */
export function sourceFiles(
  facts: ScenarioRepo,
  language: string,
): Array<[string, () => string]> {
  const name = facts.name;
  const runnable = facts.type !== 'library';
  switch (language) {
    case 'Go': {
      if (!runnable) {
        const pkg = goPackage(name);
        return [
          [
            `${pkg}.go`,
            () =>
              `// Package ${pkg}: ${facts.description}\npackage ${pkg}\n\n// Version of the library.\nconst Version = "1.11.0"\n`,
          ],
        ];
      }
      return [
        [
          `cmd/${name}/main.go`,
          () =>
            `// Command ${name}: ${facts.description}\npackage main\n\nimport (\n\t"log"\n\t"net/http"\n)\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {\n\t\tw.WriteHeader(http.StatusOK)\n\t})\n\tlog.Fatal(http.ListenAndServe(":8080", mux))\n}\n`,
        ],
      ];
    }
    case 'TypeScript':
    case 'JavaScript': {
      const ext = language === 'TypeScript' ? 'ts' : 'js';
      const file =
        facts.type === 'website' && language === 'TypeScript'
          ? 'src/App.tsx'
          : `src/index.${ext}`;
      return [
        [
          file,
          () =>
            `// ${facts.description}\nexport const name = '${name}';\n${
              facts.type === 'service'
                ? "\nexport function health() {\n  return { status: 'ok' };\n}\n"
                : ''
            }`,
        ],
      ];
    }
    case 'Kotlin': {
      const pkg = jvmPackage(name);
      return [
        [
          `src/main/kotlin/com/${facts.owner}/${pkg}/Main.kt`,
          () =>
            `package com.${facts.owner}.${pkg}\n\n/** ${facts.description} */\nfun main() {\n    println("${name} started")\n}\n`,
        ],
      ];
    }
    case 'Python': {
      const pkg = pyPackage(name);
      return [
        [`src/${pkg}/__init__.py`, () => `"""${facts.description}"""\n`],
        [
          `src/${pkg}/__main__.py`,
          () =>
            `def main() -> None:\n    print("${name}")\n\n\nif __name__ == "__main__":\n    main()\n`,
        ],
      ];
    }
    case 'Java': {
      const pkg = jvmPackage(name);
      return [
        [
          `src/main/java/com/${facts.owner}/${pkg}/Application.java`,
          () =>
            `package com.${facts.owner}.${pkg};\n\n/** ${facts.description} */\npublic class Application {\n    public static void main(String[] args) {\n        System.out.println("${name}");\n    }\n}\n`,
        ],
      ];
    }
    default:
      return [];
  }
}
