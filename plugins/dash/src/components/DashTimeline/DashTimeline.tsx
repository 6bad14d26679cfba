import {
  alertApiRef,
  configApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import { ResponseErrorPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  DashEvent,
  DashTimelineQuery,
} from '@dash-suite/plugin-dash-common';
import { dashRefreshPermission } from '@dash-suite/plugin-dash-common';
import { Button, LinearProgress, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  KeyboardEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { dashApiRef } from '../../api';
import { useLiveClock, useTimeline } from '../../hooks/useTimeline';
import { useTimeZonePreference } from '../../hooks/useTimeZonePreference';
import {
  TimelineView,
  useTimelineUrlState,
} from '../../hooks/useTimelineUrlState';
import {
  EventFilters,
  filterEvents,
  hasFilters,
  inWindow,
  ms,
  normalizeRef,
  sourceOrder,
} from '../../lib/events';
import { sourcePresentation } from '../../lib/presentation';
import { presetMs, PRESETS } from '../../lib/time';
import { DensityHistogram } from '../DensityHistogram';
import { EventDetails } from '../EventDetails';
import { CandidateMark, EventList, EventListHandle } from '../EventList';
import { FilterBar } from '../FilterBar';
import { SourceLanes } from '../SourceLanes';
import { RefreshButton, SourceStatusBar } from '../SourceStatusBar';
import { UpstreamLinks } from '../UpstreamLinks';
import { TimelineToolbar } from '../TimelineToolbar';
import { EmptyWindow } from './EmptyWindow';

const DEFAULT_RANGE_MS = PRESETS[2].ms; // 24 h
const DEFAULT_POLL_SECONDS = 15;

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    minWidth: 0,
  },
  body: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(280px, 2fr)',
    gap: theme.spacing(2),
    alignItems: 'start',
    [theme.breakpoints.down('sm')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    border: 0,
    whiteSpace: 'nowrap',
  },
  progress: { height: 4 },
  progressSpacer: { height: 4 },
  hint: { color: theme.palette.text.secondary },
}));

function entityName(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'component' });
  } catch {
    return ref;
  }
}

function isEditable(target: EventTarget): boolean {
  const el = target as HTMLElement;
  return (
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    el.isContentEditable
  );
}

export interface DashTimelineProps {
  /** The entities whose events are shown: one on an entity page, several on the DASH page. */
  entityRefs: string[];
}

/**
 * The DASH timeline: every source's events for one or more entities on one time axis, with the
 * window, filters and selection in the URL.
 *
 * @public
 */
export function DashTimeline(props: DashTimelineProps) {
  const { entityRefs } = props;
  const classes = useStyles();
  const api = useApi(dashApiRef);
  const alertApi = useApi(alertApiRef);
  const configApi = useApiHolder().get(configApiRef);
  const { state: url, update } = useTimelineUrlState();
  const [tz, setTz] = useTimeZonePreference();
  const listRef = useRef<EventListHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const defaultRangeMs =
    presetMs(configApi?.getOptionalString('dash.ui.defaultRange')) ??
    DEFAULT_RANGE_MS;
  const pollMs =
    Math.max(
      5,
      configApi?.getOptionalNumber('dash.ui.livePollSeconds') ??
        DEFAULT_POLL_SECONDS,
    ) * 1000;

  // The window: from the link, else the default ending when the view opened; live mode keeps
  // its length and slides it to now with every poll.
  const [openedAt] = useState(() => Date.now());
  const [linkWindowInvalid] = useState(url.invalidWindow);
  const clock = useLiveClock(url.live, pollMs);
  const baseFrom = url.from ?? openedAt - defaultRangeMs;
  const baseTo = url.to ?? openedAt;
  const to = url.live ? clock.now : baseTo;
  const from = url.live ? clock.now - (baseTo - baseFrom) : baseFrom;

  // Put the window in the link at once, so that a copied URL opens this very window.
  useEffect(() => {
    if (url.from === undefined) update({ from: baseFrom, to: baseTo });
    // Once, when the view opens without a window.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const timeline = useTimeline(
    { entityRefs, from, to, includeDependencies: url.deps, live: url.live },
    clock.tick,
  );
  const { data } = timeline;

  const primary = useMemo(
    () =>
      new Set(
        (data?.entityRefs ?? entityRefs).concat(entityRefs).map(normalizeRef),
      ),
    [data?.entityRefs, entityRefs],
  );
  const isDependency = useCallback(
    (e: DashEvent) => !primary.has(normalizeRef(e.entityRef)),
    [primary],
  );
  const multipleEntities = entityRefs.length > 1;
  const entityNote = useCallback(
    (e: DashEvent) => {
      if (isDependency(e))
        return { label: entityName(e.entityRef), dependency: true };
      if (multipleEntities)
        return { label: entityName(e.entityRef), dependency: false };
      return undefined;
    },
    [isDependency, multipleEntities],
  );

  const windowEvents = useMemo(
    () => (data ? data.events.filter(e => inWindow(e, from, to)) : []),
    [data, from, to],
  );
  const filtered = useMemo(
    () => filterEvents(windowEvents, url.filters),
    [windowEvents, url.filters],
  );
  const listEvents = useMemo(
    () =>
      filtered
        .map(e => ({ e, t: ms(e.startTime) }))
        .sort((a, b) => b.t - a.t)
        .map(({ e }) => e),
    [filtered],
  );
  const listedIds = useMemo(
    () => new Set(listEvents.map(e => e.id)),
    [listEvents],
  );
  const eventsById = useMemo(() => {
    const map = new Map<string, DashEvent>();
    for (const e of data?.relatedEvents ?? []) map.set(e.id, e);
    for (const e of data?.events ?? []) map.set(e.id, e);
    return map;
  }, [data]);

  const selected = url.event ? eventsById.get(url.event) : undefined;
  const correlation = selected
    ? data?.correlations.find(c => c.eventId === selected.id)
    : undefined;
  const candidates = useMemo(() => {
    const map = new Map<string, CandidateMark>();
    if (correlation?.verdict === 'ranked') {
      [...correlation.candidates]
        .sort((a, b) => b.score - a.score)
        .forEach((c, i) => map.set(c.eventId, { rank: i + 1, score: c.score }));
    }
    return map;
  }, [correlation]);
  const candidateRanks = useMemo(
    () => new Map([...candidates].map(([id, c]) => [id, c.rank])),
    [candidates],
  );
  const lookback = useMemo(
    () =>
      correlation
        ? { from: ms(correlation.lookbackFrom), to: ms(correlation.lookbackTo) }
        : undefined,
    [correlation],
  );

  const lanes = useMemo(() => {
    const states = data?.sources ?? [];
    return sourceOrder(states, windowEvents).map(id => {
      const own = states.filter(s => s.id === id);
      return {
        id,
        title: sourcePresentation(id, own[0]?.title).title,
        states: own,
      };
    });
  }, [data?.sources, windowEvents]);

  // Handlers: one URL update per action.
  const onWindow = useCallback(
    (a: number, b: number) =>
      update({ from: a, to: b, live: false }, { replace: false }),
    [update],
  );
  const onPreset = useCallback(
    (length: number) => {
      const now = Date.now();
      update({ from: now - length, to: now }, { replace: false });
    },
    [update],
  );
  const onLive = (on: boolean) =>
    on ? update({ live: true }) : update({ live: false, from, to });
  const onFilters = useCallback(
    (f: EventFilters) =>
      update({
        sources: f.sources,
        kinds: f.kinds,
        severities: f.severities,
        q: f.q,
      }),
    [update],
  );
  const clearFilters = () =>
    onFilters({ sources: [], kinds: [], severities: [], q: '' });
  const onSelect = useCallback(
    (id: string | undefined) => update({ event: id }),
    [update],
  );
  const onView = (v: TimelineView) =>
    update({ view: v === 'list' ? 'list' : undefined });

  // Export.
  const [exporting, setExporting] = useState(false);
  const exportQuery = (): DashTimelineQuery => ({
    entityRefs,
    from: new Date(from),
    to: new Date(to),
    includeDependencies: url.deps,
    sources: url.filters.sources.length ? url.filters.sources : undefined,
    kinds: url.filters.kinds.length
      ? (url.filters.kinds as DashTimelineQuery['kinds'])
      : undefined,
  });
  const runExport = async (deliver: (markdown: string) => Promise<string>) => {
    setExporting(true);
    try {
      const markdown = await api.exportMarkdown(exportQuery());
      const message = await deliver(markdown);
      alertApi.post({ message, severity: 'success', display: 'transient' });
    } catch (e) {
      alertApi.post({
        message: `Markdown export failed: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setExporting(false);
    }
  };
  const onCopyMarkdown = () =>
    runExport(async markdown => {
      if (!navigator.clipboard?.writeText) {
        throw new Error(
          'this page may not use the clipboard (it needs https); use Download instead',
        );
      }
      await navigator.clipboard.writeText(markdown);
      return 'Timeline copied to the clipboard as Markdown';
    });
  const onDownloadMarkdown = () =>
    runExport(async markdown => {
      const blob = new Blob([markdown], { type: 'text/markdown' });
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      const names = entityRefs.map(r => parseEntityRefSafe(r)).join('+');
      // Whole seconds, no colons: a name every file system takes.
      const stamp = new Date(from).toISOString().slice(0, 19).replace(/:/g, '');
      a.download = `dash-${names}-${stamp}Z.md`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(href);
      return `Downloaded ${a.download}`;
    });

  // Refresh, for those allowed to spend the upstreams' budget.
  const permission = usePermission({ permission: dashRefreshPermission });
  const [refreshing, setRefreshing] = useState(false);
  const onRefresh = async () => {
    setRefreshing(true);
    const results = await Promise.allSettled(
      entityRefs.map(ref => api.refresh(ref)),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') timeline.mergeSources(r.value.sources);
      else
        alertApi.post({
          message: `Refresh failed: ${(r.reason as Error).message}`,
          severity: 'error',
        });
    }
    setRefreshing(false);
    timeline.reload();
  };

  const onRootKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (isEditable(e.target)) return;
    if (e.key === 'Escape' && url.event) {
      onSelect(undefined);
      e.preventDefault();
    } else if (e.key === '/') {
      searchRef.current?.focus();
      e.preventDefault();
    }
  };

  const withDate = to - from > 24 * 3_600_000;
  const now = clock.now > openedAt ? clock.now : Date.now();
  const sourcesAsked = data?.sources ?? [];

  let body;
  if (timeline.error) {
    const error = timeline.error as Error & {
      statusCode?: number;
      cause?: Error;
    };
    // The backend's own words when it sent some (e.g. an entity that does not exist).
    const reason =
      error.name === 'ResponseError' ? error.cause?.message : error.message;
    // A 404 that no Backstage error handler wrote: nothing serves /api/dash.
    const routeMissing =
      error.statusCode === 404 && error.cause?.name !== 'NotFoundError';
    body = (
      <div>
        {routeMissing && (
          <Alert severity="warning" className={classes.hint}>
            The DASH backend did not answer at /api/dash: is
            @dash-suite/plugin-dash-backend installed in the backend?
          </Alert>
        )}
        <ResponseErrorPanel
          title={`Could not load the DASH timeline${
            reason ? `: ${reason}` : ''
          }`}
          error={timeline.error}
        />
        <Button
          variant="outlined"
          onClick={timeline.reload}
          style={{ marginTop: 8 }}
        >
          Try again
        </Button>
      </div>
    );
  } else if (!data) {
    body = <LinearProgress aria-label="Loading events" />;
  } else {
    body = (
      <>
        {timeline.loading ? (
          <LinearProgress className={classes.progress} aria-label="Updating" />
        ) : (
          <div className={classes.progressSpacer} />
        )}
        {data?.truncated && (
          <Alert severity="info">
            This window holds more events than one answer carries: showing the
            newest {data.events.length.toLocaleString('en-US')}. Narrow the
            window or filter by source to see the older ones.
          </Alert>
        )}
        {timeline.updateError && (
          <Alert severity="warning">
            Live update failed: {timeline.updateError.message}. Showing the
            answer from before; trying again in {pollMs / 1000} s.
          </Alert>
        )}
        <DensityHistogram
          events={filtered}
          from={from}
          to={to}
          tz={tz}
          lookback={lookback}
          selectedTime={selected ? ms(selected.startTime) : undefined}
          onZoom={onWindow}
        />
        {url.view === 'lanes' && lanes.length > 0 && (
          <SourceLanes
            sources={lanes}
            events={filtered}
            from={from}
            to={to}
            tz={tz}
            lookback={lookback}
            selectedId={selected?.id}
            selectedTime={selected ? ms(selected.startTime) : undefined}
            candidateRanks={candidateRanks}
            newIds={timeline.newIds}
            isDependency={isDependency}
            onSelect={onSelect}
            onZoom={onWindow}
          />
        )}
        <div className={classes.body}>
          {listEvents.length === 0 ? (
            <EmptyWindow
              from={from}
              to={to}
              tz={tz}
              states={sourcesAsked}
              entityRefs={entityRefs}
              hiddenByFilters={
                hasFilters(url.filters) ? windowEvents.length : 0
              }
              onClearFilters={clearFilters}
              now={now}
            />
          ) : (
            <EventList
              ref={listRef}
              events={listEvents}
              tz={tz}
              withDate={withDate}
              selectedId={selected?.id}
              candidates={candidates}
              newIds={timeline.newIds}
              entityNote={entityNote}
              onSelect={onSelect}
              label={`Events, newest first (${listEvents.length})`}
            />
          )}
          {selected ? (
            <EventDetails
              event={selected}
              correlation={correlation}
              eventsById={eventsById}
              listedIds={listedIds}
              tz={tz}
              isDependency={isDependency}
              includeDependencies={url.deps}
              onReveal={id => listRef.current?.reveal(id)}
              onClose={() => onSelect(undefined)}
            />
          ) : (
            <Alert severity={url.event ? 'warning' : 'info'}>
              {url.event
                ? `The linked event (${url.event}) is not in this window.`
                : 'Select an event for its details; select an incident or alert to see its likely causes. Keys: ↑/↓ or j/k move, Enter selects, Esc clears, / searches.'}
            </Alert>
          )}
        </div>
      </>
    );
  }

  return (
    // Escape and "/" work anywhere in the timeline; the list handles its own keys.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div className={classes.root} onKeyDown={onRootKeyDown}>
      <TimelineToolbar
        from={from}
        to={to}
        tz={tz}
        onWindow={onWindow}
        onPreset={onPreset}
        live={url.live}
        onLive={onLive}
        includeDependencies={url.deps}
        onIncludeDependencies={v => update({ deps: v })}
        onTimeZone={setTz}
        view={url.view}
        onView={onView}
        exporting={exporting}
        onCopyMarkdown={onCopyMarkdown}
        onDownloadMarkdown={onDownloadMarkdown}
        actions={
          entityRefs.length === 1 ? (
            <UpstreamLinks entityRef={entityRefs[0]} from={from} to={to} />
          ) : undefined
        }
      />
      <SourceStatusBar
        states={sourcesAsked}
        multipleEntities={multipleEntities || url.deps}
        now={now}
        tz={tz}
        lastUpdated={data?.generatedAt}
        action={
          <RefreshButton
            allowed={permission.loading ? undefined : permission.allowed}
            running={refreshing}
            onRefresh={onRefresh}
          />
        }
      />
      {linkWindowInvalid && (
        <Alert severity="warning">
          The link’s time window could not be read; showing the default window
          instead.
        </Alert>
      )}
      {data && (
        <FilterBar
          ref={searchRef}
          events={windowEvents}
          sources={lanes}
          filters={url.filters}
          onChange={onFilters}
        />
      )}
      <div className={classes.visuallyHidden} aria-live="polite" role="status">
        {timeline.announcement}
      </div>
      {body}
    </div>
  );
}

function parseEntityRefSafe(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return 'timeline';
  }
}
