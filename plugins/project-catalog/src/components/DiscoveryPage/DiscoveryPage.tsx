import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  DISCOVERY_SOURCES,
  DiscoveryActionResult,
  DiscoverySource,
  DiscoveryStatus,
  SUGGESTION_STATUSES,
  SuggestionStatus,
  projectCatalogDiscoveryReviewPermission,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  CircularProgress,
  Grid,
  LinearProgress,
  Tab,
  Tabs,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../../api';
import { messageOf, statusOf } from '../../lib/writeError';
import {
  CardEmpty,
  CardError,
  CardLoading,
  formatFullTime,
  formatRelative,
} from '../cardStates';
import {
  AdoptDialog,
  BulkAdoptDialog,
  IgnoreDialog,
  MergeDialog,
  SubmitActions,
} from './ActionDialogs';
import { ActionResults } from './ActionResults';
import { chunksOf } from './discoveryForms';
import { SOURCE_TITLES, ScanStatePanel, lastScanAt } from './ScanStatePanel';
import { SuggestionTable } from './SuggestionTable';
import { useSuggestions } from './useSuggestions';

const STATUS_TITLES: Record<SuggestionStatus, string> = {
  open: 'Open',
  adopted: 'Adopted',
  ignored: 'Ignored',
  merged: 'Merged',
};

type DialogKind = 'adopt' | 'ignore' | 'merge';

/**
 * Discovery's review queue: the scan state of each upstream with "Scan now", and the suggestions
 * by status and source, to adopt, ignore or merge one or many at a time. Without the page frame.
 */
export const DiscoveryContent = () => {
  const api = useApi(projectCatalogApiRef);
  const permission = usePermission({
    permission: projectCatalogDiscoveryReviewPermission,
  });
  const canReview = permission.allowed;
  const denied = !permission.loading && !permission.allowed;

  const statusState = useAsyncRetry(() => api.getDiscoveryStatus(), [api]);
  const [scanned, setScanned] = useState<DiscoveryStatus>();
  const [scanning, setScanning] = useState(false);
  const [scanError, setScanError] = useState<string>();
  const status = scanned ?? statusState.value;

  const [tab, setTab] = useState<SuggestionStatus>('open');
  const [source, setSource] = useState<DiscoverySource | ''>('');
  const list = useSuggestions(tab, source || undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<DialogKind>();
  const [outcome, setOutcome] = useState<{
    results: DiscoveryActionResult[];
    names: Record<string, string>;
  }>();
  const now = Date.now();

  const selectable = canReview && tab === 'open';
  // Only what is shown can be acted on (a refresh may have taken some away).
  const chosen = selectable
    ? list.suggestions.filter(s => selected.has(s.id))
    : [];

  const select = (ids: string[], checked: boolean) =>
    setSelected(before => {
      const next = new Set(before);
      for (const id of ids) {
        if (checked) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const changeFilter = (next: () => void) => {
    next();
    setSelected(new Set());
  };

  const scan = async () => {
    setScanning(true);
    setScanError(undefined);
    try {
      setScanned(await api.scanDiscovery());
      list.refresh();
    } catch (e) {
      setScanError(messageOf(e));
    } finally {
      setScanning(false);
    }
  };

  /**
   * Sends the actions (in requests of at most `actionsPerRequest`) and shows each result. When
   * the first request fails as a whole, nothing was done: the dialog shows why. A later request
   * failing marks its actions failed with its message.
   */
  const act: SubmitActions = async actions => {
    const results: DiscoveryActionResult[] = [];
    const chunks = chunksOf(actions);
    for (let i = 0; i < chunks.length; i++) {
      try {
        const answer = await api.actOnSuggestions({ actions: chunks[i] });
        results.push(...answer.results);
      } catch (e) {
        if (i === 0) throw e;
        for (const a of chunks.slice(i).flat()) {
          results.push({
            id: a.id,
            action: a.action,
            ok: false,
            status: statusOf(e) ?? 500,
            error: { name: 'Error', message: messageOf(e) },
          });
        }
        break;
      }
    }
    setOutcome({
      results,
      names: Object.fromEntries(list.suggestions.map(s => [s.id, s.name])),
    });
    setSelected(new Set(results.filter(r => !r.ok).map(r => r.id)));
    setDialog(undefined);
    list.refresh();
  };

  const closeDialog = () => setDialog(undefined);

  let scanBody;
  if (!status && statusState.loading) {
    scanBody = <CardLoading what="the scan state" />;
  } else if (!status) {
    scanBody = (
      <CardError
        title="Could not load the scan state"
        error={messageOf(statusState.error)}
        onRetry={() => {
          setScanned(undefined);
          statusState.retry();
        }}
      />
    );
  } else {
    scanBody = (
      <ScanStatePanel
        status={status}
        now={now}
        canReview={canReview}
        permissionLoading={permission.loading}
        scanning={scanning}
        scanError={scanError}
        onScan={scan}
        onDismissScanError={() => setScanError(undefined)}
      />
    );
  }

  const emptyText = `No ${tab} suggestions${
    source ? ` from ${SOURCE_TITLES[source]}` : ''
  }`;
  const last = lastScanAt(status);
  const emptyHint =
    tab !== 'open' ? undefined : (
      <>
        {last ? (
          <>
            Last scan{' '}
            <time dateTime={last} title={formatFullTime(last)}>
              {formatRelative(last, now)}
            </time>
            .
          </>
        ) : (
          'Discovery has not scanned yet.'
        )}
      </>
    );

  let listBody;
  if (list.loading) {
    listBody = <CardLoading what="suggestions" />;
  } else if (list.error) {
    listBody = (
      <CardError
        title="Could not load the suggestions"
        error={messageOf(list.error)}
        onRetry={list.retry}
      />
    );
  } else if (!list.suggestions.length) {
    listBody = <CardEmpty hint={emptyHint}>{emptyText}</CardEmpty>;
  } else {
    listBody = (
      <>
        <SuggestionTable
          suggestions={list.suggestions}
          status={tab}
          now={now}
          selectable={selectable}
          selected={selected}
          onSelect={select}
        />
        {list.moreError && (
          <Box mt={1}>
            <CardError
              title="Could not load more suggestions"
              error={messageOf(list.moreError)}
              onRetry={list.loadMore}
            />
          </Box>
        )}
        {list.hasMore && !list.moreError && (
          <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
            <Button
              variant="outlined"
              onClick={list.loadMore}
              disabled={list.loadingMore}
            >
              Load more
            </Button>
            {list.loadingMore && (
              <CircularProgress
                size={20}
                aria-label="Loading more suggestions"
              />
            )}
          </Box>
        )}
      </>
    );
  }

  const toolbar = selectable && list.suggestions.length > 0 && (
    <Box
      display="flex"
      alignItems="center"
      style={{ gap: 8 }}
      role="toolbar"
      aria-label="Bulk actions"
    >
      <Typography variant="body2">{chosen.length} selected</Typography>
      <Button
        color="primary"
        variant="contained"
        size="small"
        disabled={!chosen.length}
        onClick={() => setDialog('adopt')}
      >
        Adopt
      </Button>
      <Button
        variant="outlined"
        size="small"
        disabled={!chosen.length}
        onClick={() => setDialog('ignore')}
      >
        Ignore
      </Button>
      <Tooltip
        title={
          chosen.length === 1
            ? 'Merge into an existing entity'
            : 'Select one suggestion to merge it into an entity'
        }
      >
        <span>
          <Button
            variant="outlined"
            size="small"
            disabled={chosen.length !== 1}
            onClick={() => setDialog('merge')}
          >
            Merge
          </Button>
        </span>
      </Tooltip>
    </Box>
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Scan state">{scanBody}</InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Suggestions"
          subheader="Projects discovery found that the catalog does not have yet"
        >
          {denied && (
            <Box mb={2}>
              <Alert severity="info">
                You can browse the queue. Adopting, ignoring and merging
                suggestions and scanning need the permission
                project-catalog.discovery.review.
              </Alert>
            </Box>
          )}
          <Tabs
            value={tab}
            onChange={(_, next: SuggestionStatus) =>
              changeFilter(() => setTab(next))
            }
            indicatorColor="primary"
            textColor="primary"
            aria-label="Suggestion status"
          >
            {SUGGESTION_STATUSES.map(s => (
              <Tab
                key={s}
                value={s}
                label={`${STATUS_TITLES[s]}${
                  list.counts ? ` (${list.counts[s]})` : ''
                }`}
              />
            ))}
          </Tabs>
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            my={2}
            style={{ gap: 16 }}
          >
            <TextField
              id="discovery-source"
              select
              SelectProps={{ native: true }}
              // "All sources" is the empty value: keep the label above it, not over it.
              InputLabelProps={{ shrink: true }}
              label="Source"
              size="small"
              variant="outlined"
              value={source}
              onChange={e =>
                changeFilter(() =>
                  setSource(e.target.value as DiscoverySource | ''),
                )
              }
            >
              <option value="">All sources</option>
              {DISCOVERY_SOURCES.map(s => (
                <option key={s} value={s}>
                  {SOURCE_TITLES[s]}
                </option>
              ))}
            </TextField>
            {toolbar}
          </Box>
          {outcome && (
            <ActionResults
              results={outcome.results}
              names={outcome.names}
              onClose={() => setOutcome(undefined)}
            />
          )}
          {list.refreshing && (
            <LinearProgress aria-label="Refreshing the suggestions" />
          )}
          {listBody}
        </InfoCard>
      </Grid>
      {dialog === 'adopt' && chosen.length === 1 && (
        <AdoptDialog
          suggestion={chosen[0]}
          onSubmit={act}
          onClose={closeDialog}
        />
      )}
      {dialog === 'adopt' && chosen.length > 1 && (
        <BulkAdoptDialog
          suggestions={chosen}
          onSubmit={act}
          onClose={closeDialog}
        />
      )}
      {dialog === 'ignore' && chosen.length > 0 && (
        <IgnoreDialog
          suggestions={chosen}
          onSubmit={act}
          onClose={closeDialog}
        />
      )}
      {dialog === 'merge' && chosen.length === 1 && (
        <MergeDialog
          suggestion={chosen[0]}
          onSubmit={act}
          onClose={closeDialog}
        />
      )}
    </Grid>
  );
};

/** Discovery's review queue, with the page frame of the legacy frontend system. */
export const DiscoveryPage = () => (
  <Page themeId="tool">
    <Header
      title="Project discovery"
      subtitle="Repositories and PagerDuty services the catalog does not have yet: adopt, ignore or merge them"
    />
    <Content>
      <DiscoveryContent />
    </Content>
  </Page>
);
