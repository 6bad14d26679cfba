import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Sandbox } from '@dash-suite/upstream-sandbox';
import { GithubSource } from '../GithubSource';
import { component, testContext } from './context';

/** A GithubSource reading the sandbox's GitHub with `dash.sources.github` set to `github`. */
export function sandboxSource(
  sb: Sandbox,
  github: JsonObject = {},
  token = sb.tokens.github,
) {
  const ctx = testContext();
  const config = new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', apiBaseUrl: sb.urls.github, token }],
    },
    dash: { sources: { github } },
  });
  return {
    ctx,
    source: GithubSource.fromConfig(config, { logger: ctx.logger }),
  };
}

/** The component of the sandbox's `acme/<name>` repository, and its entity ref. */
export function sandboxService(name: string) {
  return {
    entity: component(name, { 'github.com/project-slug': `acme/${name}` }),
    entityRef: `component:default/${name}`,
  };
}

/** One fetch of the service's events from `fromAgoMs` ago until now. */
export function fetchService(
  s: GithubSource,
  ctx: ReturnType<typeof testContext>,
  service: ReturnType<typeof sandboxService>,
  fromAgoMs: number,
  cursor?: string,
) {
  const now = Date.now();
  return s.fetchEvents(
    {
      ...service,
      from: new Date(now - fromAgoMs),
      to: new Date(now),
      cursor,
    },
    ctx,
  );
}
