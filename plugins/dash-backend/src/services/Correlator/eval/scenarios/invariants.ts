import {
  alert,
  annotation,
  change,
  config,
  deploy,
  flag,
  incident,
  logSpike,
  pr,
  release,
} from '../build';
import { EvalScenario } from '../types';

/*
 * What must keep working: later changes are never causes, dependents are never suspects,
 * non-production and failed deploys weigh little, one deploy seen by several systems is one
 * suspect.
 */

export const invariantScenarios: EvalScenario[] = [
  {
    id: 'later-changes-ignored',
    title: 'A flurry of changes after the page; the cause came before it',
    source:
      'distractor: deploys, flags and config changes after the page are never causes',
    services: {
      'booking-api': ['availability'],
      availability: [],
    },
    paged: 'booking-api',
    page: {
      title: 'booking-api: reservations failing with 502',
      severity: 'critical',
      resolvedAt: 90,
    },
    events: [
      deploy('deploy', 'booking-api', -24, 'v14.2.0', {
        shipped: {
          pullRequests: [
            { number: 3020, title: 'Switch HTTP client to undici' },
          ],
        },
      }),
      logSpike('spike', 'booking-api', -20, 80, 3000, 40),
      deploy('later-1', 'booking-api', 6, 'v14.2.1', {
        description: 'Hotfix: raise client keep-alive timeout',
      }),
      flag('later-2', 'booking-api', 12, 'undici-client', 'on', 'off'),
      config('later-3', 'availability', 25, 'cache.size', '10k', '50k'),
      deploy('later-4', 'availability', 40, 'v3.1.0'),
      release('later-5', 'booking-api', 60, 'v14.2.2'),
    ],
    cause: 'deploy',
  },
  {
    id: 'dependents-not-suspects',
    title:
      'Services that call the paged one deploy and fail right before the page',
    source:
      'distractor: deploys and errors on services that depend on the paged one are never suspects',
    services: {
      'inventory-api': ['inventory-db'],
      'inventory-db': [],
      storefront: ['inventory-api'],
      'checkout-web': ['inventory-api', 'storefront'],
    },
    paged: 'inventory-api',
    page: {
      title: 'inventory-api: stock lookups timing out',
      severity: 'critical',
      resolvedAt: 35,
    },
    events: [
      config(
        'idx',
        'inventory-api',
        -32,
        'query.useCoveringIndex',
        'true',
        'false',
        {
          via: 'changes',
        },
      ),
      logSpike('spike', 'inventory-api', -28, 30, 450, 10),
      deploy('sf-deploy', 'storefront', -9, 'v31.0.0'),
      logSpike('sf-spike', 'storefront', -7, 30, 2200, 15),
      deploy('co-deploy', 'checkout-web', -4, 'v12.8.0'),
      incident(
        'co-inc',
        'checkout-web',
        -2,
        'checkout-web: add to cart failing',
        {
          end: 30,
        },
      ),
    ],
    cause: 'idx',
  },
  {
    id: 'staging-and-failed-deploys',
    title:
      'Staging deploys and a failed production deploy sit right before the page',
    source:
      'distractor: non-production and failed deploys close to the page weigh little',
    services: {
      'media-api': ['object-store'],
      'object-store': [],
    },
    paged: 'media-api',
    page: {
      title: 'media-api: image uploads failing',
      severity: 'error',
      resolvedAt: 40,
    },
    events: [
      deploy('deploy', 'media-api', -48, 'v9.14.0', {
        shipped: {
          pullRequests: [
            { number: 4402, title: 'Stream uploads straight to object store' },
          ],
        },
      }),
      logSpike('spike', 'media-api', -44, 35, 600, 12),
      deploy('stg-1', 'media-api', -15, 'v9.15.0-rc1', {
        environment: 'staging',
      }),
      deploy('failed', 'media-api', -9, 'v9.15.0', {
        status: 'failure',
        description:
          'Deploy v9.15.0 to production (health checks failed, not promoted)',
      }),
      change(
        'stg-pd',
        'media-api',
        -6,
        'Deploy media-api v9.15.0-rc2 to staging',
        'deploy',
        {
          environment: 'staging',
          version: 'v9.15.0-rc2',
        },
      ),
      deploy('stg-2', 'media-api', -3, 'v9.15.0-rc2', {
        environment: 'staging',
      }),
    ],
    cause: 'deploy',
  },
  {
    id: 'one-deploy-three-records',
    title:
      'A harmless deploy recorded three times; the config change before it is the cause',
    source:
      'distractor: one deploy seen by a GitHub deployment, a PagerDuty change event and a Grafana annotation is one suspect',
    services: {
      'quote-service': ['rates-api'],
      'rates-api': [],
    },
    paged: 'quote-service',
    page: {
      title: 'quote-service: quotes returned with zero premium',
      severity: 'critical',
      resolvedAt: 25,
    },
    events: [
      config(
        'rates',
        'quote-service',
        -38,
        'rates.currencySource',
        'ecb',
        'internal',
        {
          title: 'Switch currency rates source to internal feed',
        },
      ),
      alert('zero', 'quote-service', -33, 'Zero-premium quotes above 0.1%', {
        severity: 'error',
        end: 22,
      }),
      deploy('gh', 'quote-service', -15, 'v7.7.1', {
        shipped: {
          pullRequests: [
            { number: 640, title: 'Add request id to error responses' },
          ],
        },
      }),
      change(
        'pd',
        'quote-service',
        -14,
        'Deployed quote-service v7.7.1 to production',
        'deploy',
        {
          environment: 'production',
          version: 'v7.7.1',
        },
      ),
      annotation('ann', 'quote-service', -15, 'Deploy quote-service v7.7.1', [
        'deploy',
        'production',
      ]),
      config(
        'rates-back',
        'quote-service',
        18,
        'rates.currencySource',
        'internal',
        'ecb',
        { title: 'Switch currency rates source back to ECB', reverts: 'rates' },
      ),
    ],
    cause: 'rates',
  },
  {
    id: 'three-records-is-the-cause',
    title: 'The bad deploy, recorded by three systems, is one suspect',
    source:
      'distractor: one deploy seen by three systems; any record counts as the cause',
    services: {
      'ads-server': ['feature-store'],
      'feature-store': [],
    },
    paged: 'ads-server',
    page: {
      title: 'ads-server: bid latency p99 above 300ms',
      severity: 'error',
      resolvedAt: 30,
    },
    events: [
      deploy('gh', 'ads-server', -21, 'v51.0.0', {
        shipped: {
          pullRequests: [
            { number: 9001, title: 'Score candidates with model v12' },
          ],
        },
      }),
      change('pd', 'ads-server', -20, 'Deployed ads-server v51.0.0', 'deploy', {
        environment: 'production',
        version: 'v51.0.0',
      }),
      annotation('ann', 'ads-server', -21, 'Deploy ads-server v51.0.0', [
        'deploy',
        'production',
      ]),
      alert('p99', 'ads-server', -16, 'Bid latency p99 above 250ms', {
        severity: 'warning',
      }),
      deploy('fs-deploy', 'feature-store', -70, 'v2.3.0'),
      pr('pr', 'ads-server', -26 * 60, 9001, 'Score candidates with model v12'),
    ],
    cause: ['gh', 'pd', 'ann', 'pr'],
  },
  {
    id: 'busy-background',
    title:
      'A busy afternoon: routine deploys everywhere, dependabot, staging; one deploy broke search',
    source:
      'distractor: a noisy background of routine deploys of dependencies, dependabot pull requests and staging deploys',
    services: {
      'search-web': ['search-api', 'profile-api', 'feature-flags'],
      'search-api': ['search-index'],
      'search-index': [],
      'profile-api': [],
      'feature-flags': [],
      'mobile-bff': ['search-web'],
    },
    paged: 'search-web',
    page: {
      title: 'search-web: results page blank for logged-in users',
      severity: 'error',
      resolvedAt: 30,
    },
    events: [
      deploy('sa-1', 'search-api', -5 * 60, 'v8.1.0'),
      deploy('pa-1', 'profile-api', -4 * 60, 'v3.3.0'),
      deploy('si-1', 'search-index', -3 * 60, 'idx-2024.05.14.2'),
      deploy('sa-2', 'search-api', -100, 'v8.1.1'),
      deploy('pa-2', 'profile-api', -60, 'v3.3.1'),
      deploy('deploy', 'search-web', -40, 'v19.4.0', {
        shipped: {
          pullRequests: [
            { number: 7120, title: 'Render results with the new profile card' },
          ],
        },
      }),
      logSpike('spike', 'search-web', -36, 25, 880, 14),
      pr(
        'db-1',
        'search-web',
        -35,
        7122,
        'Bump react-dom from 18.2.0 to 18.3.1',
        {
          labels: ['dependencies'],
          headRef: 'dependabot/npm_and_yarn/react-dom-18.3.1',
        },
      ),
      pr('db-2', 'search-web', -30, 7123, 'Bump sass from 1.71.1 to 1.77.0', {
        labels: ['dependencies'],
        headRef: 'dependabot/npm_and_yarn/sass-1.77.0',
      }),
      deploy('stg', 'search-web', -25, 'v19.5.0-rc1', {
        environment: 'staging',
      }),
      deploy('ff-1', 'feature-flags', -20, 'v1.12.0'),
      deploy('pa-3', 'profile-api', -10, 'v3.3.2'),
      deploy('bff', 'mobile-bff', -5, 'v6.0.3'),
      deploy('sa-3', 'search-api', -4, 'v8.1.2'),
    ],
    cause: 'deploy',
  },
  {
    id: 'old-config-vs-dep-trail',
    title:
      'An old config change on the paged service versus a fresh dependency deploy with errors',
    source:
      'distractor: a day-old config change on the paged service; the dependency deploy left a trail',
    services: {
      'maps-api': ['geocoder'],
      geocoder: [],
    },
    paged: 'maps-api',
    page: {
      title: 'maps-api: address search returning empty results',
      severity: 'error',
      resolvedAt: 45,
    },
    events: [
      config(
        'old',
        'maps-api',
        -20 * 60,
        'tiles.cdnHost',
        'tiles-a.example.net',
        'tiles-b.example.net',
      ),
      deploy('geo', 'geocoder', -28, 'v4.0.0', {
        shipped: {
          pullRequests: [
            { number: 330, title: 'Normalize unicode in street names' },
          ],
        },
      }),
      alert(
        'geo-empty',
        'geocoder',
        -24,
        'Geocoder empty result ratio above 20%',
        {
          severity: 'error',
        },
      ),
      alert(
        'maps-empty',
        'maps-api',
        -18,
        'Address search empty results above 10%',
        {
          severity: 'warning',
        },
      ),
    ],
    cause: 'geo',
  },
];
