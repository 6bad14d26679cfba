/*
 * Test helper: what the story tests ask the upstreams, as the DASH sources would ask it.
 */
import { Sandbox } from '../types';
import { call } from './http';

const iso = (t: number) => new Date(t).toISOString();

export function storyQueries(sb: Sandbox) {
  return {
    /** Error log documents of a service in [from, to). */
    async count(service: string, from: number, to: number): Promise<number> {
      const svc = sb.scenario.services.find(x => x.name === service)!;
      const res = await call(
        sb,
        'elasticsearch',
        `/${svc.esIndexPattern}/_search`,
        {
          method: 'POST',
          body: JSON.stringify({
            size: 0,
            query: {
              bool: {
                filter: [
                  { term: { 'service.name': service } },
                  { term: { 'log.level': 'error' } },
                  { range: { '@timestamp': { gte: from, lt: to } } },
                ],
              },
            },
          }),
        },
      );
      return res.body.hits.total.value;
    },
    /** A Grafana rule's state changes in [from, to], oldest first. */
    async alertStates(
      uid: string,
      from: number,
      to: number,
    ): Promise<Array<{ at: number; state: string }>> {
      const res = await call(
        sb,
        'grafana',
        `/api/annotations?type=alert&alertUID=${uid}&from=${from}&to=${to}`,
      );
      return res.body
        .map((a: any) => ({
          at: a.time,
          state: `${a.prevState}->${a.newState}`,
        }))
        .reverse();
    },
    /** The PagerDuty change events of a service in [from, to], oldest first. */
    async changeEvents(pd: string, from: number, to: number): Promise<any[]> {
      const res = await call(
        sb,
        'pagerduty',
        `/services/${pd}/change_events?since=${iso(from)}&until=${iso(to)}`,
      );
      // PagerDuty answers newest first.
      return [...res.body.change_events].sort(
        (a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp),
      );
    },
  };
}
