import { KeyboardEvent, RefObject } from 'react';

function isEditable(target: EventTarget): boolean {
  const el = target as HTMLElement;
  return (
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    el.isContentEditable
  );
}

/**
 * Keys that work anywhere in the timeline (the list handles its own): Escape clears the
 * selection, "/" goes to the search field. Not while typing in a field.
 */
export function useTimelineKeys(options: {
  selectedEvent?: string;
  onSelect(id: string | undefined): void;
  searchRef: RefObject<HTMLInputElement>;
}) {
  const { selectedEvent, onSelect, searchRef } = options;
  return (e: KeyboardEvent<HTMLDivElement>) => {
    if (isEditable(e.target)) return;
    if (e.key === 'Escape' && selectedEvent) {
      onSelect(undefined);
      e.preventDefault();
    } else if (e.key === '/') {
      searchRef.current?.focus();
      e.preventDefault();
    }
  };
}
