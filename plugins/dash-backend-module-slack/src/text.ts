import { safeLink } from '@dash-suite/plugin-dash-node';

/** Longest stored message text; longer text is cut with an ellipsis. */
export const MAX_TEXT = 2000;
/** Longest event title. */
export const MAX_TITLE = 140;

/** Slack's special mentions, as plain words. */
const SPECIAL: Record<string, string> = {
  here: '@here',
  channel: '@channel',
  everyone: '@everyone',
};

/**
 * Slack message text (mrkdwn as stored) as plain text, interpreting only what Slack encodes in
 * angle brackets: `<@U…>` becomes `@Name` (from `names`, else the id), `<#C…|name>` `#name`,
 * `<!here>` and friends plain words, `<https://x|label>` `label (https://x)` and `<https://x>`
 * the URL. Links other than http(s) keep their label only (never the URL), and every other
 * character stays as it is: the text is untrusted and is shown as text, never as markup.
 * `&lt;`, `&gt;` and `&amp;` (Slack's escapes) are decoded last.
 */
export function plainText(
  text: string,
  names: ReadonlyMap<string, string>,
): string {
  const out = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const [target, ...rest] = inner.split('|');
    const label = rest.join('|').trim();
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return `@${names.get(id) ?? (label || id)}`;
    }
    if (target.startsWith('#')) return `#${label || target.slice(1)}`;
    if (target.startsWith('!')) {
      const word = target.slice(1).split('^')[0];
      if (SPECIAL[word]) return SPECIAL[word];
      if (word === 'subteam') return label ? label : '@group';
      if (word === 'date') return label;
      return label;
    }
    const url = safeLink(decode(target));
    if (!url) return label;
    return label && label !== target ? `${label} (${url})` : url;
  });
  return decode(out);
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** At most `max` characters, cut at a word when one is near, with an ellipsis. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const hard = text.slice(0, max - 1);
  const space = hard.lastIndexOf(' ');
  return `${(space > max * 0.6 ? hard.slice(0, space) : hard).trimEnd()}…`;
}

/** A single line (whitespace runs and line breaks become one space) of at most MAX_TITLE. */
export function titleOf(text: string): string {
  return cut(text.replace(/\s+/g, ' ').trim(), MAX_TITLE);
}

/** User ids mentioned in raw text (`<@U…>`), for name lookups. */
export function mentionedUsers(text: string): string[] {
  return [...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map(m => m[1]);
}
