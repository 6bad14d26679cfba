import { IndexableDocument } from '@backstage/plugin-search-common';
import {
  DashEvent,
  DashSearchDocumentFields,
  dashEventWindow,
  dashUrl,
} from '@dash-suite/plugin-dash-common';

/** A DASH event as Backstage search indexes it. */
export type DashSearchDocument = IndexableDocument & DashSearchDocumentFields;

/**
 * The search document of one DASH event: its title; a sentence with the entity, version,
 * environment, kind, source and time (and a change's type and details, such as a feature-flag
 * key) for the text; a link that opens the entity's DASH tab with the event selected; and the
 * fields a result item shows. Search shows it to those who may read the entity.
 */
export function dashDocument(event: DashEvent): DashSearchDocument {
  const text = (key: string) => {
    const value = event.attributes[key];
    return typeof value === 'string' && value ? value : undefined;
  };
  const version = text('version');
  const environment = text('environment');
  const changeType = text('changeType');
  const details = event.attributes.details;
  const detailValues =
    details && typeof details === 'object' && !Array.isArray(details)
      ? Object.entries(details)
          .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
          .map(([k, v]) => `${k} ${v}`)
      : [];
  const sentence = [
    `${changeType ? `${changeType} ${event.kind}` : event.kind} of ${
      event.entityRef
    }`,
    version && `version ${version}`,
    environment && `in ${environment}`,
    `from ${event.source}`,
    `at ${event.startTime}`,
    event.status && `(${event.status})`,
  ]
    .filter(Boolean)
    .join(' ');
  const optional = { status: event.status, version, environment, changeType };
  return {
    title: event.title,
    text: [`${sentence}.`, ...detailValues].join(' '),
    location: dashUrl(undefined, event.entityRef, dashEventWindow(event), {
      eventId: event.id,
    }),
    authorization: { resourceRef: event.entityRef },
    entityRef: event.entityRef,
    eventId: event.id,
    kind: event.kind,
    source: event.source,
    startTime: event.startTime,
    severity: event.severity,
    ...Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ),
  };
}
