import {
  DashCorrelation,
  DashEvent,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';

export interface MarkdownInput {
  entityRefs: string[];
  from: string;
  to: string;
  events: DashEvent[];
  relatedEvents: DashEvent[];
  correlations: DashCorrelation[];
  sources: DashSourceState[];
  generatedAt: string;
}

const nameOf = (ref: string) =>
  ref.replace(/^[^:]+:/, '').replace(/^default\//, '');

/** `2026-11-22 14:05 UTC` */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Text safe inside a Markdown table cell and on one line. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

function link(text: string, url?: string): string {
  const safe = cell(text).replace(/[[\]]/g, m => `\\${m}`);
  return url
    ? `[${safe}](${url.replace(/[()\s]/g, encodeURIComponent)})`
    : safe;
}

/**
 * The window as Markdown for a postmortem: what was asked, which sources answered, the
 * incidents with their likely causes, and every event in order, in UTC.
 */
export function renderMarkdown(input: MarkdownInput): string {
  const lines: string[] = [];
  const names = input.entityRefs.map(nameOf).join(', ');
  lines.push(`# Timeline: ${names}`);
  lines.push('');
  lines.push(
    `Window: ${utc(input.from)} to ${utc(input.to)}. Exported ${utc(
      input.generatedAt,
    )} from DASH.`,
  );
  lines.push('');

  const degraded = input.sources.filter(s => s.status !== 'ok');
  lines.push('## Sources');
  lines.push('');
  if (input.sources.length === 0) {
    lines.push('No source applies to these entities.');
  } else {
    for (const s of input.sources) {
      const fetched = s.fetchedAt ? `, fetched ${utc(s.fetchedAt)}` : '';
      const why = s.message ? `: ${s.message}` : '';
      lines.push(
        `- ${s.title} (${nameOf(s.entityRef)}): ${s.status}${fetched}${why}`,
      );
    }
  }
  if (degraded.length) {
    lines.push('');
    lines.push(
      `> ${degraded.length} source${
        degraded.length === 1 ? ' was' : 's were'
      } not fully up to date when this was exported; events from ${
        degraded.length === 1 ? 'it' : 'them'
      } may be missing.`,
    );
  }
  lines.push('');

  const all = new Map(
    [...input.events, ...input.relatedEvents].map(e => [e.id, e]),
  );
  if (input.correlations.length) {
    lines.push('## Incidents and likely causes');
    lines.push('');
    for (const c of input.correlations) {
      const problem = all.get(c.eventId);
      if (!problem) continue;
      lines.push(`### ${cell(problem.title)}`);
      lines.push('');
      const end = problem.endTime
        ? `, resolved ${utc(problem.endTime)}`
        : ', not resolved in this window';
      lines.push(
        `${problem.kind} on ${nameOf(problem.entityRef)}, began ${utc(
          problem.startTime,
        )}${end}.${problem.url ? ` ${link('Open', problem.url)}` : ''}`,
      );
      lines.push('');
      if (c.verdict === 'nothing-plausible') {
        lines.push(c.summary);
      } else {
        c.candidates.forEach((cand, i) => {
          const change = all.get(cand.eventId);
          const title = change ? link(change.title, change.url) : cand.eventId;
          lines.push(
            `${i + 1}. ${title} (score ${cand.score.toFixed(
              2,
            )}): ${cand.reasons.join('; ')}`,
          );
        });
      }
      lines.push('');
    }
  }

  lines.push('## Events');
  lines.push('');
  if (input.events.length === 0) {
    lines.push(`No events between ${utc(input.from)} and ${utc(input.to)}.`);
  } else {
    lines.push('| Time (UTC) | Service | Source | Kind | Severity | What |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const e of input.events) {
      lines.push(
        `| ${utc(e.startTime)} | ${cell(nameOf(e.entityRef))} | ${cell(
          e.source,
        )} | ${e.kind} | ${e.severity} | ${link(e.title, e.url)}${
          e.status ? ` (${cell(e.status)})` : ''
        } |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
