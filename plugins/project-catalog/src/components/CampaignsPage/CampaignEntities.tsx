import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  CAMPAIGN_STATUSES,
  CampaignEntityStatus,
  CampaignStatus,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useCallback, useEffect, useRef, useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';
import {
  CardEmpty,
  CardError,
  CardLoading,
  formatFullTime,
  formatRelative,
} from '../cardStates';
import { STATUS_LABELS, StatusChip, degradedText } from '../CampaignShared';
import { ExemptionDialog } from './ExemptionDialog';
import { EntityFilters, MAX_ENTITY_ROWS, entityQueryOf } from './entityQuery';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  owner: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
  detail: { maxWidth: 480 },
}));

interface PagesState {
  items: CampaignEntityStatus[];
  nextCursor?: string;
  loading: boolean;
  loadingMore: boolean;
  error?: unknown;
}

/**
 * The entities of a campaign under the filters, a page at a time: the first page when the
 * filters change, the next one on `loadMore`. An answer for filters no longer shown is dropped.
 */
function useEntityPages(id: string, filters: EntityFilters, reloadKey: number) {
  const api = useApi(projectCatalogApiRef);
  const [state, setState] = useState<PagesState>({
    items: [],
    loading: true,
    loadingMore: false,
  });
  const generation = useRef(0);
  const filtersKey = JSON.stringify(filters);

  const load = useCallback(
    async (cursor?: string) => {
      const gen = cursor ? generation.current : ++generation.current;
      setState(s =>
        cursor
          ? { ...s, loadingMore: true, error: undefined }
          : { items: [], loading: true, loadingMore: false },
      );
      try {
        const page = await api.getCampaignEntities(
          id,
          entityQueryOf(JSON.parse(filtersKey), cursor),
        );
        if (gen !== generation.current) return;
        setState(s => ({
          // Bounded: past the limit, the filters narrow the list.
          items: (cursor ? [...s.items, ...page.items] : page.items).slice(
            0,
            MAX_ENTITY_ROWS,
          ),
          nextCursor: page.nextCursor,
          loading: false,
          loadingMore: false,
        }));
      } catch (error) {
        if (gen !== generation.current) return;
        setState(s => ({ ...s, loading: false, loadingMore: false, error }));
      }
    },
    [api, id, filtersKey],
  );

  useEffect(() => {
    load();
  }, [load, reloadKey]);

  const replace = (status: CampaignEntityStatus) =>
    setState(s => ({
      ...s,
      items: s.items.map(i => (i.entityRef === status.entityRef ? status : i)),
    }));

  return { ...state, load, replace };
}

function Detail({ item, now }: { item: CampaignEntityStatus; now: number }) {
  const classes = useStyles();
  // The detail repeats the manual note or the exemption reason: those are shown on their own.
  const detail =
    item.detail &&
    item.detail !== item.manual?.note &&
    item.detail !== item.exemption?.reason
      ? item.detail
      : undefined;
  return (
    <div className={classes.detail}>
      {detail && <Typography variant="body2">{detail}</Typography>}
      {item.exemption && (
        <Typography variant="body2">
          Exempt: {item.exemption.reason} (by {item.exemption.by})
        </Typography>
      )}
      {item.manual && (
        <Typography variant="body2">
          Owners' note ({STATUS_LABELS[item.manual.status]}, by {item.manual.by}
          ): {item.manual.note}
        </Typography>
      )}
      {item.degraded && (
        <Typography variant="body2" color="error">
          The check could not answer ({degradedText(item.degraded.reason)} since{' '}
          {formatRelative(item.degraded.since, now)}): {item.degraded.message}
        </Typography>
      )}
    </div>
  );
}

export interface CampaignEntitiesProps {
  campaignId: string;
  filters: EntityFilters;
  onFiltersChange(filters: EntityFilters): void;
  /** Whether the user may exempt entities (campaign managers). */
  canExempt: boolean;
  /** Changes to reload the list. */
  reloadKey: number;
  /** An entity's status changed here (an exemption): the campaign's counts did too. */
  onEntityChange(): void;
}

/**
 * The entities of a campaign, filtered by status (unfinished by default) and owner, with the
 * owners and what the check found; "Load more" pages on, up to `MAX_ENTITY_ROWS`. Managers exempt
 * entities here.
 */
export const CampaignEntities = ({
  campaignId,
  filters,
  onFiltersChange,
  canExempt,
  reloadKey,
  onEntityChange,
}: CampaignEntitiesProps) => {
  const classes = useStyles();
  const api = useApi(projectCatalogApiRef);
  const pages = useEntityPages(campaignId, filters, reloadKey);
  const [owner, setOwner] = useState(filters.owner);
  const [exempting, setExempting] = useState<string>();
  const [clearing, setClearing] = useState<string>();
  const [writeError, setWriteError] = useState<string>();
  useEffect(() => setOwner(filters.owner), [filters.owner]);

  const toggle = (status: CampaignStatus) => {
    const next = filters.status.includes(status)
      ? filters.status.filter(s => s !== status)
      : [...filters.status, status];
    onFiltersChange({ ...filters, status: next });
  };

  const changed = (status: CampaignEntityStatus) => {
    pages.replace(status);
    onEntityChange();
  };

  const clearExemption = async (entityRef: string) => {
    setClearing(entityRef);
    setWriteError(undefined);
    try {
      changed(await api.clearCampaignExemption(campaignId, entityRef));
    } catch (e) {
      setWriteError(messageOf(e));
    } finally {
      setClearing(undefined);
    }
  };

  const now = Date.now();
  const full = pages.items.length >= MAX_ENTITY_ROWS;
  return (
    <>
      <div className={classes.filters}>
        <div role="group" aria-label="Filter by status">
          {CAMPAIGN_STATUSES.map(s => {
            const on = filters.status.includes(s);
            return (
              <Chip
                key={s}
                label={STATUS_LABELS[s]}
                clickable
                color={on ? 'primary' : 'default'}
                variant={on ? 'default' : 'outlined'}
                onClick={() => toggle(s)}
                aria-pressed={on}
                style={{ marginRight: 4 }}
              />
            );
          })}
          {filters.status.length === 0 && (
            <Typography variant="caption" color="textSecondary">
              Every status
            </Typography>
          )}
        </div>
        <form
          className={classes.owner}
          aria-label="Filter by owner"
          onSubmit={e => {
            e.preventDefault();
            onFiltersChange({ ...filters, owner: owner.trim() });
          }}
        >
          <TextField
            size="small"
            variant="outlined"
            id="campaign-entities-owner"
            label="Owner"
            placeholder="group:default/team-a"
            value={owner}
            onChange={e => setOwner(e.target.value)}
          />
          <Button type="submit" size="small">
            Apply
          </Button>
          {filters.owner && (
            <Button
              size="small"
              onClick={() => onFiltersChange({ ...filters, owner: '' })}
            >
              All owners
            </Button>
          )}
        </form>
      </div>
      {writeError && (
        <Alert severity="error" onClose={() => setWriteError(undefined)}>
          {writeError}
        </Alert>
      )}
      {pages.loading && <CardLoading what="entities" />}
      {pages.error !== undefined && (
        <CardError
          title="Could not load the entities"
          error={messageOf(pages.error)}
          onRetry={() =>
            pages.load(pages.items.length ? pages.nextCursor : undefined)
          }
        />
      )}
      {!pages.loading && !pages.error && pages.items.length === 0 && (
        <CardEmpty
          hint={
            pages.nextCursor
              ? 'You may not see every entity: load more to look further.'
              : undefined
          }
        >
          No entities with these filters.
        </CardEmpty>
      )}
      {pages.items.length > 0 && (
        <Table size="small" aria-label="Entities">
          <TableHead>
            <TableRow>
              <TableCell>Entity</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Detail</TableCell>
              <TableCell>Changed</TableCell>
              {canExempt && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {pages.items.map(item => (
              <TableRow key={item.entityRef}>
                <TableCell>
                  <EntityRefLink entityRef={item.entityRef} />
                </TableCell>
                <TableCell>
                  {item.owner ? (
                    <EntityRefLink entityRef={item.owner} defaultKind="group" />
                  ) : (
                    '–'
                  )}
                </TableCell>
                <TableCell>
                  <StatusChip status={item.status} />
                </TableCell>
                <TableCell>
                  <Detail item={item} now={now} />
                </TableCell>
                <TableCell>
                  <time
                    dateTime={item.changedAt}
                    title={formatFullTime(item.changedAt)}
                  >
                    {formatRelative(item.changedAt, now)}
                  </time>
                </TableCell>
                {canExempt && (
                  <TableCell>
                    {item.exemption ? (
                      <Button
                        size="small"
                        disabled={clearing === item.entityRef}
                        onClick={() => clearExemption(item.entityRef)}
                        aria-label={`Remove the exemption of ${item.entityRef}`}
                      >
                        Remove exemption
                      </Button>
                    ) : (
                      <Button
                        size="small"
                        onClick={() => setExempting(item.entityRef)}
                        aria-label={`Exempt ${item.entityRef}`}
                      >
                        Exempt
                      </Button>
                    )}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        {pages.nextCursor && !full && !pages.error && (
          <Button
            variant="outlined"
            disabled={pages.loadingMore}
            onClick={() => pages.load(pages.nextCursor)}
          >
            {pages.loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        )}
        {pages.items.length > 0 && (
          <Typography variant="body2" color="textSecondary">
            {pages.items.length} shown
            {full && pages.nextCursor
              ? `: the list stops at ${MAX_ENTITY_ROWS}; narrow it with the status and owner filters`
              : ''}
          </Typography>
        )}
      </Box>
      {exempting && (
        <ExemptionDialog
          campaignId={campaignId}
          entityRef={exempting}
          onClose={() => setExempting(undefined)}
          onSaved={changed}
        />
      )}
    </>
  );
};
