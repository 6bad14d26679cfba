import {
  DashCorrelation,
  DashEvent,
  DashSourceState,
  safeLink,
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

/**
 * Text from a source or a poster as inert Markdown on one line, wherever it lands (heading, list
 * item, table cell, link text): line breaks become spaces, and every character that could start
 * HTML (`<`, `&`), a link or image (`[`, `]`), emphasis or code (`*`, `_`, `` ` ``, `~`) or a
 * table cell (`|`) is backslash-escaped, as CommonMark allows for any ASCII punctuation.
 */
function text(value: string): string {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, m => `\\${m}`)
    .trim();
}

/**
 * Text that stands alone on its line: a leading block marker (`#`, `>`, `-`, `+`, `=`, or the
 * `.` / `)` of `1.`) is escaped too, so it stays a paragraph.
 */
function paragraph(value: string): string {
  const t = text(value);
  if (/^[#>+\-=]/.test(t)) return `\\${t}`;
  return t.replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A link with escaped text; an http(s) target only (else the text alone), with `()` and spaces encoded. */
function link(label: string, url?: string): string {
  const safe = text(label);
  const target = safeLink(url);
  return target
    ? `[${safe}](${target.replace(
        /[()\s<>]/g,
        // encodeURIComponent leaves ( and ) alone; a ) would end the link.
        c => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      )})`
    : safe;
}

/**
 * The window as Markdown for a postmortem: what was asked, which sources answered, the
 * incidents with their likely causes, and every event in order, in UTC.
 */
export function renderMarkdown(input: MarkdownInput): string {
  const lines: string[] = [];
  const names = input.entityRefs.map(nameOf).join(', ');
  lines.push(`# Timeline: ${text(names)}`);
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
      const why = s.message ? `: ${text(s.message)}` : '';
      lines.push(
        `- ${text(s.title)} (${text(nameOf(s.entityRef))}): ${text(
          s.status,
        )}${fetched}${why}`,
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
      lines.push(`### ${text(problem.title)}`);
      lines.push('');
      const end = problem.endTime
        ? `, resolved ${utc(problem.endTime)}`
        : ', not resolved in this window';
      lines.push(
        `${text(problem.kind)} on ${text(
          nameOf(problem.entityRef),
        )}, began ${utc(problem.startTime)}${end}.${
          problem.url ? ` ${link('Open', problem.url)}` : ''
        }`,
      );
      lines.push('');
      if (Date.parse(c.onset.time) < Date.parse(problem.startTime)) {
        lines.push(
          paragraph(
            `The problem began ${utc(c.onset.time)}: ${c.onset.summary}.`,
          ),
        );
        lines.push('');
      }
      if (c.verdict === 'nothing-plausible') {
        lines.push(paragraph(c.summary));
      } else {
        c.candidates.forEach((cand, i) => {
          const change = all.get(cand.eventId);
          const title = change
            ? link(change.title, change.url)
            : text(cand.eventId);
          lines.push(
            `${i + 1}. ${title} (score ${cand.score.toFixed(2)}): ${cand.reasons
              .map(text)
              .join('; ')}`,
          );
        });
      }
      if (c.afterOnset.length) {
        lines.push('');
        lines.push('Changed after the problem began (not causes):');
        lines.push('');
        for (const later of c.afterOnset) {
          const change = all.get(later.eventId);
          const title = change
            ? link(change.title, change.url)
            : text(later.eventId);
          lines.push(`- ${title}: ${later.reasons.map(text).join('; ')}`);
        }
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
        `| ${utc(e.startTime)} | ${text(nameOf(e.entityRef))} | ${text(
          e.source,
        )} | ${text(e.kind)} | ${text(e.severity)} | ${link(e.title, e.url)}${
          e.status ? ` (${text(e.status)})` : ''
        } |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
