import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { AuditEntry } from '@dash-suite/plugin-project-catalog-common';
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
import { messageOf } from '../../lib/writeError';
import { auditRouteRef } from '../../routes';
import { Actor, entryAfter, fieldLabel, shortValue } from './auditEntry';
import { useOptionalRouteRef } from '../../hooks/useOptionalRouteRef';
import { useProjectSaves } from '../../hooks/useProject';

/** How many changes the card shows. */
export const AUDIT_CARD_LIMIT = 10;

/** What an entry did, in words: a field's before → after, or the action. */
export function describeEntry(entry: AuditEntry): string {
  if (entry.action === 'project.create') return 'Created the project';
  if (entry.action === 'project.delete') return 'Deleted the project';
  if (!entry.field) return entry.action;
  const label = fieldLabel(entry.field);
  const after = shortValue(entryAfter(entry));
  if (entry.field.includes(',') || entry.before === undefined) {
    return `${label}: ${after}`;
  }
  return `${label}: ${shortValue(entry.before)} → ${after}`;
}

/** The audit page's address, filtered on one entity; undefined when the app has no audit page. */
export function useAuditPageLink(entityRef: string): string | undefined {
  const auditRoute = useOptionalRouteRef(auditRouteRef);
  if (!auditRoute) return undefined;
  return `${auditRoute()}?${new URLSearchParams({ entity: entityRef })}`;
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
  const viewAll = useAuditPageLink(entityRef);
  // A save in another card of this entity is a new change to list.
  useProjectSaves(entityRef, retry);
  const entries = value?.entries.slice(0, AUDIT_CARD_LIMIT) ?? [];
  return (
    <InfoCard
      title="Recent changes"
      subheader="Made in the Project Catalog UI"
      deepLink={viewAll ? { title: 'View all', link: viewAll } : undefined}
    >
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
