import type { DashEvent } from '@dash-suite/plugin-dash-common';
import { Typography, makeStyles } from '@material-ui/core';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  KeyboardEvent,
  memo,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  kindLabel,
  severityPresentation,
  sourcePresentation,
} from '../../lib/presentation';
import { TimeZoneChoice, formatEventTime } from '../../lib/time';

/** Every row has this height, so that scrolling needs no measuring. */
export const EVENT_ROW_HEIGHT = 58;
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

const useStyles = makeStyles(theme => ({
  scroller: {
    height: 'min(560px, max(320px, calc(100vh - 460px)))',
    overflowY: 'auto',
    position: 'relative',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    '&:focus': { outline: 'none' },
    '&:focus-visible': {
      outline: `3px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    top: 0,
    height: EVENT_ROW_HEIGHT,
    display: 'grid',
    gridTemplateColumns: '84px 96px 1fr',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    borderLeft: '4px solid transparent',
    cursor: 'pointer',
    '&:hover': { background: theme.palette.action.hover },
  },
  selected: {
    background: theme.palette.action.selected,
    borderLeftColor: theme.palette.primary.main,
  },
  active: {},
  focusedList: {
    '& $active': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  candidate: {
    borderLeftColor: theme.palette.type === 'dark' ? '#ffd54f' : '#f9a825',
    background:
      theme.palette.type === 'dark'
        ? 'rgba(255,213,79,0.10)'
        : 'rgba(249,168,37,0.12)',
  },
  fresh: {
    animation: '$arrive 10s ease-out',
  },
  '@keyframes arrive': {
    '0%': { backgroundColor: 'rgba(25,118,210,0.35)' },
    '100%': { backgroundColor: 'transparent' },
  },
  time: {
    fontVariantNumeric: 'tabular-nums',
    color: theme.palette.text.secondary,
    fontSize: 13,
  },
  severity: {
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    fontSize: 13,
    fontWeight: 600,
  },
  main: { minWidth: 0 },
  title: {
    fontWeight: 500,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  meta: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    color: theme.palette.text.secondary,
    fontSize: 12,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  },
  source: { display: 'inline-flex', alignItems: 'center', gap: 3 },
  badge: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 3,
    padding: '0 6px',
    borderRadius: 8,
    border: `1px solid ${theme.palette.divider}`,
    color: theme.palette.text.primary,
  },
  causeBadge: {
    fontWeight: 700,
    background: theme.palette.type === 'dark' ? '#ffd54f' : '#f9a825',
    color: '#000',
    border: 0,
  },
  newBadge: {
    fontWeight: 700,
    background: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
    border: 0,
  },
}));

export interface CandidateMark {
  rank: number;
  score: number;
}

export interface EventListProps {
  /** In display order (newest first). */
  events: DashEvent[];
  tz: TimeZoneChoice;
  /** Show dates in the time column (windows longer than a day). */
  withDate: boolean;
  selectedId?: string;
  candidates: ReadonlyMap<string, CandidateMark>;
  newIds: ReadonlySet<string>;
  /** Label of the event's entity when it should be named (dependency or several services). */
  entityNote(e: DashEvent): { label: string; dependency: boolean } | undefined;
  onSelect(id: string | undefined): void;
  label: string;
}

export interface EventListHandle {
  /** Scrolls to an event and makes it the keyboard cursor. */
  reveal(id: string): void;
  focus(): void;
}

interface RowProps {
  e: DashEvent;
  index: number;
  setSize: number;
  domId: string;
  start: number;
  tz: TimeZoneChoice;
  withDate: boolean;
  selected: boolean;
  active: boolean;
  candidate?: CandidateMark;
  fresh: boolean;
  note?: { label: string; dependency: boolean };
  onClick(index: number): void;
}

const EventRow = memo(function EventRowView(props: RowProps) {
  const { e, index, setSize, domId, start, tz, withDate, selected, active } =
    props;
  const { candidate, fresh, note, onClick } = props;
  const classes = useStyles();
  const sev = severityPresentation(e.severity);
  const SevIcon = sev.Icon;
  const src = sourcePresentation(e.source);
  const SrcIcon = src.Icon;
  const cls = [
    classes.row,
    selected ? classes.selected : '',
    active ? classes.active : '',
    candidate ? classes.candidate : '',
    fresh ? classes.fresh : '',
  ].join(' ');
  return (
    // Keys are handled by the listbox (aria-activedescendant): options take no focus themselves.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
    <div
      role="option"
      tabIndex={-1}
      id={domId}
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={cls}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onClick(index)}
      data-event-id={e.id}
      data-index={index}
    >
      <span className={classes.time}>
        {formatEventTime(e.startTime, tz, withDate)}
      </span>
      <span className={classes.severity}>
        <SevIcon fontSize="small" style={{ color: sev.color }} aria-hidden />
        {sev.label}
      </span>
      <span className={classes.main}>
        <Typography
          variant="body2"
          component="span"
          display="block"
          className={classes.title}
        >
          {e.title}
        </Typography>
        <span className={classes.meta}>
          <span className={classes.source}>
            <SrcIcon
              fontSize="inherit"
              style={{ color: src.color }}
              aria-hidden
            />
            {src.title}
          </span>
          <span>{kindLabel(e.kind)}</span>
          {e.status && <span>{e.status}</span>}
          {e.actor?.name && <span>by {e.actor.name}</span>}
          {note && (
            <span className={classes.badge}>
              {note.dependency && (
                <AccountTreeIcon fontSize="inherit" aria-hidden />
              )}
              {note.dependency ? `dependency: ${note.label}` : note.label}
            </span>
          )}
          {candidate && (
            <span className={`${classes.badge} ${classes.causeBadge}`}>
              Likely cause #{candidate.rank} ·{' '}
              {Math.round(candidate.score * 100)}%
            </span>
          )}
          {fresh && (
            <span className={`${classes.badge} ${classes.newBadge}`}>New</span>
          )}
        </span>
      </span>
    </div>
  );
});

/**
 * All events in one list, virtualized: only the rows in view (plus a few) are in the DOM, so
 * ten thousand events scroll smoothly. A listbox: arrow keys or j/k move, Home/End jump, Enter
 * selects, Escape clears the selection.
 */
export const EventList = forwardRef<EventListHandle, EventListProps>(
  function EventListView(props, ref) {
    const { events, tz, withDate, selectedId, candidates, newIds } = props;
    const { entityNote, onSelect, label } = props;
    const classes = useStyles();
    const idPrefix = useId();
    const scrollerRef = useRef<HTMLDivElement>(null);
    // The keyboard cursor follows an event, not a row number, so that events arriving in live
    // mode do not move it to another event.
    const [activeId, setActiveId] = useState<string>();
    const [focused, setFocused] = useState(false);

    const virtualizer = useVirtualizer({
      count: events.length,
      getScrollElement: () => scrollerRef.current,
      estimateSize: () => EVENT_ROW_HEIGHT,
      overscan: OVERSCAN,
      getItemKey: i => events[i]?.id ?? i,
    });

    const indexById = useMemo(
      () => new Map(events.map((e, i) => [e.id, i])),
      [events],
    );
    const selectedIndex = selectedId ? indexById.get(selectedId) ?? -1 : -1;
    // -1 when there is no cursor, or its event left the list (filtered out, out of the window).
    const safeActive = activeId ? indexById.get(activeId) ?? -1 : -1;
    const setActive = (index: number) => setActiveId(events[index]?.id);

    const move = (index: number) => {
      if (!events.length) return;
      const next = Math.max(0, Math.min(events.length - 1, index));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    };

    useImperativeHandle(ref, () => ({
      reveal(id: string) {
        const i = indexById.get(id) ?? -1;
        if (i >= 0) {
          setActive(i);
          virtualizer.scrollToIndex(i, { align: 'center' });
        }
      },
      focus() {
        scrollerRef.current?.focus();
      },
    }));

    // A selection made elsewhere (a lane marker, a link) scrolls into view.
    useEffect(() => {
      if (selectedIndex >= 0) {
        setActive(selectedIndex);
        virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
      }
      // Only when the selection changes, not on every new answer.
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [selectedId]);

    const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
      const page = Math.max(
        1,
        Math.floor((scrollerRef.current?.clientHeight ?? 0) / EVENT_ROW_HEIGHT),
      );
      switch (e.key) {
        case 'ArrowDown':
        case 'j':
          move(safeActive + 1);
          break;
        case 'ArrowUp':
        case 'k':
          move(safeActive < 0 ? 0 : safeActive - 1);
          break;
        case 'PageDown':
          move(safeActive + page);
          break;
        case 'PageUp':
          move(safeActive - page);
          break;
        case 'Home':
          move(0);
          break;
        case 'End':
          move(events.length - 1);
          break;
        case 'Enter':
        case ' ':
          if (safeActive >= 0 && events[safeActive]) {
            onSelect(events[safeActive].id);
          }
          break;
        case 'Escape':
          onSelect(undefined);
          break;
        default:
          return;
      }
      e.preventDefault();
      e.stopPropagation();
    };

    const activeDomId =
      safeActive >= 0 && events[safeActive]
        ? `${idPrefix}-${safeActive}`
        : undefined;
    const items = virtualizer.getVirtualItems();
    return (
      <div
        ref={scrollerRef}
        className={`${classes.scroller} ${focused ? classes.focusedList : ''}`}
        role="listbox"
        aria-label={label}
        aria-activedescendant={activeDomId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => {
          setFocused(true);
          if (safeActive < 0 && events.length) {
            setActive(selectedIndex >= 0 ? selectedIndex : 0);
          }
        }}
        onBlur={() => setFocused(false)}
        data-dash-scroller
      >
        <div
          style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        >
          {items.map(item => {
            const e = events[item.index];
            if (!e) return null;
            return (
              <EventRow
                key={item.key}
                e={e}
                index={item.index}
                setSize={events.length}
                domId={`${idPrefix}-${item.index}`}
                start={item.start}
                tz={tz}
                withDate={withDate}
                selected={e.id === selectedId}
                active={item.index === safeActive}
                candidate={candidates.get(e.id)}
                fresh={newIds.has(e.id)}
                note={entityNote(e)}
                onClick={index => {
                  setActive(index);
                  onSelect(events[index].id);
                }}
              />
            );
          })}
        </div>
      </div>
    );
  },
);
