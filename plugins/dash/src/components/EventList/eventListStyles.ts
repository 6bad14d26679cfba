import { makeStyles } from '@material-ui/core';

/** Every row has this height, so that scrolling needs no measuring. */
export const EVENT_ROW_HEIGHT = 58;
/** One style sheet for the list and its rows (`focusedList` styles the `active` row). */
export const useEventListStyles = makeStyles(theme => ({
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
  onsetBadge: {
    fontWeight: 700,
    background: theme.palette.type === 'dark' ? '#ef9a9a' : '#b71c1c',
    color: theme.palette.type === 'dark' ? '#000' : '#fff',
    border: 0,
  },
  newBadge: {
    fontWeight: 700,
    background: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
    border: 0,
  },
}));
