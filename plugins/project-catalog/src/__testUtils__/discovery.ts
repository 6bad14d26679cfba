import {
  DiscoveryActionResult,
  DiscoveryStatus,
  DiscoverySuggestion,
  DiscoverySuggestionPage,
  SuggestionStatus,
} from '@dash-suite/plugin-project-catalog-common';

/** An ISO time `h` hours before now. */
export const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

/** returns-service as GitHub discovery finds it: type and owner inferred, with the evidence. */
export function suggestion(
  partial: Partial<DiscoverySuggestion> = {},
): DiscoverySuggestion {
  return {
    id: 'github:acme/returns-service',
    source: 'github',
    name: 'returns-service',
    title: 'Returns service',
    description: 'Handles returns and refunds.',
    type: 'service',
    owner: 'group:default/team-returns',
    language: 'Go',
    links: [
      {
        title: 'Repository',
        url: 'https://github.com/acme/returns-service',
      },
    ],
    annotations: { 'github.com/project-slug': 'acme/returns-service' },
    evidence: {
      type: "topic 'service'",
      owner: '.github/CODEOWNERS: * @acme/team-returns',
    },
    status: 'open',
    firstSeenAt: hoursAgo(72),
    lastSeenAt: hoursAgo(2),
    ...partial,
  };
}

/** A PagerDuty service no entity names: nothing inferred, a possible match in the catalog. */
export function pagerDutySuggestion(
  partial: Partial<DiscoverySuggestion> = {},
): DiscoverySuggestion {
  return {
    id: 'pagerduty:PLEGACY',
    source: 'pagerduty',
    name: 'legacy-billing',
    title: 'Legacy billing',
    links: [
      {
        title: 'PagerDuty service',
        url: 'https://acme.pagerduty.com/service-directory/PLEGACY',
      },
    ],
    annotations: { 'pagerduty.com/service-id': 'PLEGACY' },
    evidence: { possibleMatch: 'component:default/legacy-billing' },
    status: 'open',
    firstSeenAt: hoursAgo(30),
    lastSeenAt: hoursAgo(2),
    ...partial,
  };
}

export const NO_COUNTS: Record<SuggestionStatus, number> = {
  open: 0,
  adopted: 0,
  ignored: 0,
  merged: 0,
};

/** A page of the queue; the counts default to the suggestions' own statuses. */
export function suggestionPage(
  suggestions: DiscoverySuggestion[],
  options: {
    nextCursor?: string;
    counts?: Partial<Record<SuggestionStatus, number>>;
  } = {},
): DiscoverySuggestionPage {
  const counts = { ...NO_COUNTS };
  for (const s of suggestions) counts[s.status]++;
  return {
    suggestions,
    counts: { ...counts, ...options.counts },
    ...(options.nextCursor ? { nextCursor: options.nextCursor } : {}),
  };
}

/** Both upstreams scanned fine: GitHub 2 h ago, PagerDuty 3 h ago. */
export function discoveryStatus(
  partial: Partial<DiscoveryStatus> = {},
): DiscoveryStatus {
  return {
    enabled: true,
    upstreams: [
      {
        id: 'github',
        status: 'ok',
        lastRunAt: hoursAgo(2),
        lastSuccessAt: hoursAgo(2),
        found: 4,
      },
      {
        id: 'pagerduty',
        status: 'rate-limited',
        message:
          'PagerDuty answered 429; showing the suggestions of the scan of 2026-03-02T09:00:00.000Z',
        lastRunAt: hoursAgo(3),
        lastSuccessAt: hoursAgo(27),
        found: 1,
      },
    ],
    ...partial,
  };
}

export const adopted = (
  id: string,
  entityRef: string,
): DiscoveryActionResult => ({
  id,
  action: 'adopt',
  ok: true,
  status: 201,
  entityRef,
});

export const failed = (
  id: string,
  action: DiscoveryActionResult['action'],
  status: number,
  message: string,
): DiscoveryActionResult => ({
  id,
  action,
  ok: false,
  status,
  error: { name: status === 409 ? 'ConflictError' : 'Error', message },
});
