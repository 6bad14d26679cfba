import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { safeLink } from '@dash-suite/plugin-dash-common';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { TypeIcon, languageOf } from './presentation';

/** The project's values by field key (`type`, `tags`, `annotation:...`). */
export type FactValues = (key: string) => unknown;

const Fact = ({
  label,
  wide,
  children,
}: {
  label: string;
  wide?: boolean;
  children: ReactNode;
}) => (
  <Grid item xs={12} sm={wide ? 12 : 6} md={wide ? 12 : 4}>
    <Typography variant="overline" color="textSecondary" component="div">
      {label}
    </Typography>
    <Box component="div" aria-label={label}>
      {children}
    </Box>
  </Grid>
);

const text = (v: unknown) =>
  typeof v === 'string' && v !== '' ? v : undefined;

const Unset = () => (
  <Typography variant="body2" color="textSecondary">
    Not set
  </Typography>
);

const RefLink = ({ value, kind }: { value: unknown; kind: string }) => {
  const ref = text(value);
  if (!ref) return <Unset />;
  try {
    return (
      <EntityRefLink
        entityRef={parseEntityRef(ref, {
          defaultKind: kind,
          defaultNamespace: 'default',
        })}
        defaultKind={kind}
      />
    );
  } catch {
    return <>{ref}</>;
  }
};

/** The overview's facts: type, lifecycle, tier, owner, system, repository, language, tags. */
export const ProjectFacts = ({ valueOf }: { valueOf: FactValues }) => {
  const type = text(valueOf('type'));
  const slug = text(valueOf('annotation:github.com/project-slug'));
  const repo = slug ? safeLink(`https://github.com/${slug}`) : undefined;
  const tags = valueOf('tags');
  const language = languageOf(tags);
  const description = text(valueOf('description'));
  return (
    <Grid container spacing={2}>
      {description && (
        <Grid item xs={12}>
          <Typography variant="body1">{description}</Typography>
        </Grid>
      )}
      <Fact label="Type">
        {type ? (
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            <TypeIcon type={type} />
            <Typography variant="body2">{type}</Typography>
          </Box>
        ) : (
          <Unset />
        )}
      </Fact>
      <Fact label="Lifecycle">
        {text(valueOf('lifecycle')) ? (
          <Typography variant="body2">{text(valueOf('lifecycle'))}</Typography>
        ) : (
          <Unset />
        )}
      </Fact>
      <Fact label="Tier">
        {text(valueOf('tier')) ? (
          <Typography variant="body2">{text(valueOf('tier'))}</Typography>
        ) : (
          <Unset />
        )}
      </Fact>
      <Fact label="Owner">
        <RefLink value={valueOf('owner')} kind="group" />
      </Fact>
      <Fact label="System">
        <RefLink value={valueOf('system')} kind="system" />
      </Fact>
      <Fact label="Repository">
        {repo ? <Link to={repo}>{slug}</Link> : <Unset />}
      </Fact>
      {language && (
        <Fact label="Language">
          <Typography variant="body2">{language}</Typography>
        </Fact>
      )}
      <Fact label="Tags" wide>
        {Array.isArray(tags) && tags.length ? (
          tags.map(t => <Chip key={String(t)} label={String(t)} size="small" />)
        ) : (
          <Unset />
        )}
      </Fact>
    </Grid>
  );
};
