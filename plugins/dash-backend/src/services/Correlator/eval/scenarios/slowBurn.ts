import { EvalEvent, EvalScenario } from '../types';
import {
  AlertOptions,
  alert,
  annotation,
  change,
  config,
  deploy,
  flag,
  pr,
} from '../build';

/*
 * Slow burns: a change hours before a steadily growing signal (memory, queue depth, disk,
 * connection pool) that finally pages.
 */

/**
 * The same Grafana rule firing again and again, its summary growing, as a slow burn looks:
 * one episode per `[start, end, value]`, the last one still firing when `end` is undefined.
 */
function refiring(
  prefix: string,
  service: string,
  alertname: string,
  ruleUid: string,
  episodes: Array<[number, number | undefined, string]>,
  severity: AlertOptions['severity'] = 'warning',
): EvalEvent[] {
  return episodes.map(([at, end, value], i) =>
    alert(`${prefix}-${i + 1}`, service, at, alertname, {
      end,
      ruleUid,
      severity,
      summary: value,
    }),
  );
}

export const slowBurnScenarios: EvalScenario[] = [
  {
    id: 'roblox-consul-streaming-2021',
    title:
      'Consul streaming enabled the day before; KV write latency grows until Consul stalls',
    source:
      'Roblox Return to Service 10/28-10/31, 2021 (https://blog.roblox.com/2022/01/roblox-return-to-service-10-28-10-31-2021/)',
    services: {
      'game-platform': ['consul'],
      consul: [],
    },
    paged: 'game-platform',
    page: {
      title: 'Roblox platform unavailable: service discovery timing out',
      severity: 'critical',
    },
    events: [
      change(
        'hw',
        'consul',
        -23 * 60,
        'Replace Consul servers with 128-core hosts',
        'infrastructure',
        { environment: 'production' },
      ),
      flag(
        'streaming',
        'consul',
        -19 * 60,
        'consul-streaming-traffic-routing',
        'off',
        'on',
        {
          title: 'Enable Consul streaming for the traffic routing service',
        },
      ),
      ...refiring(
        'raft',
        'consul',
        'Consul raft commit time p99 high',
        'consul-raft-p99',
        [
          [-9 * 60, -8 * 60, 'raft commit p99 420ms'],
          [-5 * 60, -4 * 60, 'raft commit p99 900ms'],
          [-2 * 60, -70, 'raft commit p99 1.6s'],
          [-40, undefined, 'raft commit p99 3.9s'],
        ],
      ),
      deploy('gp-deploy', 'game-platform', -3 * 60, 'gp-2021.10.28.1'),
    ],
    cause: 'streaming',
  },
  {
    id: 'aws-ebs-agent-leak-2012',
    title: 'Storage agents leak memory after their collection server goes away',
    source:
      'Summary of the October 22, 2012 AWS Service Event in the US-East Region (https://aws.amazon.com/message/680342/)',
    services: {
      'ebs-storage': ['metrics-collector'],
      'metrics-collector': [],
    },
    paged: 'ebs-storage',
    page: {
      title: 'EBS: volumes stuck, elevated I/O errors in one AZ',
      severity: 'critical',
      resolvedAt: 360,
    },
    events: [
      change(
        'collector-dns',
        'metrics-collector',
        -15 * 60,
        'Replace failed data collection server; DNS record updated',
        'infrastructure',
        { environment: 'production' },
      ),
      ...refiring(
        'mem',
        'ebs-storage',
        'Storage host memory above 85%',
        'ebs-host-mem',
        [
          [-11 * 60, -10 * 60, 'memory 86% on 140 hosts'],
          [-7 * 60, -6 * 60, 'memory 90% on 510 hosts'],
          [-3 * 60, undefined, 'memory 95% on 1,900 hosts'],
        ],
      ),
      deploy('ebs-deploy', 'ebs-storage', -4 * 60, 'ebs-server-2012.10.22'),
    ],
    cause: 'collector-dns',
  },
  {
    id: 'debug-logging-fills-disk',
    title: 'Debug logging left on fills the database host disk overnight',
    source:
      'distractor: debug logging left on after an investigation fills the disk (a common postmortem story)',
    services: {
      'ledger-db': [],
      'ledger-api': ['ledger-db'],
    },
    paged: 'ledger-db',
    page: {
      title: 'ledger-db: primary read-only, disk full',
      severity: 'critical',
      resolvedAt: 50,
    },
    events: [
      config(
        'log',
        'ledger-db',
        -9 * 60,
        'log_min_duration_statement',
        '1000',
        '0',
        {
          title:
            'Log all statements on ledger-db primary (investigating slow queries)',
        },
      ),
      ...refiring('disk', 'ledger-db', 'Disk usage above 80%', 'ledger-disk', [
        [-6 * 60, -5 * 60, 'data volume 82% used'],
        [-3 * 60, -2 * 60, 'data volume 90% used'],
        [-75, undefined, 'data volume 96% used'],
      ]),
      deploy('api-deploy', 'ledger-api', -45, 'v1.88.0'),
      deploy('db-minor', 'ledger-db', -6 * 24 * 60, 'pg-15.6'),
    ],
    cause: 'log',
  },
  {
    id: 'webhook-queue-serial',
    title:
      'Webhook worker shipped a one-at-a-time change; queue depth grows all day',
    source:
      'distractor: a deploy that slows a consumer; queue depth grows for hours before the page',
    services: {
      'webhook-worker': ['webhook-queue'],
      'webhook-queue': [],
      'events-api': ['webhook-queue'],
    },
    paged: 'webhook-worker',
    page: {
      title: 'Webhook deliveries delayed by more than 30 minutes',
      severity: 'error',
      resolvedAt: 90,
    },
    events: [
      pr(
        'pr',
        'webhook-worker',
        -8 * 60,
        612,
        'Deliver webhooks one at a time to keep per-endpoint order',
      ),
      deploy('deploy', 'webhook-worker', -7 * 60, 'v4.12.0', {
        shipped: {
          pullRequests: [
            {
              number: 612,
              title:
                'Deliver webhooks one at a time to keep per-endpoint order',
            },
          ],
        },
      }),
      ...refiring(
        'depth',
        'webhook-worker',
        'Webhook backlog above 10k',
        'wh-backlog',
        [
          [-5 * 60, -4 * 60, 'depth 14,200'],
          [-3 * 60, -2 * 60, 'depth 61,000'],
          [-80, undefined, 'depth 240,000'],
        ],
      ),
      deploy('events-deploy', 'events-api', -2 * 60, 'v7.4.1'),
      pr('dep', 'webhook-worker', -30, 618, 'Bump axios from 1.6.7 to 1.6.8', {
        labels: ['dependencies'],
        headRef: 'dependabot/npm_and_yarn/axios-1.6.8',
      }),
    ],
    cause: ['deploy', 'pr'],
  },
  {
    id: 'payments-conn-leak',
    title:
      'A retry path leaks database connections; the pool runs dry by evening',
    source:
      'distractor: connection pool exhaustion hours after the deploy that leaks on an error path',
    services: {
      'payments-api': ['payments-db'],
      'payments-db': [],
    },
    paged: 'payments-api',
    page: {
      title: 'payments-api: database connection pool exhausted',
      severity: 'critical',
      resolvedAt: 25,
    },
    events: [
      deploy('deploy', 'payments-api', -5 * 60, 'v3.42.0', {
        shipped: {
          pullRequests: [
            { number: 2301, title: 'Retry payment capture on gateway timeout' },
          ],
        },
      }),
      pr(
        'pr',
        'payments-api',
        -6 * 60,
        2301,
        'Retry payment capture on gateway timeout',
      ),
      ...refiring(
        'pool',
        'payments-api',
        'DB pool in use above 80%',
        'pay-pool',
        [
          [-3 * 60, -150, 'pool 82% in use'],
          [-100, -60, 'pool 91% in use'],
          [-35, undefined, 'pool 99% in use'],
        ],
      ),
      change(
        'pg-upgrade',
        'payments-db',
        -26 * 60,
        'RDS minor version upgrade 15.5 → 15.6',
        'infrastructure',
        {
          environment: 'production',
        },
      ),
      deploy('staging', 'payments-api', -40, 'v3.43.0-rc1', {
        environment: 'staging',
      }),
    ],
    cause: ['deploy', 'pr'],
  },
  {
    id: 'cache-ttl-memory',
    title:
      'A longer cache TTL grows the heap for twelve hours; a harmless deploy lands late',
    source:
      'distractor: slow memory growth from an old config change, with a deploy after the growth began',
    services: {
      'pricing-service': [],
      'cart-service': ['pricing-service'],
    },
    paged: 'pricing-service',
    page: {
      title: 'pricing-service: pods OOMKilled, price lookups failing',
      severity: 'critical',
      resolvedAt: 30,
    },
    events: [
      config(
        'ttl',
        'pricing-service',
        -12 * 60,
        'cache.priceTtl',
        '5m',
        '24h',
        {
          via: 'changes',
        },
      ),
      ...refiring(
        'heap',
        'pricing-service',
        'JVM heap above 80%',
        'pricing-heap',
        [
          [-8 * 60, -7 * 60, 'heap 81%'],
          [-4 * 60, -3 * 60, 'heap 88%'],
          [-90, undefined, 'heap 95%'],
        ],
      ),
      deploy('deploy', 'pricing-service', -20, 'v2.30.1', {
        shipped: {
          pullRequests: [
            { number: 845, title: 'Fix rounding in currency display' },
          ],
        },
      }),
      deploy('cart-deploy', 'cart-service', -50, 'v10.2.0'),
      annotation(
        'ann',
        'pricing-service',
        -20,
        'Deploy pricing-service v2.30.1',
        ['deploy', 'production'],
      ),
    ],
    cause: 'ttl',
  },
  {
    id: 'batch-schedule-queue',
    title:
      'A batch job moved from hourly to every five minutes; the export queue backs up',
    source:
      'distractor: a schedule change hours before queue depth grows into a page',
    services: {
      'export-service': ['export-queue'],
      'export-queue': [],
    },
    paged: 'export-service',
    page: {
      title: 'Customer exports delayed more than 2 hours',
      severity: 'error',
      resolvedAt: 120,
    },
    events: [
      config(
        'cron',
        'export-service',
        -4 * 60,
        'jobs.reconcile.schedule',
        '0 * * * *',
        '*/5 * * * *',
        {
          title: 'Run reconcile export every 5 minutes',
        },
      ),
      ...refiring(
        'depth',
        'export-service',
        'Export backlog growing',
        'export-backlog',
        [
          [-200, -170, 'depth 3,400'],
          [-140, -100, 'depth 12,900'],
          [-60, undefined, 'depth 48,000'],
        ],
      ),
      deploy('deploy-old', 'export-service', -22 * 60, 'v1.7.0'),
      deploy('staging', 'export-service', -30, 'v1.8.0-rc2', {
        environment: 'staging',
      }),
      pr(
        'pr-docs',
        'export-service',
        -25,
        144,
        'docs: describe export retention',
      ),
    ],
    cause: 'cron',
  },
];
