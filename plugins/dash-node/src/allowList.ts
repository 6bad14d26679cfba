/**
 * Allow-lists of what entity annotations may point a source at (repositories, services, index
 * patterns, tags), read from the source's own config section. An annotation is written by
 * whoever can register or edit an entity, and the source reads with the backend's credentials:
 * the allow-list is where the operator says which targets those credentials may serve.
 */

/**
 * A list of patterns where `*` stands for any run of characters (none included).
 *
 * @public
 */
export class AllowList {
  private readonly matchers: RegExp[];

  /**
   * @param patterns - exact values or globs with `*`; every other character is literal.
   * @param options - `caseInsensitive` when the upstream treats its names so (GitHub owners and
   *   repositories, PagerDuty ids), so that `Acme/Repo` cannot slip past `acme/*`.
   */
  constructor(
    /** The patterns as configured, for messages. */
    readonly patterns: readonly string[],
    options: { caseInsensitive?: boolean } = {},
  ) {
    this.matchers = patterns.map(
      p =>
        new RegExp(
          `^${p
            .split('*')
            .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
          options.caseInsensitive ? 'is' : 's',
        ),
    );
  }

  /** Whether the value matches one of the patterns. Values are matched as they are (no trim). */
  allows(value: string): boolean {
    return this.matchers.some(m => m.test(value));
  }

  /** The patterns in words, for messages: `'acme/*', 'tools/ci'`. */
  describe(): string {
    return this.patterns.map(p => `'${p}'`).join(', ');
  }
}

/**
 * Reads an allow-list (a list of strings) from config. Undefined when the key is absent: the
 * source then trusts every annotation, as before allow-lists existed, and should warn at
 * startup (see `warnWithoutAllowList`). An empty list allows nothing. Throws naming the key
 * when the value is not a list of non-empty strings.
 *
 * @public
 */
export function readAllowList(
  config:
    | { has(key: string): boolean; getStringArray(key: string): string[] }
    | undefined,
  key: string,
  fullKey: string,
  options: { caseInsensitive?: boolean } = {},
): AllowList | undefined {
  if (!config?.has(key)) return undefined;
  let values: string[];
  try {
    values = config.getStringArray(key);
  } catch {
    throw new Error(`Invalid config: ${fullKey} must be a list of strings`);
  }
  const patterns = values.map(v => v.trim());
  if (patterns.some(p => !p)) {
    throw new Error(
      `Invalid config: ${fullKey} must not contain empty patterns`,
    );
  }
  return new AllowList(patterns, options);
}

/**
 * The startup warning of a source that is configured but has no allow-list: every entity's
 * annotation is trusted with the backend's credentials.
 *
 * @public
 */
export function warnWithoutAllowList(
  logger: { warn(message: string): void },
  source: string,
  annotation: string,
  key: string,
): void {
  logger.warn(
    `DASH ${source} source has no allow-list: every entity's ${annotation} annotation is trusted with the backend's ${source} credentials, so whoever can register or edit a catalog entity can read any target they reach. Set ${key} to the targets DASH may read (see the Security section of the DASH backend README).`,
  );
}
