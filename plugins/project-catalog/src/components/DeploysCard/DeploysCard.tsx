import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, InfoCardVariants, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_GITHUB_PROJECT_SLUG,
  DashEvent,
  safeLink,
} from '@dash-suite/plugin-dash-common';
import { Typography, makeStyles } from '@material-ui/core';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  CardEmpty,
  CardError,
  CardLoading,
  NoDashApi,
  SourceNotes,
  formatFullTime,
  formatRelative,
  useDashApi,
} from '../cardStates';
import {
  DEPLOYS_PER_ENVIRONMENT,
  commitOf,
  githubCompareUrl,
  groupByEnvironment,
  isFailed,
  statusWords,
  versionOf,
} from './deploys';

const DAY = 24 * 3_600_000;

const useStyles = makeStyles(theme => ({
  environment: { marginTop: theme.spacing(1.5) },
  latest: { fontWeight: 500 },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 0),
  },
  earlier: {
    listStyle: 'none',
    margin: 0,
    paddingLeft: theme.spacing(2),
    color: theme.palette.text.secondary,
  },
  status: { fontWeight: 500 },
  failed: { color: theme.palette.error.main, fontWeight: 500 },
  commit: { fontFamily: 'monospace' },
}));

interface DeployRowProps {
  deploy: DashEvent;
  previous?: DashEvent;
  slug?: string;
  now: number;
  latest?: boolean;
}

function DeployRow({ deploy, previous, slug, now, latest }: DeployRowProps) {
  const classes = useStyles();
  const link = safeLink(deploy.url);
  const commit = commitOf(deploy);
  const compare = previous
    ? githubCompareUrl(slug, previous, deploy)
    : undefined;
  const version = versionOf(deploy);
  return (
    <div className={`${classes.row} ${latest ? classes.latest : ''}`}>
      <span className={isFailed(deploy) ? classes.failed : classes.status}>
        {statusWords(deploy)}
      </span>
      <span>{link ? <Link to={link}>{version}</Link> : version}</span>
      {deploy.attributes.rollback === true && <span>(rollback)</span>}
      {commit && <span className={classes.commit}>{commit}</span>}
      {deploy.actor?.name && <span>by {deploy.actor.name}</span>}
      <span title={formatFullTime(deploy.startTime)}>
        {formatRelative(deploy.startTime, now)}
      </span>
      {compare && previous && (
        <Link to={compare}>compare with {versionOf(previous)}</Link>
      )}
    </div>
  );
}

function DeploysContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useDashApi();
  const ref = stringifyEntityRef(entity);
  const slug = entity.metadata.annotations?.[ANNOTATION_GITHUB_PROJECT_SLUG];
  const state = useAsyncRetry(
    async () => (api ? api.getDeploys({ entityRef: ref }) : undefined),
    [api, ref],
  );
  if (!api) return <NoDashApi />;
  if (state.loading && !state.value) return <CardLoading what="deploys" />;
  if (state.error) {
    return (
      <CardError
        title="Could not load deploys"
        error={state.error}
        onRetry={state.retry}
      />
    );
  }
  const data = state.value;
  if (!data) return null;
  const now = Date.now();
  // The window is the backend's choice (its default); say which one it answered for.
  const days = Math.max(
    1,
    Math.round((Date.parse(data.to) - Date.parse(data.from)) / DAY),
  );
  const groups = groupByEnvironment(data.deploys);
  return (
    <>
      <SourceNotes sources={data.sources} now={now} />
      {!groups.length && (
        <CardEmpty
          hint={`Deploys come from GitHub deployments (${ANNOTATION_GITHUB_PROJECT_SLUG}) and from change events posted to the DASH backend.`}
        >
          No deploys in the last {days} {days === 1 ? 'day' : 'days'}.
        </CardEmpty>
      )}
      {groups.map(({ environment, deploys }) => (
        <section
          key={environment}
          className={classes.environment}
          aria-label={`Deploys to ${environment}`}
        >
          <Typography variant="subtitle2">{environment}</Typography>
          <DeployRow
            deploy={deploys[0]}
            previous={deploys[1]}
            slug={slug}
            now={now}
            latest
          />
          {deploys.length > 1 && (
            <ul className={classes.earlier} aria-label="Earlier deploys">
              {deploys.slice(1, DEPLOYS_PER_ENVIRONMENT).map((d, i) => (
                <li key={d.id}>
                  <DeployRow
                    deploy={d}
                    previous={deploys[i + 2]}
                    slug={slug}
                    now={now}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

/** @public */
export interface DeploysCardProps {
  variant?: InfoCardVariants;
}

/**
 * The latest deploy per environment (status, version, commit, author, age), the few before it,
 * and GitHub compare links between consecutive deploys; from the DASH backend's `GET /deploys`.
 *
 * @public
 */
export function DeploysCard(props: DeploysCardProps) {
  return (
    <InfoCard title="Deploys" variant={props.variant}>
      <DeploysContent />
    </InfoCard>
  );
}
