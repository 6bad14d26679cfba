import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import type { DashSearchDocumentFields } from '@dash-suite/plugin-dash-common';
import {
  Box,
  Chip,
  ListItemIcon,
  ListItemText,
  makeStyles,
} from '@material-ui/core';
import { useTimeZonePreference } from '../../hooks/useTimeZonePreference';
import { kindLabel, sourcePresentation } from '../../lib/presentation';
import { formatFullTime } from '../../lib/time';

const useStyles = makeStyles(theme => ({
  item: { display: 'flex', width: '100%' },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
}));

export interface DashSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
}

function entityName(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'component' });
  } catch {
    return ref;
  }
}

/**
 * A DASH event in Backstage search results (document type `dash`): the source's icon, the
 * title linking to the entity's DASH tab with the event selected, and the kind, entity,
 * version, environment and time.
 */
export function DashSearchResultListItem(props: DashSearchResultListItemProps) {
  const { result, highlight } = props;
  const classes = useStyles();
  const [tz] = useTimeZonePreference();
  if (!result) return null;
  const doc = result as SearchDocument & Partial<DashSearchDocumentFields>;
  const source = sourcePresentation(doc.source ?? '');
  const SourceIcon = source.Icon;
  const facts = [
    doc.kind && { label: kindLabel(doc.kind), title: 'Kind' },
    doc.entityRef && { label: entityName(doc.entityRef), title: 'Entity' },
    doc.version && { label: doc.version, title: 'Version' },
    doc.environment && { label: doc.environment, title: 'Environment' },
    doc.startTime && {
      label: formatFullTime(doc.startTime, tz),
      title: 'Time',
    },
    { label: source.title, title: 'Source' },
  ].filter((f): f is { label: string; title: string } => Boolean(f));
  return (
    <div className={classes.item}>
      <ListItemIcon>
        <SourceIcon
          style={{ color: source.color }}
          titleAccess={source.title}
        />
      </ListItemIcon>
      <ListItemText
        primaryTypographyProps={{ variant: 'h6' }}
        primary={
          <Link noTrack to={result.location}>
            {highlight?.fields.title ? (
              <HighlightedSearchResultText
                text={highlight.fields.title}
                preTag={highlight.preTag}
                postTag={highlight.postTag}
              />
            ) : (
              result.title
            )}
          </Link>
        }
        secondaryTypographyProps={{ component: 'div' }}
        secondary={
          <Box className={classes.chips}>
            {facts.map(f => (
              <Chip
                key={f.title}
                size="small"
                label={f.label}
                title={f.title}
                aria-label={`${f.title}: ${f.label}`}
              />
            ))}
          </Box>
        }
      />
    </div>
  );
}
