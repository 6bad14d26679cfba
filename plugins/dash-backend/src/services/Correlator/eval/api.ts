import {
  DashChangeEventInput,
  DashEvent,
} from '@dash-suite/plugin-dash-common';

/*
 * The two calls the harness makes to the DASH backend, over HTTP as the UI and deploy tools
 * make them, with errors that name what was asked.
 */

/** What the harness reads of a candidate; fields newer than the answer type may be absent. */
export interface CandidateBody {
  eventId: string;
  shipped?: Array<{ eventId?: string }>;
}

export interface CorrelationBody {
  eventId: string;
  verdict: 'ranked' | 'nothing-plausible';
  candidates: CandidateBody[];
}

export interface TimelineBody {
  events: DashEvent[];
  relatedEvents: DashEvent[];
  correlations: CorrelationBody[];
}

export class DashClient {
  constructor(private readonly baseUrl: string) {}

  private async call(path: string, init?: RequestInit): Promise<any> {
    const res = await fetch(`${this.baseUrl}/api/dash${path}`, init);
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${init?.method ?? 'GET'} /api/dash${path} answered ${
          res.status
        }: ${text.slice(0, 500)}`,
      );
    }
    return JSON.parse(text);
  }

  /** Posts a change (POST /changes); answers its stored id. */
  async postChange(input: DashChangeEventInput): Promise<string> {
    const body = await this.call('/changes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return body.event.id;
  }

  /** GET /timeline for one entity and window. */
  async timeline(
    entityRef: string,
    fromMs: number,
    toMs: number,
  ): Promise<TimelineBody> {
    const query = new URLSearchParams({
      entityRef,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
    });
    return this.call(`/timeline?${query}`);
  }
}
