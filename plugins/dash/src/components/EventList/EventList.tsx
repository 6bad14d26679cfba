import type { DashEvent } from '@dash-suite/plugin-dash-common';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  KeyboardEvent,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import { TimeZoneChoice } from '../../lib/time';
import { CandidateMark, EventRow } from './EventRow';
import {
  EVENT_ROW_HEIGHT,
  useEventListStyles as useStyles,
} from './eventListStyles';

export type { CandidateMark } from './EventRow';
export { EVENT_ROW_HEIGHT } from './eventListStyles';

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

export interface EventListProps {
  /** In display order (newest first). */
  events: DashEvent[];
  tz: TimeZoneChoice;
  /** Show dates in the time column (windows longer than a day). */
  withDate: boolean;
  selectedId?: string;
  candidates: ReadonlyMap<string, CandidateMark>;
  /** The signal where the selected problem began, when that came before its page or alert. */
  onsetId?: string;
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

/**
 * All events in one list, virtualized: only the rows in view (plus a few) are in the DOM, so
 * ten thousand events scroll smoothly. A listbox: arrow keys or j/k move, Home/End jump, Enter
 * selects, Escape clears the selection.
 */
export const EventList = forwardRef<EventListHandle, EventListProps>(
  function EventListView(props, ref) {
    const { events, tz, withDate, selectedId, candidates, newIds } = props;
    const { entityNote, onSelect, label, onsetId } = props;
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
                onset={e.id === onsetId}
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
