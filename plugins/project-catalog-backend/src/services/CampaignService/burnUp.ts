import { CampaignHistoryPoint } from '@dash-suite/plugin-project-catalog-common';
import { HistoryRow } from '../CampaignStore/types';

const DAY = 86_400_000;
/** Longest history answered, in days. */
export const LONGEST_HISTORY_DAYS = 800;

const next = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/**
 * Daily points for a burn-up: the stored days of each team (or of the whole campaign), with
 * days on which no evaluation ran carried over from the day before, up to `untilDay`.
 */
export function burnUpPoints(
  rows: HistoryRow[],
  untilDay: string,
): CampaignHistoryPoint[] {
  const byTeam = new Map<string, HistoryRow[]>();
  for (const r of rows) byTeam.set(r.team, [...(byTeam.get(r.team) ?? []), r]);
  const points: CampaignHistoryPoint[] = [];
  for (const [team, series] of byTeam) {
    series.sort((a, b) => a.day.localeCompare(b.day));
    const last = series[series.length - 1].day;
    const end = untilDay > last ? untilDay : last;
    let i = 0;
    let current = series[0];
    let n = 0;
    for (
      let day = series[0].day;
      day <= end && n < LONGEST_HISTORY_DAYS;
      day = next(day), n++
    ) {
      while (i < series.length && series[i].day <= day) current = series[i++];
      points.push({
        day,
        ...(team ? { team } : {}),
        counts: { ...current.counts },
      });
    }
  }
  return points.sort((a, b) =>
    a.day === b.day
      ? (a.team ?? '').localeCompare(b.team ?? '')
      : a.day.localeCompare(b.day),
  );
}
