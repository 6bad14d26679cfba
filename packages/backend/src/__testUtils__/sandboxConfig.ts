import type { Sandbox } from '@dash-suite/upstream-sandbox';

/**
 * The config that points the DASH sources at a running upstream sandbox (its ports and
 * tokens), for tests and benchmarks; app-config.yaml does the same for `npm start`'s sandbox on
 * its fixed ports.
 */
export function sandboxConfig(sandbox: Pick<Sandbox, 'urls' | 'tokens'>) {
  return {
    integrations: {
      github: [
        {
          host: 'github.com',
          apiBaseUrl: sandbox.urls.github,
          token: sandbox.tokens.github,
        },
      ],
    },
    dash: {
      sources: {
        github: { host: 'github.com' },
        pagerduty: {
          apiBaseUrl: sandbox.urls.pagerduty,
          token: sandbox.tokens.pagerduty,
          uiBaseUrl: 'https://acme.pagerduty.com',
        },
        grafana: {
          baseUrl: sandbox.urls.grafana,
          token: sandbox.tokens.grafana,
        },
        kibana: {
          elasticsearch: {
            node: sandbox.urls.elasticsearch,
            apiKey: sandbox.tokens.elasticsearch,
          },
          kibana: {
            baseUrl: sandbox.urls.kibana,
            apiKey: sandbox.tokens.kibana,
          },
        },
      },
    },
  };
}
