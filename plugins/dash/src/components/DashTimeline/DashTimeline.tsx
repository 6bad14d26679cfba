import { DAY_MS, DashTimelineQuery } from '@dash-suite/plugin-dash-common';
import { LinearProgress, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useMaxWindowDays } from '../../hooks/useMaxWindowDays';
import { useTimeline } from '../../hooks/useTimeline';
import { useTimeZonePreference } from '../../hooks/useTimeZonePreference';
import {
  TimelineView,
  useTimelineUrlState,
} from '../../hooks/useTimelineUrlState';
import { EventFilters, hasFilters, ms } from '../../lib/events';
import { DensityHistogram } from '../DensityHistogram';
import { EventDetails } from '../EventDetails';
import { EventList, EventListHandle } from '../EventList';
import { FilterBar } from '../FilterBar';
import { SourceLanes } from '../SourceLanes';
import { RefreshButton, SourceStatusBar } from '../SourceStatusBar';
import { UpstreamLinks } from '../UpstreamLinks';
import { TimelineToolbar } from '../TimelineToolbar';
import { EmptyWindow } from './EmptyWindow';
import { TimelineError } from './TimelineError';
import { useCorrelationMarks } from './useCorrelationMarks';
import { useMarkdownExport } from './useMarkdownExport';
import { useRefreshAll } from './useRefreshAll';
import { useTimelineEvents } from './useTimelineEvents';
import { useTimelineKeys } from './useTimelineKeys';
import { useTimelineWindow } from './useTimelineWindow';

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
}));

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
  const { state: url, update } = useTimelineUrlState();
  const [tz, setTz] = useTimeZonePreference();
  const listRef = useRef<EventListHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Live mode listens for signals of the entities shown, dependencies included when shown.
  const [dependencyRefs, setDependencyRefs] = useState('');
  const watchedRefs = [
    ...entityRefs,
    ...(url.deps && dependencyRefs ? dependencyRefs.split('\n') : []),
  ];
  const { from, to, openedAt, clock, pollMs, linkWindowInvalid, ...live } =
    useTimelineWindow(url, update, watchedRefs);
  const maxWindowDays = useMaxWindowDays();

  const timeline = useTimeline(
    {
      entityRefs,
      from,
      to,
      includeDependencies: url.deps,
      liveFreshness: url.live,
      push: live.push,
    },
    clock.tick,
  );
  const { data } = timeline;
  const answeredDependencies = data?.dependencyRefs?.join('\n') ?? '';
  useEffect(
    () => setDependencyRefs(answeredDependencies),
    [answeredDependencies],
  );

  const shown = useTimelineEvents({
    data,
    entityRefs,
    from,
    to,
    filters: url.filters,
  });
  const { isDependency, entityNote, multipleEntities, lanes } = shown;
  const { windowEvents, filtered, listEvents, listedIds, eventsById } = shown;

  const selected = url.event ? eventsById.get(url.event) : undefined;
  const { correlation, candidates, candidateRanks, lookback, onset } =
    useCorrelationMarks(data, selected, eventsById);

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
  const onLiveMode = (on: boolean) =>
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

  const { exporting, onCopyMarkdown, onDownloadMarkdown } = useMarkdownExport({
    entityRefs,
    from: new Date(from),
    to: new Date(to),
    includeDependencies: url.deps,
    sources: url.filters.sources.length ? url.filters.sources : undefined,
    kinds: url.filters.kinds.length
      ? (url.filters.kinds as DashTimelineQuery['kinds'])
      : undefined,
  });
  const refreshAll = useRefreshAll(entityRefs, timeline);
  const onRootKeyDown = useTimelineKeys({
    selectedEvent: url.event,
    onSelect,
    searchRef,
  });

  const withDate = to - from > DAY_MS;
  const now = clock.now > openedAt ? clock.now : Date.now();
  const sourcesAsked = data?.sources ?? [];

  let body;
  if (timeline.error) {
    body = <TimelineError error={timeline.error} onRetry={timeline.reload} />;
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
          onset={onset}
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
            onset={onset}
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
              onsetId={onset?.signalId}
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
              onSelect={onSelect}
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
        maxWindowDays={maxWindowDays}
        liveMode={url.live}
        liveNote={liveNote(live.push, live.pushConfirmed, pollMs)}
        onLiveMode={onLiveMode}
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
            allowed={refreshAll.allowed}
            running={refreshAll.refreshing}
            onRefresh={refreshAll.onRefresh}
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

/** How live mode gets its news, for the on-call engineer. */
function liveNote(push: boolean, confirmed: boolean, pollMs: number): string {
  const every = `every ${Math.round(pollMs / 1000)} s`;
  if (!push) return `polling ${every}`;
  if (confirmed) return `push (safety poll ${every})`;
  return `push pending, polling ${every}`;
}
