import { makeStyles } from '@material-ui/core';

const causeColor = (dark: boolean) => (dark ? '#ffd54f' : '#f9a825');
const onsetColor = (dark: boolean) => (dark ? '#ef9a9a' : '#c62828');

/** The likely causes panel: the onset, the ranked suspects and what changed after the onset. */
export const useLikelyCausesStyles = makeStyles(theme => ({
  causes: { margin: 0, paddingLeft: theme.spacing(3) },
  cause: {
    marginBottom: theme.spacing(1.5),
    padding: theme.spacing(1),
    borderLeft: `4px solid ${causeColor(theme.palette.type === 'dark')}`,
    background: theme.palette.background.default,
  },
  causeHead: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  score: { flex: '0 0 90px' },
  reasons: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(2.5) },
  onset: {
    marginBottom: theme.spacing(1.5),
    padding: theme.spacing(1),
    borderLeft: `4px solid ${onsetColor(theme.palette.type === 'dark')}`,
    background: theme.palette.background.default,
  },
  afterOnset: { marginTop: theme.spacing(2) },
  afterOnsetList: { margin: 0, paddingLeft: 0, listStyle: 'none' },
  afterOnsetItem: {
    marginBottom: theme.spacing(1),
    padding: theme.spacing(1),
    // Dashed and grey: these are shown beside the suspects, never as one of them.
    borderLeft: `4px dashed ${theme.palette.divider}`,
  },
  shipped: {
    margin: theme.spacing(0.5, 0, 0.5, 1),
    paddingLeft: theme.spacing(2),
  },
  shippedRef: {
    fontFamily: 'monospace',
    marginRight: theme.spacing(0.75),
    color: theme.palette.text.secondary,
  },
}));
