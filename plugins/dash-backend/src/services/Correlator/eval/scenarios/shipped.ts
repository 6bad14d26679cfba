import { alert, annotation, change, deploy, logSpike, pr } from '../build';
import { EvalScenario } from '../types';

/*
 * What a deploy shipped: the bad pull request was merged and shipped in a deploy; the deploy,
 * or its pull request, is the cause.
 */

export const shippedScenarios: EvalScenario[] = [
  {
    id: 'etsy-deploy-db-upgrade-2012',
    title: 'A small bugfix deploy also upgrades the live databases',
    source:
      'Demystifying Site Outages, Etsy (https://blog.etsy.com/news/2012/demystifying-site-outages/)',
    services: {
      'etsy-web': ['etsy-db'],
      'etsy-db': [],
    },
    paged: 'etsy-web',
    page: {
      title: 'etsy.com: site down, database integrity checks running',
      severity: 'critical',
      resolvedAt: 110,
    },
    events: [
      pr(
        'pr-fav',
        'etsy-web',
        -80,
        14512,
        'Fix favorites pagination off-by-one',
      ),
      pr(
        'pr-db',
        'etsy-web',
        -75,
        14518,
        'Upgrade MySQL client and run schema upgrade on boot',
      ),
      pr('pr-copy', 'etsy-web', -70, 14520, 'Copy change on gift card page'),
      deploy('deploy', 'etsy-web', -22, 'deploy-2012-01-12-1', {
        shipped: {
          pullRequests: [
            { number: 14512, title: 'Fix favorites pagination off-by-one' },
            {
              number: 14518,
              title: 'Upgrade MySQL client and run schema upgrade on boot',
            },
            { number: 14520, title: 'Copy change on gift card page' },
          ],
        },
      }),
      alert(
        'db-ver',
        'etsy-db',
        -18,
        'MySQL server version changed on live shards',
        {
          severity: 'error',
        },
      ),
      logSpike('spike', 'etsy-web', -12, 100, 2900, 30),
      pr('pr-after', 'etsy-web', 5, 14525, 'Add integrity check runbook link'),
    ],
    cause: ['deploy', 'pr-db'],
  },
  {
    id: 'google-malware-slash-2009',
    title: "'/' checked into the malware URL list flags every search result",
    source:
      'This site may harm your computer on every search result, Google (https://googleblog.blogspot.com/2009/01/this-site-may-harm-your-computer-on.html)',
    services: {
      'search-frontend': ['safebrowsing-list'],
      'safebrowsing-list': [],
    },
    paged: 'search-frontend',
    page: {
      title: "Every result shows 'This site may harm your computer'",
      severity: 'critical',
      resolvedAt: 55,
    },
    events: [
      pr(
        'pr',
        'safebrowsing-list',
        -50,
        3310,
        'Update malware URL patterns from StopBadware feed 2009-01-31',
      ),
      deploy('deploy', 'safebrowsing-list', -25, 'list-2009-01-31.1', {
        shipped: {
          pullRequests: [
            {
              number: 3310,
              title:
                'Update malware URL patterns from StopBadware feed 2009-01-31',
            },
          ],
        },
      }),
      deploy('fe-deploy', 'search-frontend', -40, 'gws-2009-01-31.2', {
        shipped: {
          pullRequests: [
            { number: 88120, title: 'Tweak snippet length on mobile' },
          ],
        },
      }),
      deploy('fe-staging', 'search-frontend', -8, 'gws-2009-01-31.3', {
        environment: 'staging',
      }),
      alert(
        'flagged',
        'search-frontend',
        -20,
        'Share of results with malware interstitial above 5%',
        {
          severity: 'critical',
          summary: '100% of results flagged',
        },
      ),
    ],
    cause: ['deploy', 'pr'],
  },
  {
    id: 'heroku-git-push-config-2021',
    title:
      'A deploy reads new config variables that the deploy process never set',
    source:
      'How I broke `git push heroku main`, Heroku (https://blog.heroku.com/how-i-broke-git-push-heroku-main)',
    services: {
      'git-push-api': ['build-service'],
      'build-service': [],
    },
    paged: 'git-push-api',
    page: {
      title: 'git push heroku main failing for all apps',
      severity: 'critical',
      resolvedAt: 60,
    },
    events: [
      pr(
        'pr-cfg',
        'git-push-api',
        -3 * 60,
        1707,
        'Read build settings from BUILD_* config vars',
      ),
      pr(
        'pr-log',
        'git-push-api',
        -150,
        1709,
        'Structured logging for push sessions',
      ),
      deploy('deploy', 'git-push-api', -32, 'v1.302.0', {
        shipped: {
          pullRequests: [
            {
              number: 1707,
              title: 'Read build settings from BUILD_* config vars',
            },
            { number: 1709, title: 'Structured logging for push sessions' },
          ],
        },
      }),
      logSpike('spike', 'git-push-api', -28, 55, 900, 5),
      deploy('bs-deploy', 'build-service', -20, 'v88.1.0'),
      deploy('rollback', 'git-push-api', 40, 'v1.301.3', {
        rollback: "task 'deploy:rollback'",
      }),
    ],
    cause: ['deploy', 'pr-cfg'],
  },
  {
    id: 'shipped-among-dependabot',
    title: 'One risky change among six dependency bumps in a weekly deploy',
    source:
      'distractor: the bad pull request hides among dependabot bumps shipped in the same deploy',
    services: {
      'identity-api': ['session-store'],
      'session-store': [],
    },
    paged: 'identity-api',
    page: {
      title: 'identity-api: login failures above 20%',
      severity: 'critical',
      resolvedAt: 45,
    },
    events: [
      ...[
        [5501, 'Bump lodash from 4.17.20 to 4.17.21'],
        [5502, 'Bump @types/node from 20.11.5 to 20.11.30'],
        [5504, 'Bump pino from 8.17.2 to 8.19.0'],
        [5505, 'Bump typescript from 5.3.3 to 5.4.2'],
      ].map(([n, t], i) =>
        pr(
          `dep-${n}`,
          'identity-api',
          -26 * 60 + i * 30,
          Number(n),
          String(t),
          {
            labels: ['dependencies'],
            headRef: `dependabot/npm_and_yarn/bump-${n}`,
          },
        ),
      ),
      pr(
        'pr',
        'identity-api',
        -5 * 60,
        5507,
        'Serialize sessions with MessagePack instead of JSON',
      ),
      deploy('deploy', 'identity-api', -38, 'v2024.17.0', {
        shipped: {
          pullRequests: [
            { number: 5501, title: 'Bump lodash from 4.17.20 to 4.17.21' },
            {
              number: 5502,
              title: 'Bump @types/node from 20.11.5 to 20.11.30',
            },
            { number: 5504, title: 'Bump pino from 8.17.2 to 8.19.0' },
            { number: 5505, title: 'Bump typescript from 5.3.3 to 5.4.2' },
            {
              number: 5507,
              title: 'Serialize sessions with MessagePack instead of JSON',
            },
          ],
        },
      }),
      logSpike('spike', 'identity-api', -33, 40, 1200, 25),
      pr(
        'dep-late',
        'identity-api',
        -15,
        5509,
        'Bump eslint from 8.56.0 to 8.57.0',
        {
          labels: ['dependencies'],
          headRef: 'dependabot/npm_and_yarn/eslint-8.57.0',
        },
      ),
    ],
    cause: ['deploy', 'pr'],
  },
  {
    id: 'merged-not-deployed',
    title:
      'A risky pull request merged after the last deploy did not ship; the deploy before did',
    source:
      'distractor: a recently merged pull request that no deploy shipped yet',
    services: {
      'notification-svc': ['email-provider'],
      'email-provider': [],
    },
    paged: 'notification-svc',
    page: {
      title: 'notification-svc: push notifications not delivered',
      severity: 'error',
      resolvedAt: 50,
    },
    events: [
      pr(
        'pr-bad',
        'notification-svc',
        -3 * 60,
        930,
        'Batch APNs sends in groups of 500',
      ),
      deploy('deploy', 'notification-svc', -65, 'v3.9.0', {
        shipped: {
          pullRequests: [
            { number: 930, title: 'Batch APNs sends in groups of 500' },
          ],
        },
      }),
      logSpike('spike', 'notification-svc', -60, 45, 800, 10),
      pr(
        'pr-new',
        'notification-svc',
        -25,
        934,
        'Rewrite template rendering with a new engine',
      ),
      pr('pr-docs', 'notification-svc', -15, 935, 'docs: update README badges'),
    ],
    cause: ['deploy', 'pr-bad'],
  },
  {
    id: 'two-deploys-earlier-one',
    title: 'Two deploys before the page; the errors began after the first',
    source:
      'distractor: the later deploy lands after the onset; the bad pull request shipped in the earlier one',
    services: {
      'catalog-api': ['catalog-db'],
      'catalog-db': [],
    },
    paged: 'catalog-api',
    page: {
      title: 'catalog-api: product pages return 500 for 8% of SKUs',
      severity: 'error',
      resolvedAt: 40,
    },
    events: [
      pr(
        'pr-bad',
        'catalog-api',
        -130,
        2210,
        'Parse variant attributes strictly',
      ),
      deploy('deploy-1', 'catalog-api', -95, 'v5.60.0', {
        shipped: {
          pullRequests: [
            { number: 2210, title: 'Parse variant attributes strictly' },
          ],
        },
      }),
      logSpike('spike', 'catalog-api', -88, 35, 260, 9),
      pr('pr-ok', 'catalog-api', -60, 2214, 'Add cache headers to image URLs'),
      deploy('deploy-2', 'catalog-api', -30, 'v5.61.0', {
        shipped: {
          pullRequests: [
            { number: 2214, title: 'Add cache headers to image URLs' },
          ],
        },
      }),
      annotation('ann-2', 'catalog-api', -30, 'Deploy catalog-api v5.61.0', [
        'deploy',
        'production',
      ]),
      alert('err', 'catalog-api', -20, 'catalog-api 5xx above 1%', {
        severity: 'warning',
        end: 38,
      }),
    ],
    cause: ['deploy-1', 'pr-bad'],
  },
  {
    id: 'release-train-pd-and-gh',
    title: 'A release train recorded by GitHub and PagerDuty ships a bad query',
    source:
      'distractor: the cause deploy is seen by GitHub (with what it shipped) and by a PagerDuty change event',
    services: {
      'reports-api': ['warehouse'],
      warehouse: [],
    },
    paged: 'reports-api',
    page: {
      title: 'reports-api: dashboard queries timing out',
      severity: 'error',
      resolvedAt: 70,
    },
    events: [
      pr(
        'pr',
        'reports-api',
        -4 * 60,
        777,
        'Join events on account_id for the usage report',
      ),
      pr('pr-2', 'reports-api', -230, 779, 'Add CSV export button'),
      deploy('deploy', 'reports-api', -50, 'v2.40.0', {
        shipped: {
          pullRequests: [
            {
              number: 777,
              title: 'Join events on account_id for the usage report',
            },
            { number: 779, title: 'Add CSV export button' },
          ],
        },
      }),
      change(
        'pd',
        'reports-api',
        -49,
        'Deployed reports-api v2.40.0',
        'deploy',
        {
          environment: 'production',
          version: 'v2.40.0',
        },
      ),
      alert('wh-slots', 'warehouse', -40, 'Warehouse query slots saturated', {
        severity: 'warning',
      }),
      logSpike('spike', 'reports-api', -35, 65, 400, 8),
      deploy('wh-deploy', 'warehouse', -20 * 60, 'dbt-2024.05.14'),
    ],
    cause: ['deploy', 'pd', 'pr'],
  },
];
