/*
 * "The usual way" for the crowd benchmark: Backstage's proxy backend in front of the sandbox's
 * PagerDuty, with the token the sandbox expects added by the proxy (as an adopter would
 * configure `proxy.endpoints`), and the one request of a usual incident page that comes
 * closest to a DASH timeline of one service: its PagerDuty incidents over the same window.
 */
import type { RemoteSandbox } from './lib/remoteSandbox';

/** `proxy` config: /api/proxy/pagerduty -> the sandbox's PagerDuty REST API. */
export function proxyConfig(sandbox: Pick<RemoteSandbox, 'urls' | 'tokens'>) {
  return {
    proxy: {
      endpoints: {
        '/pagerduty': {
          target: sandbox.urls.pagerduty,
          headers: {
            Authorization: `Token token=${sandbox.tokens.pagerduty}`,
            Accept: 'application/vnd.pagerduty+json;version=2',
          },
          allowedMethods: ['GET'],
        },
      },
    },
  };
}

/** `GET /api/proxy/pagerduty/incidents` of one PagerDuty service over [from, to]. */
export function usualWayPath(
  pagerDutyServiceId: string,
  from: number,
  to: number,
): string {
  const q = new URLSearchParams({
    'service_ids[]': pagerDutyServiceId,
    since: new Date(from).toISOString(),
    until: new Date(to).toISOString(),
    limit: '100',
  });
  return `/api/proxy/pagerduty/incidents?${q}`;
}
