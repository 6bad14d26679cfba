import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KIBANA_DATA_VIEW_ID,
  ANNOTATION_KIBANA_INDEX_PATTERN,
  ANNOTATION_KIBANA_LOG_QUERY,
} from '@dash-suite/plugin-dash-common';

/** What an entity's Kibana annotations say, once checked. */
export interface KibanaTarget {
  indexPattern: string;
  logQuery: string;
  /** Absent: Discover opens with Kibana's default data view. */
  dataViewId?: string;
}

const MAX_QUERY_LENGTH = 4096;

/**
 * Why an index pattern is refused, or undefined when it is fine. It must name the service's log
 * indices and nothing else: one lower-case pattern (no lists, no exclusions), not a hidden or
 * system index (leading `.`), not an internal one (leading `_`, `_all`), no `..`, with enough
 * literal characters not to mean "everything", and optionally one remote cluster prefix
 * (`cluster:logs-*`).
 */
export function indexPatternProblem(value: string): string | undefined {
  if (value.length > 255) return 'is longer than 255 characters';
  if (/\s/.test(value)) return 'must not contain spaces';
  if (value.includes(','))
    return 'must be one pattern, not a comma-separated list';
  if (/["\\/?<>|#]/.test(value)) return 'must not contain " \\ / ? < > | or #';
  if (value.includes('..')) return "must not contain '..'";
  const m = /^(?:([a-z0-9][a-z0-9_-]{0,99}):)?(.+)$/.exec(value);
  const index = m ? m[2] : value;
  if (index.includes(':')) return "may have one 'cluster:' prefix only";
  if (/^[-_+]/.test(index)) return "must not start with '-', '_' or '+'";
  if (index.startsWith('.'))
    return 'must not target hidden or system indices (leading .)';
  if (index !== index.toLowerCase())
    return 'must be lower case, as index names are';
  if (index.replace(/[*?]/g, '').replace(/[^a-z0-9]/g, '').length < 3) {
    return 'needs at least 3 letters or digits besides wildcards, so that it cannot match every index';
  }
  return undefined;
}

function hasControlCharacters(value: string): boolean {
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function annotationValue(
  entity: Entity,
  name: string,
): string | undefined {
  const v = entity.metadata.annotations?.[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The entity's target, or why its annotations cannot be used. */
export function readTarget(
  entity: Entity,
  defaultLogQuery: string,
): { target?: KibanaTarget; problem?: string } {
  const indexPattern = annotationValue(entity, ANNOTATION_KIBANA_INDEX_PATTERN);
  if (!indexPattern) {
    return {
      problem: `Annotation ${ANNOTATION_KIBANA_INDEX_PATTERN} is missing`,
    };
  }
  const patternProblem = indexPatternProblem(indexPattern);
  if (patternProblem) {
    return {
      problem: `Annotation ${ANNOTATION_KIBANA_INDEX_PATTERN} '${indexPattern}' ${patternProblem}`,
    };
  }
  const logQuery =
    annotationValue(entity, ANNOTATION_KIBANA_LOG_QUERY) ?? defaultLogQuery;
  if (logQuery.length > MAX_QUERY_LENGTH) {
    return {
      problem: `Annotation ${ANNOTATION_KIBANA_LOG_QUERY} is longer than ${MAX_QUERY_LENGTH} characters`,
    };
  }
  if (hasControlCharacters(logQuery)) {
    return {
      problem: `Annotation ${ANNOTATION_KIBANA_LOG_QUERY} contains control characters`,
    };
  }
  const dataViewId = annotationValue(entity, ANNOTATION_KIBANA_DATA_VIEW_ID);
  if (
    dataViewId &&
    (dataViewId.length > 255 || hasControlCharacters(dataViewId))
  ) {
    return {
      problem: `Annotation ${ANNOTATION_KIBANA_DATA_VIEW_ID} must be a data view id of at most 255 printable characters`,
    };
  }
  return { target: { indexPattern, logQuery, dataViewId } };
}
