import { alert, config, deploy, incident, logSpike, pr } from '../build';
import { EvalScenario } from '../types';

/*
 * Nothing plausible: a provider outage, a traffic spike, an expiry, a latent bug; what changed
 * is old, elsewhere, not in production, or on services that depend on the paged one.
 */

export const nothingScenarios: EvalScenario[] = [
  {
    id: 'aws-s3-typo-2017',
    title: 'S3 in us-east-1 goes down; our image service fails with it',
    source:
      'Summary of the Amazon S3 Service Disruption in the Northern Virginia (US-EAST-1) Region (https://aws.amazon.com/message/41926/)',
    services: {
      'image-service': ['aws-s3'],
      'aws-s3': [],
      'web-app': ['image-service'],
    },
    paged: 'image-service',
    page: {
      title: 'image-service: uploads and thumbnails failing (S3 503)',
      severity: 'critical',
      resolvedAt: 240,
    },
    events: [
      deploy('old', 'image-service', -21 * 60, 'v4.18.0'),
      alert('s3-err', 'aws-s3', -4, 'S3 5xx rate above 1% (us-east-1)', {
        severity: 'critical',
        end: 235,
      }),
      logSpike('spike', 'image-service', -3, 236, 5200, 20),
      deploy('web', 'web-app', -10, 'v70.2.0'),
      deploy('stg', 'image-service', -50, 'v4.19.0-rc1', {
        environment: 'staging',
      }),
    ],
    cause: null,
  },
  {
    id: 'slack-tgw-2021',
    title:
      'Back-to-work traffic overwhelms the cloud transit gateways; no deploys over the holidays',
    source:
      "Slack's Outage on January 4th 2021 (https://slack.engineering/slacks-outage-on-january-4th-2021/)",
    services: {
      'slack-api': ['aws-tgw', 'vitess'],
      'aws-tgw': [],
      vitess: [],
    },
    paged: 'slack-api',
    page: {
      title: 'slack-api: widespread timeouts, clients failing to connect',
      severity: 'critical',
      resolvedAt: 200,
    },
    events: [
      config(
        'old-cfg',
        'slack-api',
        -23 * 60,
        'rtm.reconnectBackoffMs',
        '500',
        '1000',
      ),
      alert('traffic', 'slack-api', -60, 'Request rate 3x weekly baseline', {
        severity: 'warning',
      }),
      alert('tgw-drops', 'aws-tgw', -25, 'Packet loss between VPCs above 1%', {
        severity: 'critical',
      }),
      logSpike('spike', 'slack-api', -20, 190, 14000, 100),
      deploy('stg', 'slack-api', -90, 'release-2021-01-04.1', {
        environment: 'staging',
      }),
    ],
    cause: null,
  },
  {
    id: 'azure-leap-day-2012',
    title: 'Certificates valid for "one year" fail to generate on February 29',
    source:
      'Summary of Windows Azure Service Disruption on Feb 29th, 2012 (https://azure.microsoft.com/en-us/blog/summary-of-windows-azure-service-disruption-on-feb-29th-2012/)',
    services: {
      'guest-agent': [],
      'fabric-controller': ['guest-agent'],
    },
    paged: 'guest-agent',
    page: {
      title:
        'guest-agent: VM starts failing, transfer certificate creation errors',
      severity: 'critical',
      resolvedAt: 420,
    },
    events: [
      deploy('old', 'guest-agent', -24 * 60 - 30, 'ga-2.4.1131'),
      logSpike('spike', 'guest-agent', -10, 400, 3300, 2),
      deploy('fc-deploy', 'fabric-controller', -35, 'fc-2012.02.28'),
      pr(
        'docs',
        'guest-agent',
        -45,
        2018,
        'docs: clarify certificate rotation',
      ),
      deploy('stg', 'guest-agent', -70, 'ga-2.4.1140', {
        environment: 'staging',
      }),
    ],
    cause: null,
  },
  {
    id: 'github-ddos-2018',
    title: 'A 1.35 Tbps memcached amplification attack hits the edge',
    source:
      'February 28th DDoS Incident Report, GitHub (https://githubengineering.com/ddos-incident-report/)',
    services: {
      'github-edge': [],
      'github-web': ['github-edge'],
      'github-api': ['github-edge'],
    },
    paged: 'github-edge',
    page: {
      title: 'github-edge: inbound traffic saturating transit links',
      severity: 'critical',
      resolvedAt: 10,
    },
    events: [
      deploy('old', 'github-edge', -19 * 60, 'haproxy-cfg-2018.02.27'),
      alert('bps', 'github-edge', -2, 'Inbound traffic above 1 Tbps', {
        severity: 'critical',
        end: 9,
      }),
      deploy('web-1', 'github-web', -30, 'deploy-2018-02-28-1705'),
      deploy('web-2', 'github-web', -12, 'deploy-2018-02-28-1723'),
      deploy('api-1', 'github-api', -20, 'deploy-2018-02-28-1715'),
      deploy('stg', 'github-edge', -45, 'haproxy-cfg-2018.02.28-rc', {
        environment: 'staging',
      }),
    ],
    cause: null,
  },
  {
    id: 'teams-cert-expiry-2020',
    title: 'An authentication certificate expires; nobody changed anything',
    source:
      'Microsoft Teams outage of February 3, 2020: an expired authentication certificate (Microsoft 365 Status, https://twitter.com/MSFT365Status)',
    services: {
      'teams-auth': [],
      'teams-chat': ['teams-auth'],
    },
    paged: 'teams-auth',
    page: {
      title: 'teams-auth: token validation failing (certificate expired)',
      severity: 'critical',
      resolvedAt: 180,
    },
    events: [
      deploy('old', 'teams-auth', -22 * 60, 'auth-2020.02.02.3'),
      alert('tls', 'teams-auth', -1, 'TLS handshake failures above 5%', {
        severity: 'critical',
        end: 175,
      }),
      deploy('chat', 'teams-chat', -25, 'chat-2020.02.03.1'),
      pr(
        'docs',
        'teams-auth',
        -5 * 60,
        912,
        'docs: certificate inventory spreadsheet link',
      ),
    ],
    cause: null,
  },
  {
    id: 'heroku-fk-overflow-2023',
    title: 'A foreign key column overflows its integer type',
    source:
      'Heroku incident 2558, June 8, 2023 (https://status.heroku.com/incidents/2558)',
    services: {
      'platform-api': ['auth-db'],
      'auth-db': [],
    },
    paged: 'platform-api',
    page: {
      title: 'platform-api: unable to create new authorizations',
      severity: 'critical',
      resolvedAt: 300,
    },
    events: [
      deploy('api-old', 'platform-api', -10 * 60, 'v2023.06.08.1', {
        shipped: {
          pullRequests: [
            { number: 18802, title: 'Paginate app list in dashboard' },
          ],
        },
      }),
      deploy('db-old', 'auth-db', -5 * 24 * 60, 'schema-2023.06.03'),
      logSpike('spike', 'platform-api', -2, 290, 640, 3),
      deploy('stg', 'platform-api', -30, 'v2023.06.08.2', {
        environment: 'staging',
      }),
      pr('dep', 'platform-api', -80, 18810, 'Bump rack from 2.2.6 to 2.2.7', {
        labels: ['dependencies'],
        headRef: 'dependabot/bundler/rack-2.2.7',
      }),
    ],
    cause: null,
  },
  {
    id: 'gcp-europe-west2-heat-2022',
    title: 'Cooling failure in a zone takes our europe-west2 nodes down',
    source:
      'Google Cloud incident fmEL9i2fArADKawkZAa2, July 19, 2022 (https://status.cloud.google.com/incidents/fmEL9i2fArADKawkZAa2)',
    services: {
      'eu-orders': ['gce-europe-west2'],
      'gce-europe-west2': [],
      'eu-storefront': ['eu-orders'],
      'eu-reporting': ['eu-orders'],
    },
    paged: 'eu-orders',
    page: {
      title: 'eu-orders: 40% of pods unreachable in europe-west2-a',
      severity: 'critical',
      resolvedAt: 300,
    },
    events: [
      alert(
        'zone',
        'gce-europe-west2',
        -6,
        'Zone europe-west2-a: instances terminated',
        {
          severity: 'critical',
        },
      ),
      logSpike('spike', 'eu-orders', -5, 280, 2700, 30),
      deploy('sf-1', 'eu-storefront', -45, 'v22.1.0'),
      deploy('sf-2', 'eu-storefront', -15, 'v22.1.1'),
      deploy('rep', 'eu-reporting', -30, 'v5.0.2'),
      deploy('stg-1', 'eu-orders', -55, 'v11.3.0-rc1', {
        environment: 'staging',
      }),
      deploy('stg-2', 'eu-orders', -20, 'v11.3.0-rc2', {
        environment: 'staging',
      }),
      deploy('old', 'eu-orders', -18 * 60, 'v11.2.0'),
      pr(
        'pr',
        'eu-orders',
        -16 * 60,
        1402,
        'Add order source to analytics event',
      ),
    ],
    cause: null,
  },
  {
    id: 'cf-flexential-power-2023',
    title: 'A data center loses power; the control plane API goes down',
    source:
      'Post Mortem on Cloudflare Control Plane and Analytics Outage, November 2, 2023 (https://blog.cloudflare.com/post-mortem-on-cloudflare-control-plane-and-analytics-outage/)',
    services: {
      'control-api': ['pdx-dc', 'config-db'],
      'pdx-dc': [],
      'config-db': [],
      'analytics-ui': ['control-api'],
    },
    paged: 'control-api',
    page: {
      title: 'control-api: dashboard and API unavailable',
      severity: 'critical',
    },
    events: [
      incident(
        'power',
        'pdx-dc',
        -40,
        'PDX-04: utility power loss, running on generators',
        {
          severity: 'warning',
        },
      ),
      alert('pdx-down', 'pdx-dc', -3, 'PDX-04 unreachable', {
        severity: 'critical',
      }),
      logSpike('spike', 'control-api', -2, 600, 9000, 60),
      deploy('ui', 'analytics-ui', -25, 'v3.90.0'),
      deploy('old', 'control-api', -16 * 60, 'v2023.11.01.4'),
      deploy('db-old', 'config-db', -9 * 24 * 60, 'pg-15.4'),
      deploy('stg', 'control-api', -35, 'v2023.11.02.1', {
        environment: 'staging',
      }),
    ],
    cause: null,
  },
];
