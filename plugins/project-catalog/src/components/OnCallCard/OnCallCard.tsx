import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, InfoCardVariants, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  DashOnCallEntry,
  safeLink,
} from '@dash-suite/plugin-dash-common';
import { projectCatalogOnCallPagePermission } from '@dash-suite/plugin-project-catalog-common';
import {
  Button,
  List,
  ListItem,
  ListItemText,
  Typography,
  makeStyles,
} from '@material-ui/core';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  CardEmpty,
  CardError,
  CardLoading,
  NoDashApi,
  SourceNotes,
  formatFullTime,
  formatRelative,
  formatTime,
  hasData,
  useDashApi,
} from '../cardStates';
import { PageOnCallDialog } from './PageOnCallDialog';

/** The annotation of the Backstage PagerDuty plugin with an Events API v2 key. */
const ANNOTATION_INTEGRATION_KEY = 'pagerduty.com/integration-key';

const useStyles = makeStyles(theme => ({
  level: { marginTop: theme.spacing(1) },
  handoff: { marginTop: theme.spacing(1) },
  page: {
    marginTop: theme.spacing(2),
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

/** Plain addresses only: the value becomes a `mailto:` link. */
const EMAIL =
  /^[^\s@<>()[\]"',;:\\/?#]+@[^\s@<>()[\]"',;:\\/?#]+\.[^\s@<>()[\]"',;:\\/?#]+$/;

/** The hand-off that comes first: the earliest end of a shift that has not ended. */
export function nextHandoff(
  entries: DashOnCallEntry[],
  now: number,
): DashOnCallEntry | undefined {
  return entries
    .filter(e => e.end && Date.parse(e.end) > now)
    .sort((a, b) => Date.parse(a.end!) - Date.parse(b.end!))[0];
}

function Person({ entry, now }: { entry: DashOnCallEntry; now: number }) {
  const { user } = entry;
  const profile = safeLink(user.url);
  const schedule = safeLink(entry.url);
  const email = user.email && EMAIL.test(user.email) ? user.email : undefined;
  return (
    <ListItem disableGutters dense>
      <ListItemText
        primary={profile ? <Link to={profile}>{user.name}</Link> : user.name}
        secondary={
          <>
            <span>
              {entry.schedule &&
                (schedule ? (
                  <Link to={schedule}>{entry.schedule}</Link>
                ) : (
                  entry.schedule
                ))}
              {entry.schedule && ' · '}
              {entry.end ? (
                <span title={formatFullTime(entry.end)}>
                  until {formatTime(entry.end)} (
                  {formatRelative(entry.end, now)})
                </span>
              ) : (
                'no end (permanent)'
              )}
            </span>
            {email && (
              <>
                <br />
                <Link to={`mailto:${email}`}>{email}</Link>
              </>
            )}
          </>
        }
      />
    </ListItem>
  );
}

function OnCallContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useDashApi();
  const ref = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    async () => (api ? api.getOnCall(ref) : undefined),
    [api, ref],
  );
  if (!api) return <NoDashApi />;
  if (state.loading && !state.value) return <CardLoading what="on-call" />;
  if (state.error) {
    return (
      <CardError
        title="Could not load who is on call"
        error={state.error}
        onRetry={state.retry}
      />
    );
  }
  const data = state.value;
  if (!data) return null;
  const now = Date.now();
  const notes = <SourceNotes sources={data.sources} now={now} />;
  if (!data.sources.length) {
    return (
      <CardEmpty
        hint={`Add the ${ANNOTATION_PAGERDUTY_SERVICE_ID} annotation to show who is on call.`}
      >
        No on-call source applies to this entity.
      </CardEmpty>
    );
  }
  if (!data.onCall.length) {
    return (
      <>
        {notes}
        <CardEmpty>
          {data.sources.some(hasData)
            ? 'Nobody is on call right now.'
            : 'No on-call data: no source could answer.'}
        </CardEmpty>
      </>
    );
  }
  const levels = [...new Set(data.onCall.map(e => e.escalationLevel))].sort(
    (a, b) => a - b,
  );
  const handoff = nextHandoff(data.onCall, now);
  return (
    <>
      {notes}
      {levels.map(level => (
        <section
          key={level}
          className={classes.level}
          aria-label={`Escalation level ${level}`}
        >
          <Typography variant="overline">Level {level}</Typography>
          <List disablePadding>
            {data.onCall
              .filter(e => e.escalationLevel === level)
              .map(e => (
                <Person
                  key={`${e.source}:${e.user.name}:${e.schedule ?? ''}`}
                  entry={e}
                  now={now}
                />
              ))}
          </List>
        </section>
      ))}
      {handoff && (
        <Typography variant="body2" className={classes.handoff}>
          Next hand-off: {formatTime(handoff.end!)} (
          {formatRelative(handoff.end!, now)}), when the level{' '}
          {handoff.escalationLevel} shift of {handoff.user.name}
          {handoff.schedule ? ` (${handoff.schedule})` : ''} ends.
        </Typography>
      )}
    </>
  );
}

/**
 * "Page on-call" for entities that name a PagerDuty service, when the user may
 * (`project-catalog.oncall.page` on the entity); the page itself goes through the backend.
 */
function PageOnCall() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const pageable = Boolean(
    annotations[ANNOTATION_PAGERDUTY_SERVICE_ID] ||
      annotations[ANNOTATION_INTEGRATION_KEY],
  );
  return pageable ? (
    <PageOnCallButton entityRef={stringifyEntityRef(entity)} />
  ) : null;
}

function PageOnCallButton({ entityRef: ref }: { entityRef: string }) {
  const classes = useStyles();
  const permission = usePermission({
    permission: projectCatalogOnCallPagePermission,
    resourceRef: ref,
  });
  const [open, setOpen] = useState(false);
  return (
    <div className={classes.page}>
      <Button
        variant="outlined"
        color="secondary"
        size="small"
        startIcon={<NotificationsActiveIcon />}
        disabled={permission.loading || !permission.allowed}
        onClick={() => setOpen(true)}
      >
        Page on-call
      </Button>
      {!permission.loading && !permission.allowed && (
        <Typography variant="caption" color="textSecondary">
          You may not page this service's on-call (permission
          project-catalog.oncall.page).
        </Typography>
      )}
      {open && (
        <PageOnCallDialog
          entityRef={ref}
          open={open}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}

/** @public */
export interface OnCallCardProps {
  variant?: InfoCardVariants;
}

/**
 * Who is on call for the entity now, per escalation level, until when and how to reach them,
 * and the next hand-off; from the DASH backend's `GET /oncall`.
 *
 * @public
 */
export function OnCallCard(props: OnCallCardProps) {
  return (
    <InfoCard title="On call" variant={props.variant}>
      <OnCallContent />
      <PageOnCall />
    </InfoCard>
  );
}
