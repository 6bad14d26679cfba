/*
 * The evaluation's results, its rates and the table it prints.
 */

export interface ScenarioResult {
  id: string;
  title: string;
  source: string;
  /** The theme it belongs to (its file under scenarios/). */
  group: string;
  /** False when the true cause is null (the answer should be "nothing plausible"). */
  hasCause: boolean;
  /** 1-based position of the true cause among the candidates; undefined when not there. */
  rank?: number;
  verdict: 'ranked' | 'nothing-plausible';
  /** The title of the first candidate, when there is one. */
  topTitle?: string;
  /** Rank 1 for a scenario with a cause; "nothing plausible" for one without. */
  correct: boolean;
}

export interface Rate {
  hits: number;
  total: number;
}

export interface EvalReport {
  results: ScenarioResult[];
  /** Scenarios with a cause whose cause ranked first. */
  rank1: Rate;
  /** Scenarios with a cause whose cause ranked in the first three. */
  top3: Rate;
  /** Scenarios with a cause answered `ranked`. */
  ranked: Rate;
  /** Scenarios without a cause answered "nothing plausible". */
  nothing: Rate;
}

const rate = (
  list: ScenarioResult[],
  hit: (r: ScenarioResult) => boolean,
): Rate => ({
  hits: list.filter(hit).length,
  total: list.length,
});

export function summarize(results: ScenarioResult[]): EvalReport {
  const withCause = results.filter(r => r.hasCause);
  const without = results.filter(r => !r.hasCause);
  return {
    results,
    rank1: rate(withCause, r => r.rank === 1),
    top3: rate(withCause, r => r.rank !== undefined && r.rank <= 3),
    ranked: rate(withCause, r => r.verdict === 'ranked'),
    nothing: rate(without, r => r.verdict === 'nothing-plausible'),
  };
}

/** A share as a percentage; 100 % of nothing is 100 %. */
export function share(r: Rate): number {
  return r.total === 0 ? 1 : r.hits / r.total;
}

const percent = (r: Rate) =>
  `${r.hits}/${r.total} (${Math.round(share(r) * 100)} %)`;

function cell(text: string, width: number): string {
  const t = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return t.padEnd(width);
}

/** The source without its URL: `Cloudflare outage on July 17, 2020`. */
function shortSource(source: string): string {
  return source.replace(/\s*\(?https?:\/\/\S+\)?/g, '').replace(/,\s*$/, '');
}

/** The table and the summary lines. */
export function formatReport(report: EvalReport): string {
  const idWidth = Math.max(8, ...report.results.map(r => r.id.length));
  const lines = [
    '',
    'Likely-cause evaluation (rank of the true cause; – when it is not a candidate)',
    '',
    `   ${cell('scenario', idWidth)}  rank  ${cell(
      'top candidate',
      46,
    )}  source`,
  ];
  let group = '';
  for (const r of report.results) {
    if (r.group !== group) {
      group = r.group;
      lines.push(`-- ${group}`);
    }
    const rank = r.rank === undefined ? '–' : String(r.rank);
    lines.push(
      `${r.correct ? ' ok' : ' XX'} ${cell(r.id, idWidth)}  ${cell(
        rank,
        4,
      )}  ${cell(r.topTitle ?? '(nothing plausible)', 46)}  ${cell(
        shortSource(r.source),
        70,
      )}`,
    );
  }
  lines.push(
    '',
    `rank 1:             ${percent(
      report.rank1,
    )} of the scenarios with a cause`,
    `top 3:              ${percent(report.top3)} of the scenarios with a cause`,
    `verdict 'ranked':   ${percent(
      report.ranked,
    )} of the scenarios with a cause`,
    `nothing plausible:  ${percent(
      report.nothing,
    )} of the scenarios without a cause`,
    '',
  );
  return lines.join('\n');
}
