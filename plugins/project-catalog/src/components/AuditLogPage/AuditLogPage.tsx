import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { Box, Button, CircularProgress, Grid } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { messageOf } from '../../lib/writeError';
import { CardEmpty, CardError, CardLoading } from '../cardStates';
import { AuditFilterForm } from './AuditFilterForm';
import {
  AuditFilters,
  auditQueryOf,
  filterProblems,
  filtersFromParams,
  hasProblems,
  paramsOfFilters,
} from './auditFilters';
import { AuditTable } from './AuditTable';
import { useAuditPages } from './useAuditPages';

/** The audit log across the catalog, filtered by the URL's query string; without the page frame. */
export const AuditLogContent = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(
    () => filtersFromParams(new URLSearchParams(search)),
    [search],
  );
  const problems = useMemo(() => filterProblems(filters), [filters]);
  const invalid = hasProblems(problems);
  const query = useMemo(
    () => (invalid ? undefined : auditQueryOf(filters)),
    [filters, invalid],
  );
  const audit = useAuditPages(query);
  const filtered = Object.values(filters).some(Boolean);

  const apply = (next: AuditFilters) => {
    const params = paramsOfFilters(next);
    if (params.toString() === search) audit.reload();
    else setSearchParams(params);
  };

  let body;
  if (invalid) {
    body = (
      <Alert severity="warning">
        The filters in the address are not valid; fix them above to see entries.
      </Alert>
    );
  } else if (audit.loading) {
    body = <CardLoading what="the audit log" />;
  } else if (audit.error) {
    body = (
      <CardError
        title="Could not load the audit log"
        error={messageOf(audit.error)}
        onRetry={audit.reload}
      />
    );
  } else if (audit.entries.length === 0) {
    body = filtered ? (
      <CardEmpty hint="Widen the time range or clear a filter.">
        No entries match these filters.
      </CardEmpty>
    ) : (
      <CardEmpty hint="Writes made through the Project Catalog (edits, new projects, campaigns, discovery decisions) are recorded here.">
        Nothing has been recorded yet.
      </CardEmpty>
    );
  } else {
    body = (
      <>
        {audit.newerHidden && (
          <Box mb={1}>
            <Alert
              severity="info"
              action={
                <Button color="inherit" size="small" onClick={audit.reload}>
                  Show newest
                </Button>
              }
            >
              Newer entries were let go to keep the list short.
            </Alert>
          </Box>
        )}
        <AuditTable entries={audit.entries} />
        {audit.olderError && (
          <Box mt={1}>
            <CardError
              title="Could not load older entries"
              error={messageOf(audit.olderError)}
              onRetry={audit.loadOlder}
            />
          </Box>
        )}
        {audit.hasOlder && !audit.olderError && (
          <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
            <Button
              variant="outlined"
              onClick={audit.loadOlder}
              disabled={audit.loadingOlder}
            >
              Load older
            </Button>
            {audit.loadingOlder && (
              <CircularProgress size={20} aria-label="Loading older entries" />
            )}
          </Box>
        )}
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Filters">
          {/* A new URL (a shared link, back, apply) starts the form over from it. */}
          <AuditFilterForm
            key={search}
            filters={filters}
            problems={problems}
            onApply={apply}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Entries" subheader="Newest first">
          {body}
        </InfoCard>
      </Grid>
    </Grid>
  );
};

/** Every write made through the Project Catalog: who changed what, when, and how it ended. */
export const AuditLogPage = () => (
  <Page themeId="tool">
    <Header
      title="Audit log"
      subtitle="Every change made through the Project Catalog, refused and failed ones included"
    />
    <Content>
      <AuditLogContent />
    </Content>
  </Page>
);
