import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import {
  Button,
  Checkbox,
  Chip,
  CircularProgress,
  FormControlLabel,
  Paper,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { normalizeRef } from '../../lib/events';

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.type',
  'relations',
];

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(2) },
  selected: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  groups: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
  group: {
    margin: 0,
    padding: theme.spacing(1, 1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    minWidth: 0,
  },
  legend: { padding: theme.spacing(0, 0.5), fontWeight: 600 },
  groupHead: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  options: {
    display: 'flex',
    flexDirection: 'column',
    maxHeight: 220,
    overflowY: 'auto',
  },
  search: { minWidth: 280, flex: 1 },
}));

export function refName(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'component' });
  } catch {
    return ref;
  }
}

interface Option {
  ref: string;
  label: string;
}

function toOption(e: Entity): Option {
  const ref = stringifyEntityRef(e);
  return { ref, label: e.metadata.title ?? refName(ref) };
}

function relationTargets(entities: (Entity | undefined)[], type: string) {
  const refs = new Set<string>();
  for (const e of entities) {
    for (const r of e?.relations ?? []) {
      if (r.type === type) refs.add(r.targetRef);
    }
  }
  return [...refs];
}

interface GroupProps {
  title: string;
  hint: string;
  options: Option[];
  selected: ReadonlySet<string>;
  loading?: boolean;
  empty: string;
  onToggle(ref: string, on: boolean): void;
  onAddAll(refs: string[]): void;
}

function Group(props: GroupProps) {
  const { title, hint, options, selected, loading, empty, onToggle, onAddAll } =
    props;
  const classes = useStyles();
  const missing = options.filter(o => !selected.has(normalizeRef(o.ref)));
  return (
    <fieldset className={classes.group}>
      <legend className={classes.legend}>{title}</legend>
      <div className={classes.groupHead}>
        <Typography variant="caption" color="textSecondary" style={{ flex: 1 }}>
          {hint}
        </Typography>
        {missing.length > 1 && (
          <Button
            size="small"
            onClick={() => onAddAll(missing.map(o => o.ref))}
          >
            Add all
          </Button>
        )}
      </div>
      {loading && (
        <CircularProgress size={20} aria-label={`Loading ${title}`} />
      )}
      {!loading && options.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          {empty}
        </Typography>
      )}
      <div className={classes.options}>
        {options.map(o => (
          <FormControlLabel
            key={o.ref}
            control={
              <Checkbox
                size="small"
                checked={selected.has(normalizeRef(o.ref))}
                onChange={e => onToggle(o.ref, e.target.checked)}
              />
            }
            label={o.label}
          />
        ))}
      </div>
    </fieldset>
  );
}

export interface ServicePickerProps {
  selected: string[];
  onChange(refs: string[]): void;
}

/**
 * Picks the services for the merged timeline: starts from the components the user's teams own,
 * and offers the upstreams (dependsOn) and downstreams (dependencyOf) of the picked services (or,
 * before any is picked, of the owned ones) as groups, like Lyft's DASH. Any other component can be
 * found by name.
 */
export function ServicePicker(props: ServicePickerProps) {
  const { selected, onChange } = props;
  const classes = useStyles();
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const selectedSet = useMemo(
    () => new Set(selected.map(normalizeRef)),
    [selected],
  );

  const owned = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    if (!ownershipEntityRefs.length) return [];
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'Component',
        [`relations.${RELATION_OWNED_BY}`]: ownershipEntityRefs,
      },
      fields: FIELDS,
    });
    return items;
  }, [identityApi, catalogApi]);

  const basis = selected.length
    ? selected
    : (owned.value ?? []).map(e => stringifyEntityRef(e));
  const basisKey = basis.join('\n');
  const related = useAsync(async () => {
    const refs = basisKey.split('\n').filter(Boolean);
    if (!refs.length) return { upstreams: [], downstreams: [] };
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: FIELDS,
    });
    const named = (targets: string[]) =>
      targets
        .filter(r => !refs.map(normalizeRef).includes(normalizeRef(r)))
        .map(ref => ({ ref, label: refName(ref) }))
        .sort((a, b) => a.label.localeCompare(b.label));
    return {
      upstreams: named(relationTargets(items, RELATION_DEPENDS_ON)),
      downstreams: named(relationTargets(items, RELATION_DEPENDENCY_OF)),
    };
  }, [catalogApi, basisKey]);

  // Search any component by name.
  const [term, setTerm] = useState('');
  const [found, setFound] = useState<Option[]>([]);
  const [searching, setSearching] = useState(false);
  useEffect(() => {
    const t = term.trim();
    if (!t) {
      setFound([]);
      return undefined;
    }
    let cancelled = false;
    const timer = setTimeout(async () => {
      setSearching(true);
      try {
        const res = await catalogApi.queryEntities({
          filter: { kind: 'Component' },
          fullTextFilter: {
            term: t,
            fields: ['metadata.name', 'metadata.title'],
          },
          fields: FIELDS,
          limit: 20,
        });
        if (!cancelled) setFound(res.items.map(toOption));
      } catch {
        if (!cancelled) setFound([]);
      } finally {
        if (!cancelled) setSearching(false);
      }
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [term, catalogApi]);

  const toggle = (ref: string, on: boolean) =>
    onChange(
      on
        ? [...selected, ref]
        : selected.filter(r => normalizeRef(r) !== normalizeRef(ref)),
    );
  const addAll = (refs: string[]) => onChange([...selected, ...refs]);
  const ownedOptions = (owned.value ?? []).map(toOption);
  const relatedOf = selected.length
    ? 'the picked services'
    : 'your teams’ services';

  return (
    <Paper
      variant="outlined"
      className={classes.root}
      component="section"
      aria-label="Services"
    >
      <div className={classes.selected}>
        <Typography variant="subtitle2" component="h2">
          Services on the timeline:
        </Typography>
        {selected.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            none yet
          </Typography>
        )}
        {selected.map(ref => (
          <Chip
            key={ref}
            size="small"
            label={refName(ref)}
            onDelete={() => toggle(ref, false)}
          />
        ))}
        {selected.length > 0 && (
          <Button size="small" onClick={() => onChange([])}>
            Clear
          </Button>
        )}
        <Autocomplete
          className={classes.search}
          size="small"
          options={found}
          loading={searching}
          filterOptions={x => x}
          getOptionLabel={o => o.label}
          getOptionSelected={(a, b) => a.ref === b.ref}
          inputValue={term}
          onInputChange={(_e, v) => setTerm(v)}
          value={null}
          onChange={(_e, o) => {
            if (o && !selectedSet.has(normalizeRef(o.ref))) toggle(o.ref, true);
            setTerm('');
          }}
          noOptionsText={
            term.trim() ? 'No component with that name' : 'Type a name'
          }
          renderInput={params => (
            <TextField
              {...params}
              variant="outlined"
              label="Add a service"
              placeholder="Search components by name"
            />
          )}
        />
      </div>
      {owned.error && (
        <Typography variant="body2" color="error">
          Could not load your teams’ services: {owned.error.message}
        </Typography>
      )}
      <div className={classes.groups}>
        <Group
          title="Your teams’ services"
          hint="Components owned by your teams"
          options={ownedOptions}
          selected={selectedSet}
          loading={owned.loading}
          empty="Your teams own no components."
          onToggle={toggle}
          onAddAll={addAll}
        />
        <Group
          title="Upstreams"
          hint={`What ${relatedOf} depend on (dependsOn)`}
          options={related.value?.upstreams ?? []}
          selected={selectedSet}
          loading={related.loading}
          empty="No upstreams."
          onToggle={toggle}
          onAddAll={addAll}
        />
        <Group
          title="Downstreams"
          hint={`What depends on ${relatedOf} (dependencyOf)`}
          options={related.value?.downstreams ?? []}
          selected={selectedSet}
          loading={related.loading}
          empty="No downstreams."
          onToggle={toggle}
          onAddAll={addAll}
        />
      </div>
    </Paper>
  );
}
