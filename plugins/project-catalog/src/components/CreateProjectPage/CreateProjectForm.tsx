import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Link, Progress } from '@backstage/core-components';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  PROJECT_LIFECYCLES,
  PROJECT_TYPES,
} from '@dash-suite/plugin-project-catalog-common';
import {
  Box,
  Button,
  Grid,
  MenuItem,
  TextField,
  TextFieldProps,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { projectCatalogApiRef } from '../../api';
import { messageOf, statusOf } from '../../lib/writeError';
import { QuickLinksEditor } from '../QuickLinksEditor';
import {
  CreateProblems,
  CreateValues,
  EMPTY_VALUES,
  createProblems,
  createRequest,
  hasProblems,
} from './createRequest';
import { GROUP_HINT, GroupPicker } from '../GroupPicker';
import { waitForEntity } from './waitForEntity';

type TextKey = Exclude<keyof CreateValues, 'links'>;

const NO_PROBLEMS: CreateProblems = { fields: {}, links: {} };

/**
 * The form behind `POST /projects`; on success it waits (with a progress bar) until the catalog
 * has the new entity, then opens its page.
 */
export const CreateProjectForm = () => {
  const api = useApi(projectCatalogApiRef);
  const catalogApi = useApi(catalogApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const navigate = useNavigate();
  const [created, setCreated] = useState<{
    entityRef: string;
    late?: boolean;
  }>();
  const unmounted = useRef(new AbortController());
  useEffect(() => {
    const controller = unmounted.current;
    return () => controller.abort();
  }, []);
  const [values, setValues] = useState<CreateValues>(EMPTY_VALUES);
  const [problems, setProblems] = useState<CreateProblems>(NO_PROBLEMS);
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);

  const set = (key: keyof CreateValues, value: CreateValues[typeof key]) => {
    setValues(v => ({ ...v, [key]: value }));
    setProblems(p => ({
      fields: { ...p.fields, [key]: undefined },
      links: key === 'links' ? {} : p.links,
    }));
  };

  const input = (
    key: TextKey,
    label: string,
    props: Partial<TextFieldProps> = {},
  ) => (
    <TextField
      variant="outlined"
      size="small"
      fullWidth
      {...props}
      id={`create-project-${key}`}
      label={label}
      value={values[key]}
      onChange={e => set(key, e.target.value)}
      error={Boolean(problems.fields[key])}
      helperText={problems.fields[key] ?? props.helperText}
    />
  );

  const submit = async () => {
    const found = createProblems(values);
    setProblems(found);
    setFailure(undefined);
    if (hasProblems(found)) return;
    const request = createRequest(values);
    setSaving(true);
    let entityRef: string;
    try {
      entityRef = (await api.createProject(request)).entityRef;
    } catch (e) {
      if (statusOf(e) === 409) {
        setProblems({ ...NO_PROBLEMS, fields: { name: messageOf(e) } });
      } else {
        setFailure(messageOf(e));
      }
      setSaving(false);
      return;
    }
    setCreated({ entityRef });
    const signal = unmounted.current.signal;
    const arrived = await waitForEntity(
      catalogApi,
      entityRef,
      undefined,
      signal,
    );
    if (signal.aborted) return;
    if (arrived) navigate(entityRoute(entityRouteParams(entityRef)));
    else setCreated({ entityRef, late: true });
  };

  if (created) {
    const page = entityRoute(entityRouteParams(created.entityRef));
    return created.late ? (
      <Alert severity="warning" role="status">
        {created.entityRef} is created, but the catalog has not shown it within
        30 seconds; it usually does within a few.{' '}
        <Link to={page}>Open its page</Link> in a moment.
      </Alert>
    ) : (
      <div role="status" aria-label="Adding the project to the catalog">
        <Typography variant="body1" gutterBottom>
          Created {created.entityRef}; adding it to the catalog…
        </Typography>
        <Progress />
      </div>
    );
  }

  return (
    <form
      noValidate
      aria-label="Create project"
      onSubmit={e => {
        e.preventDefault();
        submit();
      }}
    >
      {failure && (
        <Box mb={2}>
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        </Box>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          {input('name', 'Name', {
            required: true,
            helperText: 'The entity name, e.g. fraud-scorer',
          })}
        </Grid>
        <Grid item xs={12} sm={6}>
          {input('title', 'Title', { helperText: 'e.g. Fraud scorer' })}
        </Grid>
        <Grid item xs={12} sm={4}>
          {input('type', 'Type', {
            required: true,
            select: true,
            children: PROJECT_TYPES.map(t => (
              <MenuItem key={t} value={t}>
                {t}
              </MenuItem>
            )),
          })}
        </Grid>
        <Grid item xs={12} sm={4}>
          {input('lifecycle', 'Lifecycle', {
            required: true,
            helperText: `e.g. ${PROJECT_LIFECYCLES.join(', ')}`,
          })}
        </Grid>
        <Grid item xs={12} sm={4}>
          {input('tier', 'Tier', { helperText: 'e.g. 1, 2 or critical' })}
        </Grid>
        <Grid item xs={12} sm={6}>
          <GroupPicker
            id="create-project-owner"
            label="Owner"
            value={values.owner}
            problem={problems.fields.owner}
            helperText={GROUP_HINT}
            onChange={v => set('owner', v)}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          {input('system', 'System', { helperText: 'e.g. payments' })}
        </Grid>
        <Grid item xs={12}>
          {input('description', 'Description', { multiline: true, minRows: 3 })}
        </Grid>
        <Grid item xs={12}>
          {input('tags', 'Tags', {
            helperText: 'Comma-separated, e.g. python, ml',
          })}
        </Grid>
        <Grid item xs={12} sm={6}>
          {input('repository', 'GitHub repository', {
            helperText: 'owner/repository, e.g. acme/fraud-scorer',
          })}
        </Grid>
        <Grid item xs={12} sm={6}>
          {input('pagerDuty', 'PagerDuty service ID', {
            helperText: 'e.g. PFRAUD1',
          })}
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2" gutterBottom>
            Quick links
          </Typography>
          <QuickLinksEditor
            links={values.links}
            problems={problems.links}
            onChange={links => set('links', links)}
          />
        </Grid>
        <Grid item xs={12}>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            Create project
          </Button>
        </Grid>
      </Grid>
    </form>
  );
};
