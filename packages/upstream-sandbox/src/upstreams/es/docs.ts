/*
 * The log documents as Elasticsearch sees them: fields (ECS names), their types, and _source.
 */
import { ScenarioService } from '../../types';
import { LogDoc } from '../../scenario/model';
import { isoMillis } from '../../time';

export interface DocView {
  log: LogDoc;
  svc: ScenarioService;
  index: string;
}

export type FieldType = 'date' | 'keyword' | 'text' | 'long';

export const FIELD_TYPES: Record<string, FieldType> = {
  '@timestamp': 'date',
  'service.name': 'keyword',
  'service.environment': 'keyword',
  'log.level': 'keyword',
  message: 'text',
  'http.response.status_code': 'long',
  'trace.id': 'keyword',
  'url.path': 'keyword',
  'event.dataset': 'keyword',
  'event.duration': 'long',
  'host.name': 'keyword',
  _index: 'keyword',
  _id: 'keyword',
};

/** Field name without a `.keyword` multi-field suffix (message.keyword is the exact message). */
export function normalizeField(field: string): {
  field: string;
  exactText: boolean;
} {
  if (field.endsWith('.keyword')) {
    const base = field.slice(0, -'.keyword'.length);
    return { field: base, exactText: FIELD_TYPES[base] === 'text' };
  }
  return { field, exactText: false };
}

export function fieldValue(
  d: DocView,
  field: string,
): string | number | undefined {
  switch (field) {
    case '@timestamp':
      return d.log.at;
    case 'service.name':
      return d.svc.name;
    case 'service.environment':
      return 'production';
    case 'log.level':
      return d.log.level;
    case 'message':
      return d.log.message;
    case 'http.response.status_code':
      return d.log.status;
    case 'trace.id':
      return d.log.traceId;
    case 'url.path':
      return d.log.path;
    case 'event.dataset':
      return `${d.svc.name}.log`;
    case 'event.duration':
      return d.log.durationMs * 1_000_000;
    case 'host.name':
      return `${d.svc.name}-${d.log.id.charCodeAt(0) % 3}`;
    case '_index':
      return d.index;
    case '_id':
      return d.log.id;
    default:
      return undefined;
  }
}

export function source(d: DocView): Record<string, unknown> {
  return {
    '@timestamp': isoMillis(d.log.at),
    message: d.log.message,
    log: { level: d.log.level },
    service: { name: d.svc.name, environment: 'production' },
    event: {
      dataset: `${d.svc.name}.log`,
      duration: d.log.durationMs * 1_000_000,
    },
    http: { response: { status_code: d.log.status } },
    url: { path: d.log.path },
    trace: { id: d.log.traceId },
    host: { name: `${d.svc.name}-${d.log.id.charCodeAt(0) % 3}` },
  };
}

/** Lower-cased word tokens, as the standard analyzer splits text. */
export function tokens(text: string): string[] {
  return text
    .toLocaleLowerCase('en-US')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);
}
