import { Content, Header, Page } from '@backstage/core-components';
import { Typography, makeStyles } from '@material-ui/core';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { TIMELINE_PARAMS } from '../../hooks/useTimelineUrlState';
import { normalizeRef } from '../../lib/events';
import { DashTimeline } from '../DashTimeline';
import { ServicePicker } from '../ServicePicker';

/** Query parameter holding the picked services, once per service. */
export const ENTITY_PARAM = 'entity';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
}));

/** The DASH page's content: pick services, see one merged timeline. */
export function DashPageContent() {
  const classes = useStyles();
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = useMemo(() => {
    const seen = new Set<string>();
    return searchParams.getAll(ENTITY_PARAM).filter(ref => {
      const key = normalizeRef(ref);
      if (!ref || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }, [searchParams]);
  const onChange = useCallback(
    (refs: string[]) =>
      setSearchParams(
        prev => {
          const next = new URLSearchParams(prev);
          next.delete(ENTITY_PARAM);
          const seen = new Set<string>();
          for (const ref of refs) {
            if (seen.has(normalizeRef(ref))) continue;
            seen.add(normalizeRef(ref));
            next.append(ENTITY_PARAM, ref);
          }
          // Another set of services: the selected event belongs to the old one.
          next.delete(TIMELINE_PARAMS.event);
          return next;
        },
        { replace: false },
      ),
    [setSearchParams],
  );

  return (
    <div className={classes.root}>
      <ServicePicker selected={selected} onChange={onChange} />
      {selected.length ? (
        <DashTimeline entityRefs={selected} />
      ) : (
        <Typography variant="body1" color="textSecondary">
          Pick one or more services above to see their events on one timeline.
        </Typography>
      )}
    </div>
  );
}

/**
 * The DASH page for the legacy frontend system, with its own header.
 *
 * @public
 */
export function DashPage() {
  return (
    <Page themeId="tool">
      <Header
        title="DASH"
        subtitle="What happened, in what order, across your services"
      />
      <Content>
        <DashPageContent />
      </Content>
    </Page>
  );
}
