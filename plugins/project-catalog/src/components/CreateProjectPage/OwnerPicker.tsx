import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';

export interface OwnerPickerProps {
  value: string;
  problem?: string;
  onChange(value: string): void;
}

/** A group from the catalog, or any group reference typed in. */
export const OwnerPicker = ({ value, problem, onChange }: OwnerPickerProps) => {
  const catalogApi = useApi(catalogApiRef);
  const groups = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi]);
  return (
    <Autocomplete
      freeSolo
      options={groups.value ?? []}
      loading={groups.loading}
      inputValue={value}
      onInputChange={(_, next) => onChange(next)}
      renderInput={params => (
        <TextField
          {...params}
          id="create-project-owner"
          label="Owner"
          required
          variant="outlined"
          size="small"
          error={Boolean(problem)}
          helperText={
            problem ??
            (groups.error
              ? 'Groups could not be listed; type a group reference'
              : 'A group, e.g. team-payments or group:default/team-payments')
          }
        />
      )}
    />
  );
};
