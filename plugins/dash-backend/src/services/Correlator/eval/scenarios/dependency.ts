import {
  alert,
  change,
  config,
  deploy,
  incident,
  logSpike,
  pr,
  release,
} from '../build';
import { EvalScenario } from '../types';

/*
 * A dependency changed and its own signals went bad before the paged service's did, while a
 * closer change on the paged service left no trail.
 */

export const dependencyScenarios: EvalScenario[] = [
  {
    id: 'gcp-service-control-2025',
    title:
      'Policy with blank fields crashes Service Control; API frontends return 503',
    source:
      'Google Cloud: Service Control outage of June 12, 2025 (https://status.cloud.google.com/incidents/ow5i3PPK96RduMcb1SsW)',
    services: {
      'api-frontend': ['service-control'],
      'service-control': ['policy-store'],
      'policy-store': [],
    },
    paged: 'api-frontend',
    page: {
      title: 'Google API frontends returning 503 in all regions',
      severity: 'critical',
      resolvedAt: 160,
    },
    events: [
      change(
        'policy',
        'service-control',
        -25,
        'Quota policy update replicated to all regions',
        'config',
        { environment: 'production', details: { policyId: 'qp-88120' } },
      ),
      logSpike('sc-crash', 'service-control', -23, 120, 52000, 30),
      alert(
        'sc-restarts',
        'service-control',
        -22,
        'Service Control crash looping',
        {
          severity: 'critical',
          end: 110,
        },
      ),
      deploy('fe-deploy', 'api-frontend', -20, 'gfe-2025.06.12-rc3', {
        shipped: {
          pullRequests: [
            {
              number: 40219,
              title: 'Add region label to request latency metric',
            },
          ],
        },
      }),
      logSpike('fe-spike', 'api-frontend', -18, 140, 98000, 400),
      deploy('sc-old', 'service-control', -14 * 24 * 60, 'sc-2025.05.29'),
    ],
    cause: 'policy',
  },
  {
    id: 'cf-tiered-cache-2022',
    title: 'Tiered Cache change makes upper tiers answer 530',
    source:
      'Partial Cloudflare outage on October 25, 2022 (https://blog.cloudflare.com/partial-cloudflare-outage-on-october-25-2022/)',
    services: {
      'cdn-edge': ['tiered-cache'],
      'tiered-cache': [],
    },
    paged: 'cdn-edge',
    page: {
      title: 'cdn-edge: 530 responses for customers using Tiered Cache',
      severity: 'error',
      resolvedAt: 330,
    },
    events: [
      deploy('tc-deploy', 'tiered-cache', -42, 'tc-2022.10.25.1', {
        shipped: {
          pullRequests: [
            {
              number: 3102,
              title: 'Route upper-tier selection through new topology service',
            },
          ],
        },
      }),
      alert('tc-530', 'tiered-cache', -36, 'Upper tier 530 rate above 0.5%', {
        severity: 'error',
      }),
      config('edge-log', 'cdn-edge', -31, 'log.sampling', '0.01', '0.05'),
      logSpike('edge-spike', 'cdn-edge', -28, 300, 5400, 60),
      deploy('edge-staging', 'cdn-edge', -12, 'edge-2022.10.25.4', {
        environment: 'staging',
      }),
    ],
    cause: 'tc-deploy',
  },
  {
    id: 'aws-kinesis-threads-2020',
    title:
      'Kinesis front-end capacity add exceeds OS thread limit; Cognito degrades',
    source:
      'Summary of the Amazon Kinesis Event in the Northern Virginia (US-EAST-1) Region, Nov 25, 2020 (https://aws.amazon.com/message/11201/)',
    services: {
      cognito: ['kinesis'],
      kinesis: [],
      cloudwatch: ['kinesis'],
    },
    paged: 'cognito',
    page: {
      title: 'Cognito: elevated API errors and latency in us-east-1',
      severity: 'critical',
      resolvedAt: 600,
    },
    events: [
      change(
        'kin-capacity',
        'kinesis',
        -150,
        'Add capacity to Kinesis front-end fleet (us-east-1)',
        'infrastructure',
        { environment: 'production', details: { hosts: 'new: 18%' } },
      ),
      alert(
        'kin-threads',
        'kinesis',
        -25,
        'Front-end host thread count at OS limit',
        {
          severity: 'critical',
        },
      ),
      logSpike('kin-spike', 'kinesis', -22, 500, 8800, 50),
      deploy('cog-deploy', 'cognito', -40, 'cognito-idp-2020.11.25.2', {
        shipped: {
          pullRequests: [
            { number: 1881, title: 'Refresh token rotation: metrics only' },
          ],
        },
      }),
      logSpike('cog-spike', 'cognito', -12, 540, 3100, 25),
      incident('cw-inc', 'cloudwatch', -10, 'CloudWatch metrics delayed', {
        severity: 'error',
      }),
    ],
    cause: 'kin-capacity',
  },
  {
    id: 'buildkite-db-downgrade-2016',
    title: 'Database downgraded to save cost cannot take peak load',
    source:
      'Outage post-mortem for August 23rd, Buildkite (https://building.buildkite.com/outage-post-mortem-for-august-23rd-82b619a3679b)',
    services: {
      'buildkite-api': ['buildkite-db'],
      'buildkite-db': [],
      'agent-gateway': ['buildkite-api'],
    },
    paged: 'buildkite-api',
    page: {
      title: 'buildkite-api: requests timing out, builds not starting',
      severity: 'critical',
      resolvedAt: 240,
    },
    events: [
      change(
        'db-downgrade',
        'buildkite-db',
        -9 * 60,
        'Resize RDS primary db.r3.8xlarge → db.r3.4xlarge',
        'infrastructure',
        { environment: 'production' },
      ),
      alert('db-cpu', 'buildkite-db', -55, 'RDS CPU above 90%', {
        severity: 'warning',
        summary: 'CPU 97% on primary',
      }),
      deploy('api-deploy', 'buildkite-api', -70, 'a4c9e21', {
        shipped: {
          pullRequests: [
            { number: 6021, title: 'Show retry reason on job page' },
          ],
        },
      }),
      logSpike('api-spike', 'buildkite-api', -35, 230, 1500, 20),
      deploy('gw-deploy', 'agent-gateway', -15, 'gw-1187'),
    ],
    cause: 'db-downgrade',
  },
  {
    id: 'npm-fastly-vcl-2014',
    title: 'Fastly VCL change routes registry requests to the wrong backend',
    source:
      '2014-01-28 outage postmortem, npm (https://blog.npmjs.org/post/74949623024/2014-01-28-outage-postmortem)',
    services: {
      'npm-registry': ['fastly-cdn', 'couchdb'],
      'fastly-cdn': [],
      couchdb: [],
    },
    paged: 'npm-registry',
    page: {
      title: 'registry.npmjs.org: 503 for package tarballs',
      severity: 'critical',
      resolvedAt: 70,
    },
    events: [
      config('vcl', 'fastly-cdn', -19, 'vcl.version', '411', '412', {
        title: 'Activate VCL version 412 (restart in vcl_fetch)',
      }),
      logSpike('cdn-spike', 'fastly-cdn', -17, 60, 6200, 80),
      release('reg-release', 'npm-registry', -45, 'v2.1.7'),
      deploy('reg-deploy', 'npm-registry', -40, 'v2.1.7'),
      logSpike('reg-spike', 'npm-registry', -15, 62, 2100, 30),
      deploy('couch-old', 'couchdb', -22 * 60, 'couch-1.5.0'),
    ],
    cause: 'vcl',
  },
  {
    id: 'dep-deploy-no-trail',
    title:
      'Own config change is the cause; a quiet dependency deploy is closer',
    source:
      "distractor: a dependency deploy with no trail of its own versus the paged service's own config change followed by its errors",
    services: {
      'orders-api': ['auth-service', 'orders-db'],
      'auth-service': [],
      'orders-db': [],
    },
    paged: 'orders-api',
    page: {
      title: 'orders-api: 500s on POST /orders',
      severity: 'error',
      resolvedAt: 30,
    },
    events: [
      config(
        'timeout',
        'orders-api',
        -40,
        'http.client.timeoutMs',
        '2000',
        '200',
        {
          via: 'changes',
        },
      ),
      logSpike('spike', 'orders-api', -36, 25, 520, 10),
      deploy('auth-deploy', 'auth-service', -22, 'v12.4.0', {
        shipped: {
          pullRequests: [{ number: 301, title: 'Update login page copy' }],
        },
      }),
      pr('db-pr', 'orders-db', -3 * 60, 77, 'Add index on orders(created_at)'),
    ],
    cause: 'timeout',
  },
  {
    id: 'gclb-config-push-2021',
    title:
      'A load balancer config push trips a latent bug; customer sites see 404s',
    source:
      'Google Cloud Networking incident 6PM5mNd43NbMqjCZ5REh, November 16, 2021 (https://status.cloud.google.com/incidents/6PM5mNd43NbMqjCZ5REh)',
    services: {
      'shop-frontend': ['gclb', 'catalog-api'],
      gclb: [],
      'catalog-api': [],
    },
    paged: 'shop-frontend',
    page: {
      title: 'shop-frontend: Google 404 pages served to customers',
      severity: 'critical',
      resolvedAt: 110,
    },
    events: [
      change(
        'lb-push',
        'gclb',
        -14,
        'GCLB configuration push (new infrastructure feature enabled)',
        'config',
        { environment: 'production' },
      ),
      alert('lb-404', 'gclb', -11, 'GFE 404 rate above baseline', {
        severity: 'critical',
      }),
      release('fe-release', 'shop-frontend', -60, 'v4.7.0'),
      deploy('fe-deploy', 'shop-frontend', -55, 'v4.7.0', {
        shipped: {
          pullRequests: [
            { number: 1204, title: 'New product badge component' },
          ],
        },
      }),
      deploy('cat-deploy', 'catalog-api', -30, 'v2.2.3'),
      logSpike('fe-spike', 'shop-frontend', -9, 100, 900, 15),
    ],
    cause: 'lb-push',
  },
  {
    id: 'dep-blip-then-own-rollback',
    title:
      "A dependency's unrelated blip just before the paged service's bad deploy; rolling the deploy back ends it",
    source:
      "distractor: a dependency's low-urgency incident (with its error spike) starts 15 min before the paged service's own deploy, hours after the dependency's last deploy; rolling back the paged service's deploy ends the incident",
    services: {
      'payments-api': ['fraud-detector', 'ledger-service'],
      'fraud-detector': [],
      'ledger-service': [],
    },
    paged: 'payments-api',
    page: {
      title: 'payments-api: PaymentsAPIHighErrorRate (critical)',
      severity: 'critical',
      resolvedAt: 40,
    },
    events: [
      deploy('fd-deploy', 'fraud-detector', -218, 'v3.7.1', {
        shipped: {
          pullRequests: [
            { number: 5101, title: 'Score payments with model v7' },
          ],
        },
      }),
      incident(
        'fd-disk',
        'fraud-detector',
        -21,
        'Disk usage above 80% on fraud-detector',
        { end: 20, severity: 'warning' },
      ),
      logSpike('fd-spike', 'fraud-detector', -25, -6, 40, 8),
      deploy('deploy', 'payments-api', -10, 'v2.14.0', {
        shipped: {
          pullRequests: [
            { number: 2140, title: 'Batch fraud checks per merchant' },
          ],
        },
      }),
      logSpike('spike', 'payments-api', -5, 32, 900, 12),
      deploy('rollback', 'payments-api', 30, 'v2.13.0', {
        rollback: "task 'deploy:rollback'",
      }),
    ],
    cause: 'deploy',
  },
];
