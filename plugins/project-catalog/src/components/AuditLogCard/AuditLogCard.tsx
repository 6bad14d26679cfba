import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  AuditEntry,
  projectField,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Button,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { DateTime } from 'luxon';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../../api';
import { fieldText } from '../../lib/fieldText';
import { messageOf } from '../../lib/writeError';

/** How many changes the card shows. */
export const AUDIT_CARD_LIMIT = 10;

const short = (value: unknown, max = 60) => {
  const text = fieldText(value);
  if (text === '') return '(empty)';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

const Actor = ({ actor }: { actor: string }) => {
  try {
    const ref = parseEntityRef(actor);
    return <EntityRefLink entityRef={ref} defaultKind="user" />;
  } catch {
    return <>{actor}</>;
  }
};

/** What an entry did, in words: a field's before → after, or the action. */
export function describeEntry(entry: AuditEntry): string {
  if (entry.action === 'project.create') return 'Created the project';
  if (entry.action === 'project.delete') return 'Deleted the project';
  if (!entry.field) return entry.action;
  const keys = entry.field.split(',');
  const label = keys.map(k => projectField(k)?.label ?? k).join(', ');
  // A refused write records the request's whole `set`; show the field's value from it.
  const after =
    keys.length === 1 &&
    entry.after &&
    typeof entry.after === 'object' &&
    !Array.isArray(entry.after) &&
    keys[0] in entry.after
      ? (entry.after as Record<string, unknown>)[keys[0]]
      : entry.after;
  if (keys.length > 1 || entry.before === undefined) {
    return `${label}: ${short(after)}`;
  }
  return `${label}: ${short(entry.before)} → ${short(after)}`;
}

/** The last changes made to the project through the UI, newest first, refused ones marked. */
export const AuditLogCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(projectCatalogApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getAudit({ entityRef, limit: AUDIT_CARD_LIMIT }),
    [api, entityRef],
  );
  const entries = value?.entries.slice(0, AUDIT_CARD_LIMIT) ?? [];
  return (
    <InfoCard title="Recent changes" subheader="Made in the Project Catalog UI">
      {loading && <Progress />}
      {error && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={retry}>
              Retry
            </Button>
          }
        >
          Could not load the audit log: {messageOf(error)}
        </Alert>
      )}
      {!loading && !error && entries.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No changes made in the UI yet.
        </Typography>
      )}
      {!loading && entries.length > 0 && (
        <Table size="small" aria-label="Recent changes">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>Change</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map(entry => {
              const time = DateTime.fromISO(entry.time);
              return (
                <TableRow key={entry.id}>
                  <TableCell>
                    <time
                      dateTime={entry.time}
                      title={time.toLocaleString(DateTime.DATETIME_FULL)}
                    >
                      {time.toRelative()}
                    </time>
                  </TableCell>
                  <TableCell>
                    <Actor actor={entry.actor} />
                  </TableCell>
                  <TableCell>
                    {describeEntry(entry)}
                    {entry.outcome !== 'succeeded' && (
                      <>
                        {' '}
                        <Chip
                          size="small"
                          label={entry.outcome}
                          color={
                            entry.outcome === 'refused'
                              ? 'secondary'
                              : 'default'
                          }
                          title={entry.reason}
                        />
                        {entry.reason && (
                          <Typography
                            variant="caption"
                            color="textSecondary"
                            component="div"
                          >
                            {entry.reason}
                          </Typography>
                        )}
                      </>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
