import { safeLink } from '@dash-suite/plugin-dash-node';

/**
 * A rison string literal: always quoted, with `!` and `'` escaped as `!!` and `!'`, so that
 * any text (a Lucene query with quotes, parentheses, colons) stays one value.
 */
export function risonString(value: string): string {
  return `'${value.replace(/!/g, '!!').replace(/'/g, "!'")}'`;
}

/**
 * Percent-encodes a rison value for a URL fragment. Everything that is not rison syntax or a
 * plain character is encoded (spaces, quotes, `&`, `#`, `%`, `+`), so that the query cannot end
 * the parameter or the fragment; rison's own `( ) ' ! : ,` stay readable.
 */
export function encodeRison(rison: string): string {
  return encodeURIComponent(rison).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

export interface DiscoverLinkOptions {
  /** Kibana's UI root, e.g. https://kibana.acme.example, without a trailing slash. */
  uiBaseUrl: string;
  /** `/s/<space>` or ''. */
  spacePrefix: string;
  from: Date;
  to: Date;
  /** The Lucene query. */
  query: string;
  dataViewId?: string;
}

/**
 * A Discover link for a time range and a Lucene query:
 * `<ui>/app/discover#/?_g=(time:(from:'<iso>',to:'<iso>'))&_a=(dataSource:(dataViewId:'<id>',type:dataView),query:(language:lucene,query:'<query>'))`.
 */
export function discoverUrl(options: DiscoverLinkOptions): string | undefined {
  const g = `(time:(from:${risonString(
    options.from.toISOString(),
  )},to:${risonString(options.to.toISOString())}))`;
  const dataSource = options.dataViewId
    ? `dataSource:(dataViewId:${risonString(
        options.dataViewId,
      )},type:dataView),`
    : '';
  const a = `(${dataSource}query:(language:lucene,query:${risonString(
    options.query,
  )}))`;
  return safeLink(
    `${options.uiBaseUrl}${options.spacePrefix}/app/discover#/?_g=${encodeRison(
      g,
    )}&_a=${encodeRison(a)}`,
  );
}

/** The rule's page in Kibana's Stack Management. */
export function ruleUrl(
  uiBaseUrl: string,
  spacePrefix: string,
  ruleId: string,
): string | undefined {
  return safeLink(
    `${uiBaseUrl}${spacePrefix}/app/management/insightsAndAlerting/triggersActions/rule/${encodeURIComponent(
      ruleId,
    )}`,
  );
}
