import { alert, change, config, deploy, flag, logSpike, pr } from '../build';
import { EvalScenario } from '../types';

/*
 * The problem began well before the page (log spikes and alerts 20 min to 3 h earlier): a change
 * that landed after the onset but before the page is not the cause.
 */

export const onsetScenarios: EvalScenario[] = [
  {
    id: 'cf-bot-feature-file-2025',
    title:
      'Edge 5xx after a ClickHouse permission change doubled the bot feature file',
    source:
      'Cloudflare outage on November 18, 2025 (https://blog.cloudflare.com/18-november-2025-outage/)',
    services: {
      'edge-proxy': ['bot-management'],
      'bot-management': ['clickhouse'],
      clickhouse: [],
    },
    paged: 'edge-proxy',
    page: {
      title: 'Widespread 5xx from the edge: bot management module panics',
      severity: 'critical',
      resolvedAt: 170,
    },
    events: [
      deploy('bm-deploy', 'bot-management', -26 * 60, 'v2025.11.17.2'),
      change(
        'ch-grants',
        'clickhouse',
        -50,
        'Grant explicit access to r0 tables for distributed query users',
        'infrastructure',
        { environment: 'production', details: { ticket: 'DBOPS-4412' } },
      ),
      logSpike('bm-spike-1', 'bot-management', -35, -30, 220, 3),
      logSpike('bm-spike-2', 'bot-management', -25, -20, 260, 3),
      logSpike('bm-spike-3', 'bot-management', -15, 120, 410, 3),
      logSpike('edge-spike', 'edge-proxy', -33, 150, 48000, 900),
      alert('edge-5xx', 'edge-proxy', -30, 'HTTP 5xx ratio above 1%', {
        severity: 'warning',
        summary: '5xx ratio 2.8% (threshold 1%)',
        end: 160,
      }),
      deploy('edge-deploy', 'edge-proxy', -12, 'v2025.11.18.1', {
        shipped: {
          pullRequests: [
            { number: 8812, title: 'Add pop label to upstream timing metric' },
          ],
        },
      }),
      flag('edge-kv', 'edge-proxy', 95, 'workers-kv-bypass', 'off', 'on'),
    ],
    cause: 'ch-grants',
  },
  {
    id: 'gh-mysql-rename-2021',
    title: 'Read replicas deadlock after the rename step of a schema migration',
    source:
      'GitHub availability report: November 2021 (https://github.blog/2021-12-01-github-availability-report-november-2021/)',
    services: {
      'github-web': ['mysql1'],
      mysql1: [],
      'github-api': ['mysql1'],
    },
    paged: 'github-web',
    page: {
      title: 'Elevated error rates on github.com',
      severity: 'critical',
      resolvedAt: 95,
    },
    events: [
      change(
        'mig-rename',
        'mysql1',
        -72,
        'gh-ost: cut-over (rename) of repositories_issues_migration on mysql1',
        'other',
        { environment: 'production', details: { migration: 'MIG-1093' } },
      ),
      alert('replica-lag', 'mysql1', -58, 'MySQL replica lag > 30s', {
        severity: 'error',
        summary: 'replica lag 184s on 7 of 12 replicas',
        end: 80,
      }),
      logSpike('web-spike', 'github-web', -45, 85, 1900, 40),
      alert('web-apdex', 'github-web', -38, 'Apdex below 0.9', {
        severity: 'warning',
        end: 88,
      }),
      deploy('web-deploy', 'github-web', -20, 'deploy-2021-11-27-1411', {
        shipped: {
          pullRequests: [
            { number: 211840, title: 'Copy edit on the billing settings page' },
          ],
        },
      }),
      deploy('api-deploy', 'github-api', -16, 'deploy-2021-11-27-1415'),
      pr(
        'web-pr',
        'github-web',
        -30,
        211862,
        'Remove unused feature flag helpers',
      ),
    ],
    cause: 'mig-rename',
  },
  {
    id: 'slack-consul-mcrib-2022',
    title:
      'Consul agent upgrade drains memcached nodes; database overload at peak',
    source:
      "Slack's Incident on 2-22-22 (https://slack.engineering/slacks-incident-on-2-22-22/)",
    services: {
      'slack-api': ['memcached', 'vitess'],
      memcached: ['consul'],
      vitess: [],
      consul: [],
      webapp: ['slack-api'],
    },
    paged: 'slack-api',
    page: {
      title: 'Users unable to load channels: API 5xx and timeouts',
      severity: 'critical',
      resolvedAt: 180,
    },
    events: [
      change(
        'consul-upgrade',
        'consul',
        -165,
        'Consul agent upgrade 1.9 → 1.10: rollout batch 3 (25% of fleet)',
        'infrastructure',
        { environment: 'production', version: '1.10.8' },
      ),
      alert('mc-hit', 'memcached', -140, 'Memcached hit rate below 90%', {
        severity: 'warning',
        summary: 'hit rate 81%',
      }),
      alert('vitess-load', 'vitess', -95, 'Vitess keyspace CPU above 80%', {
        severity: 'warning',
      }),
      logSpike('api-spike', 'slack-api', -110, 150, 640, 35),
      alert('api-latency', 'slack-api', -70, 'API p99 latency above 2s', {
        severity: 'error',
        end: 160,
      }),
      deploy('api-deploy', 'slack-api', -40, 'release-2022-02-22.3', {
        shipped: {
          pullRequests: [
            { number: 55102, title: 'Add emoji search telemetry' },
            { number: 55117, title: 'Fix typo in workspace invite email' },
          ],
        },
      }),
      deploy('webapp-deploy', 'webapp', -25, 'webapp-2022-02-22.5'),
    ],
    cause: 'consul-upgrade',
  },
  {
    id: 'reddit-pi-day-2023',
    title:
      'Kubernetes 1.24 upgrade: Calico route reflectors lose their node selector',
    source:
      'You Broke Reddit: The Pi-Day Outage (https://www.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/)',
    services: {
      'reddit-api': ['k8s-prod'],
      'k8s-prod': [],
    },
    paged: 'reddit-api',
    page: {
      title: 'reddit.com down: API error rate 100%',
      severity: 'critical',
      resolvedAt: 300,
    },
    events: [
      change(
        'k8s-upgrade',
        'k8s-prod',
        -40,
        'In-place upgrade of prod cluster to Kubernetes 1.24',
        'infrastructure',
        { environment: 'production', version: '1.24.9' },
      ),
      alert('bgp-down', 'k8s-prod', -31, 'Calico BGP peers down', {
        severity: 'critical',
      }),
      logSpike('api-spike', 'reddit-api', -28, 280, 22000, 150),
      alert('api-5xx', 'reddit-api', -26, 'API 5xx rate above 5%', {
        severity: 'error',
      }),
      deploy('api-deploy', 'reddit-api', -15, 'r2-2023.03.14.7', {
        shipped: {
          pullRequests: [
            { number: 7731, title: 'Tune comment tree cache TTL' },
          ],
        },
      }),
      config('hpa', 'reddit-api', -8, 'hpa.minReplicas', '60', '120', {
        title: 'Scale up reddit-api minimum replicas',
      }),
    ],
    cause: 'k8s-upgrade',
  },
  {
    id: 'pool-config-then-deploy',
    title:
      'Connection errors from a smaller pool; a routine deploy lands while they grow',
    source:
      'distractor: a harmless deploy of the paged service between the onset and the page',
    services: {
      'payments-api': ['payments-db'],
      'payments-db': [],
    },
    paged: 'payments-api',
    page: {
      title: 'payments-api: checkout authorisations failing',
      severity: 'critical',
      resolvedAt: 40,
    },
    events: [
      config('pool', 'payments-api', -125, 'db.pool.maxSize', '50', '20', {
        via: 'changes',
        title: 'Lower payments-api DB pool to 20 per pod',
      }),
      logSpike('spike-1', 'payments-api', -105, 30, 180, 6),
      alert('pool-wait', 'payments-api', -70, 'DB pool wait time above 500ms', {
        severity: 'warning',
        summary: 'p95 pool wait 1.2s',
        end: 35,
      }),
      deploy('deploy', 'payments-api', -30, 'v3.41.0', {
        shipped: {
          pullRequests: [
            { number: 2290, title: 'Add merchant category to receipts' },
            { number: 2293, title: 'Bump jackson-databind to 2.17.1' },
          ],
        },
      }),
      pr('pr-docs', 'payments-api', -50, 2295, 'docs: runbook for refunds'),
      deploy('db-old', 'payments-db', -20 * 60, 'pg-14.11'),
    ],
    cause: 'pool',
  },
  {
    id: 'tax-deploy-then-flag',
    title:
      'Checkout errors from a deploy; a flag rollout for another feature lands before the page',
    source:
      'distractor: a feature flag turned on between the onset and the page, unrelated',
    services: {
      checkout: ['tax-service'],
      'tax-service': [],
    },
    paged: 'checkout',
    page: {
      title: 'checkout: order placement error rate 12%',
      severity: 'critical',
      resolvedAt: 35,
    },
    events: [
      deploy('deploy', 'checkout', -95, 'v8.2.0', {
        shipped: {
          pullRequests: [
            {
              number: 910,
              title: 'Compute VAT per line item instead of per order',
            },
          ],
        },
      }),
      pr(
        'pr-910',
        'checkout',
        -130,
        910,
        'Compute VAT per line item instead of per order',
      ),
      logSpike('spike', 'checkout', -82, 30, 95, 4),
      alert('err', 'checkout', -60, 'Checkout 5xx above 2%', {
        severity: 'warning',
        end: 32,
      }),
      flag('gift', 'checkout', -18, 'gift-wrap-option', 'off', 'on', {
        via: 'changes',
      }),
      deploy('tax-deploy', 'tax-service', -8 * 60, 'v1.19.3'),
    ],
    cause: ['deploy', 'pr-910'],
  },
  {
    id: 'heroku-router-onset-2h',
    title:
      'Router latency climbs for two hours after a config push; a dyno-manager deploy lands before the page',
    source:
      'Heroku incident 1091: remote configuration change did not fully propagate (https://status.heroku.com/incidents/1091)',
    services: {
      router: ['dyno-manager', 'config-store'],
      'dyno-manager': [],
      'config-store': [],
    },
    paged: 'router',
    page: {
      title: 'Router: H10/H99 errors, web dynos failing to start',
      severity: 'critical',
      resolvedAt: 120,
    },
    events: [
      config(
        'push',
        'config-store',
        -150,
        'runtime.dyno_boot_config',
        'v412',
        'v413',
        { title: 'Automated config push runtime.dyno_boot_config v413' },
      ),
      alert(
        'cfg-stale',
        'config-store',
        -140,
        'Config propagation incomplete',
        {
          severity: 'warning',
          summary: '61% of hosts on v413',
        },
      ),
      logSpike('router-spike', 'router', -130, 110, 350, 20),
      alert('router-h99', 'router', -90, 'Router H99 rate elevated', {
        severity: 'error',
      }),
      deploy('dm-deploy', 'dyno-manager', -45, 'v5.120.0'),
      deploy('router-deploy', 'router', -25, 'v2.88.1', {
        shipped: {
          pullRequests: [{ number: 4410, title: 'Log request ids at debug' }],
        },
      }),
    ],
    cause: 'push',
  },
];
