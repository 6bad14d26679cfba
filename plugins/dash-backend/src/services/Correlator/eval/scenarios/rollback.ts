import {
  alert,
  annotation,
  change,
  config,
  deploy,
  flag,
  logSpike,
  pr,
} from '../build';
import { EvalScenario } from '../types';

/*
 * Reverts and mitigations: undoing a change followed by recovery points at what it undid; an
 * undo after which the errors went on is evidence against it.
 */

export const rollbackScenarios: EvalScenario[] = [
  {
    id: 'cf-backbone-atlanta-2020',
    title:
      'Backbone config typo in Atlanta draws traffic from the US and Europe',
    source:
      'Cloudflare outage on July 17, 2020 (https://blog.cloudflare.com/cloudflare-outage-on-july-17-2020/)',
    services: {
      'edge-dns': ['backbone'],
      backbone: [],
    },
    paged: 'edge-dns',
    page: {
      title: 'edge-dns: SERVFAIL and timeouts in US and EU colos',
      severity: 'critical',
      resolvedAt: 27,
    },
    events: [
      deploy('dns-deploy', 'edge-dns', -20, 'rrdns-2020.07.17.1', {
        shipped: {
          pullRequests: [
            { number: 5120, title: 'Trim debug fields from query log' },
          ],
        },
      }),
      config(
        'atl-cfg',
        'backbone',
        -4,
        'atl01.policy.term6.prefix-list',
        '6-SITE-LOCAL',
        '(deleted line)',
        { title: 'Atlanta backbone router: remove congested path (term 6)' },
      ),
      alert('atl-cpu', 'backbone', -3, 'Router CPU above 90% (atl01)', {
        severity: 'critical',
        end: 26,
      }),
      logSpike('dns-spike', 'edge-dns', -2, 26, 34000, 200),
      config(
        'atl-restore',
        'backbone',
        23,
        'atl01.policy.term6.prefix-list',
        '(deleted line)',
        '6-SITE-LOCAL',
        {
          title: 'Atlanta backbone router: restore term 6',
          reverts: 'atl-cfg',
        },
      ),
    ],
    cause: 'atl-cfg',
  },
  {
    id: 'cf-waf-regex-2019',
    title:
      'A WAF rule with a backtracking regex exhausts CPU; global WAF kill restores service',
    source:
      'Details of the Cloudflare outage on July 2, 2019 (https://blog.cloudflare.com/details-of-the-cloudflare-outage-on-july-2-2019/)',
    services: {
      'edge-waf': [],
      'dashboard-api': ['edge-waf'],
    },
    paged: 'edge-waf',
    page: {
      title: 'edge-waf: 502 Bad Gateway across all colos, CPU 100%',
      severity: 'critical',
      resolvedAt: 28,
    },
    events: [
      deploy('waf-deploy', 'edge-waf', -90, 'waf-engine-2019.07.02.1'),
      change(
        'rules',
        'edge-waf',
        -3,
        'WAF Managed Rules release 2019-07-02: new XSS detection rules (simulate mode)',
        'config',
        { environment: 'production', version: 'rules-2019-07-02.1' },
      ),
      alert('cpu', 'edge-waf', -2, 'Edge CPU above 95%', {
        severity: 'critical',
        end: 25,
      }),
      logSpike('spike', 'edge-waf', -2, 25, 120000, 500),
      flag('kill', 'edge-waf', 22, 'waf-managed-rules-global', 'on', 'off', {
        title: 'Global terminate: WAF Managed Rulesets',
      }),
      deploy('dash-deploy', 'dashboard-api', -10, 'dash-2019.07.02.3'),
    ],
    cause: 'rules',
  },
  {
    id: 'cf-service-tokens-2023',
    title:
      'A release of the service token code breaks API auth; rollback restores it',
    source:
      'Cloudflare incident on January 24th, 2023 (https://blog.cloudflare.com/cloudflare-incident-on-january-24th-2023/)',
    services: {
      'workers-api': ['token-service'],
      'token-service': [],
    },
    paged: 'workers-api',
    page: {
      title: 'workers-api: 401 for requests authenticated with service tokens',
      severity: 'error',
      resolvedAt: 121,
    },
    events: [
      pr(
        'tok-pr',
        'token-service',
        -120,
        988,
        'Rotate service token metadata on read',
      ),
      deploy('tok-deploy', 'token-service', -16, 'v3.7.0', {
        shipped: {
          pullRequests: [
            { number: 988, title: 'Rotate service token metadata on read' },
          ],
        },
      }),
      alert(
        'tok-err',
        'token-service',
        -12,
        'Token validation failures above 1%',
        {
          severity: 'error',
          end: 118,
        },
      ),
      deploy('wk-deploy', 'workers-api', -9, 'v9.30.2'),
      logSpike('wk-spike', 'workers-api', -7, 118, 2300, 20),
      deploy('tok-rollback', 'token-service', 112, 'v3.6.4', {
        rollback: "task 'deploy:rollback'",
      }),
    ],
    cause: ['tok-deploy', 'tok-pr'],
  },
  {
    id: 'knight-capital-2012',
    title:
      'A repurposed flag wakes dead code on one server; rolling back the new code makes it worse',
    source:
      'Knightmare: A DevOps Cautionary Tale (https://dougseven.com/2014/04/17/knightmare-a-devops-cautionary-tale/)',
    services: {
      smars: [],
      'order-gateway': ['smars'],
    },
    paged: 'smars',
    page: {
      title: 'SMARS: unexpected parent orders flooding NYSE',
      severity: 'critical',
      resolvedAt: 45,
    },
    events: [
      deploy('rlp-deploy', 'smars', -3 * 24 * 60, 'smars-rlp-1.0'),
      flag('rlp', 'smars', -32, 'rlp-enabled', 'off', 'on', {
        title: 'Enable RLP (order flag 0x1C) for market open',
      }),
      logSpike('spike', 'smars', -28, 45, 4100, 12),
      alert('orders', 'smars', -15, 'Parent order rate above limit', {
        severity: 'critical',
        end: 45,
      }),
      deploy('rollback', 'smars', 10, 'smars-7.9.2', {
        rollback: 'description',
        description: 'Roll back smars-rlp-1.0 on all 8 servers',
      }),
      logSpike('spike-2', 'smars', 11, 45, 16000, 12),
      flag('rlp-off', 'smars', 44, 'rlp-enabled', 'on', 'off'),
    ],
    cause: 'rlp',
  },
  {
    id: 'revert-pr-session-cache',
    title: 'A revert PR of a session cache change, deployed, ends the logouts',
    source:
      "distractor: a revert PR (GitHub's button) of what a deploy shipped, followed by recovery",
    services: {
      'account-web': ['session-redis', 'user-service'],
      'session-redis': [],
      'user-service': [],
    },
    paged: 'account-web',
    page: {
      title: 'account-web: users logged out on every page load',
      severity: 'error',
      resolvedAt: 32,
    },
    events: [
      deploy('us-deploy', 'user-service', -70, 'v5.2.0'),
      pr(
        'pr',
        'account-web',
        -55,
        4821,
        'Cache sessions in Redis with a 5 minute TTL',
      ),
      pr(
        'pr-2',
        'account-web',
        -52,
        4823,
        'Bump eslint from 8.56.0 to 8.57.0',
        {
          labels: ['dependencies'],
          headRef: 'dependabot/npm_and_yarn/eslint-8.57.0',
        },
      ),
      deploy('deploy', 'account-web', -41, 'v2024.05.14-2', {
        shipped: {
          pullRequests: [
            {
              number: 4821,
              title: 'Cache sessions in Redis with a 5 minute TTL',
            },
            { number: 4823, title: 'Bump eslint from 8.56.0 to 8.57.0' },
          ],
        },
      }),
      logSpike('spike', 'account-web', -36, 28, 310, 8),
      config(
        'redis-mem',
        'session-redis',
        -25 * 60,
        'maxmemory-policy',
        'noeviction',
        'allkeys-lru',
      ),
      pr(
        'revert',
        'account-web',
        12,
        4830,
        'Revert "Cache sessions in Redis with a 5 minute TTL"',
      ),
      deploy('redeploy', 'account-web', 20, 'v2024.05.14-3', {
        shipped: {
          pullRequests: [
            {
              number: 4830,
              title: 'Revert "Cache sessions in Redis with a 5 minute TTL"',
            },
          ],
        },
      }),
    ],
    cause: ['deploy', 'pr'],
  },
  {
    id: 'rollback-no-recovery',
    title:
      'Rolling back the last deploy does not help; restoring a config change does',
    source:
      'distractor: a rollback after which the errors went on (evidence against the deploy it undid)',
    services: {
      'search-api': ['search-index'],
      'search-index': [],
    },
    paged: 'search-api',
    page: {
      title: 'search-api: p99 latency above 5s, timeouts',
      severity: 'critical',
      resolvedAt: 62,
    },
    events: [
      config(
        'shards',
        'search-api',
        -48,
        'search.replicaReads',
        'true',
        'false',
        {
          via: 'changes',
        },
      ),
      logSpike('spike', 'search-api', -10, 60, 700, 15),
      deploy('deploy', 'search-api', -14, 'v6.3.0', {
        shipped: {
          pullRequests: [
            { number: 1451, title: 'Highlight matched terms in titles' },
          ],
        },
      }),
      deploy('rollback', 'search-api', 9, 'v6.2.4', {
        rollback: "task 'deploy:rollback'",
      }),
      alert('lat', 'search-api', 15, 'Search p99 latency above 5s', {
        severity: 'critical',
        end: 61,
      }),
      config(
        'shards-back',
        'search-api',
        55,
        'search.replicaReads',
        'false',
        'true',
        { via: 'changes', reverts: 'shards' },
      ),
      annotation('ann', 'search-api', 9, 'Rollback search-api to v6.2.4', [
        'rollback',
        'production',
      ]),
    ],
    cause: 'shards',
  },
  {
    id: 'fastly-customer-config-2021',
    title:
      'A valid customer configuration change triggers a latent bug; disabling it restores the edge',
    source:
      'Summary of June 8 outage, Fastly (https://www.fastly.com/blog/summary-of-june-8-outage)',
    services: {
      'edge-cache': ['config-api'],
      'config-api': [],
    },
    paged: 'edge-cache',
    page: {
      title: 'edge-cache: 503 errors on 85% of the network',
      severity: 'critical',
      resolvedAt: 49,
    },
    events: [
      deploy('bug-deploy', 'edge-cache', -27 * 24 * 60, 'h2o-2021.05.12'),
      deploy('edge-old', 'edge-cache', -19 * 60, 'h2o-2021.06.07.2'),
      change(
        'cust-cfg',
        'config-api',
        -1,
        'Customer service configuration version 38 activated',
        'config',
        { via: 'changes', environment: 'production', version: '38' },
      ),
      logSpike('spike', 'edge-cache', 0, 48, 250000, 1200),
      change(
        'disable',
        'config-api',
        40,
        'Deactivate customer service configuration version 38',
        'config',
        {
          via: 'changes',
          environment: 'production',
          details: { reverts: '38' },
        },
      ),
    ],
    cause: 'cust-cfg',
  },
];
