import { ProjectType } from '@dash-suite/plugin-project-catalog-common';

/** What a repository shows about itself: its topics, language and root files. */
export interface RepositorySignals {
  topics: string[];
  /** GitHub's primary language. */
  language?: string;
  /** Names of the files and folders at the root. */
  rootFiles: string[];
  /** The parsed root package.json, when there is one. */
  packageJson?: Record<string, unknown>;
  /** The text of pyproject.toml, build.gradle(.kts) or pom.xml, when there is one. */
  pyproject?: string;
  gradle?: string;
  pom?: string;
}

export interface TypeInference {
  type?: ProjectType;
  /** Why, in words; absent when nothing pointed at a type. */
  evidence?: string;
}

/** A Map, not an object: a topic such as `__proto__` or `constructor` must not match. */
const TOPIC_TYPES = new Map<string, ProjectType>(
  Object.entries({
    service: 'service',
    microservice: 'service',
    backend: 'service',
    website: 'website',
    site: 'website',
    docs: 'website',
    documentation: 'website',
    blog: 'website',
    library: 'library',
    lib: 'library',
    sdk: 'library',
    tool: 'tool',
    tools: 'tool',
    cli: 'tool',
    tooling: 'tool',
  } satisfies Record<string, ProjectType>),
);

/** Topics and npm packages of static-site and web-app frameworks. */
const SITE_TOPICS = [
  'nextjs',
  'gatsby',
  'eleventy',
  'hugo',
  'jekyll',
  'docusaurus',
  'astro',
  'mkdocs',
];
const SITE_PACKAGES = [
  'next',
  'gatsby',
  '@11ty/eleventy',
  '@docusaurus/core',
  'astro',
  'nuxt',
  '@sveltejs/kit',
  'react-scripts',
];
const PY_SERVICE = /^\s*["']?(fastapi|django|flask|uvicorn|gunicorn)\b/im;
const WEB_LANGUAGES = ['HTML', 'CSS', 'SCSS', 'Vue', 'Svelte', 'Astro'];
const TOOL_LANGUAGES = ['Shell', 'HCL', 'PowerShell', 'Makefile'];

function has(files: string[], name: string): boolean {
  return files.some(
    f => f.toLocaleLowerCase('en-US') === name.toLocaleLowerCase('en-US'),
  );
}

function fromPackageJson(
  pkg: Record<string, unknown>,
  dockerfile: boolean,
): TypeInference | undefined {
  const deps = {
    ...(pkg.dependencies as object | undefined),
    ...(pkg.devDependencies as object | undefined),
  };
  const site = SITE_PACKAGES.find(p => p in deps);
  if (site)
    return { type: 'website', evidence: `package.json depends on ${site}` };
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  if (typeof scripts.start === 'string' || dockerfile) {
    return {
      type: 'service',
      evidence: scripts.start
        ? 'package.json has a start script'
        : 'package.json and a Dockerfile',
    };
  }
  if (pkg.bin) return { type: 'tool', evidence: 'package.json has bin' };
  if (pkg.main || pkg.exports || pkg.module) {
    return {
      type: 'library',
      evidence: 'package.json has main or exports and no start script',
    };
  }
  return undefined;
}

/**
 * The project type a repository most likely is, first match wins:
 * 1. a topic naming a type (`service`, `website`/`docs`/`blog`, `library`/`sdk`, `tool`/`cli`);
 * 2. a topic naming a site framework (`nextjs`, `gatsby`, `eleventy`, `hugo`, `docusaurus`, ...);
 * 3. package.json: a site framework dependency → website; a start script (or a Dockerfile) →
 *    service; `bin` → tool; `main`/`exports` without a start script → library;
 * 4. a Dockerfile at the root → service;
 * 5. go.mod: `cmd/` or `main.go` → tool, else library;
 * 6. pyproject.toml: a web framework dependency → service, `[project.scripts]` → tool, else library;
 * 7. Gradle: `java-library` → library, `application` → tool; pom.xml: Spring Boot → service, else
 *    library;
 * 8. the primary language: HTML/CSS and friends → website, Shell/HCL → tool.
 * Nothing else guesses: without a signal the type is left for the reviewer.
 */
export function inferType(s: RepositorySignals): TypeInference {
  const topics = s.topics.map(t => t.toLocaleLowerCase('en-US'));
  const typed = topics.find(t => TOPIC_TYPES.has(t));
  if (typed)
    return { type: TOPIC_TYPES.get(typed)!, evidence: `topic '${typed}'` };
  const site = topics.find(t => SITE_TOPICS.includes(t));
  if (site) return { type: 'website', evidence: `topic '${site}'` };

  const dockerfile = has(s.rootFiles, 'Dockerfile');
  if (s.packageJson) {
    const found = fromPackageJson(s.packageJson, dockerfile);
    if (found) return found;
  }
  if (dockerfile)
    return { type: 'service', evidence: 'a Dockerfile at the root' };
  if (has(s.rootFiles, 'go.mod')) {
    return has(s.rootFiles, 'cmd') || has(s.rootFiles, 'main.go')
      ? {
          type: 'tool',
          evidence: 'go.mod with cmd/ (or main.go) and no Dockerfile',
        }
      : { type: 'library', evidence: 'go.mod without cmd/ or main.go' };
  }
  if (s.pyproject !== undefined) {
    if (PY_SERVICE.test(s.pyproject)) {
      return {
        type: 'service',
        evidence: 'pyproject.toml depends on a web framework',
      };
    }
    return /^\[project\.scripts\]/m.test(s.pyproject)
      ? { type: 'tool', evidence: 'pyproject.toml has [project.scripts]' }
      : { type: 'library', evidence: 'pyproject.toml without scripts' };
  }
  if (s.gradle !== undefined) {
    if (/`java-library`|\bjava-library\b/.test(s.gradle)) {
      return { type: 'library', evidence: 'Gradle java-library plugin' };
    }
    if (/\bapplication\b/.test(s.gradle)) {
      return {
        type: 'tool',
        evidence: 'Gradle application plugin and no Dockerfile',
      };
    }
  }
  if (s.pom !== undefined) {
    return /spring-boot/.test(s.pom)
      ? { type: 'service', evidence: 'pom.xml uses Spring Boot' }
      : { type: 'library', evidence: 'pom.xml without Spring Boot' };
  }
  if (s.language && WEB_LANGUAGES.includes(s.language)) {
    return { type: 'website', evidence: `language ${s.language}` };
  }
  if (s.language && TOOL_LANGUAGES.includes(s.language)) {
    return { type: 'tool', evidence: `language ${s.language}` };
  }
  return {};
}

/** The root files whose contents inference reads (the rest it sees by name only). */
export const MANIFESTS_READ = [
  'package.json',
  'pyproject.toml',
  'build.gradle.kts',
  'build.gradle',
  'pom.xml',
];
