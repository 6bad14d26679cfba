import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';

export interface GroupPickerProps {
  id: string;
  label: string;
  value: string;
  problem?: string;
  helperText: string;
  onChange(value: string): void;
}

/** The usual hint under a group input. */
export const GROUP_HINT =
  'A group, e.g. team-payments or group:default/team-payments';

/**
 * A group from the catalog, or any group reference typed in (owners of projects, campaigns and
 * adopted suggestions). It may start from a value: the Autocomplete "resets" its input to the
 * selected value on mount, so the selected value is the text itself.
 */
export const GroupPicker = ({
  id,
  label,
  value,
  problem,
  helperText,
  onChange,
}: GroupPickerProps) => {
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
      value={value}
      inputValue={value}
      onChange={(_, next) => onChange(typeof next === 'string' ? next : '')}
      onInputChange={(_, next) => onChange(next)}
      renderInput={params => (
        <TextField
          {...params}
          id={id}
          label={label}
          required
          variant="outlined"
          size="small"
          error={Boolean(problem)}
          helperText={
            problem ??
            (groups.error
              ? 'Groups could not be listed; type a group reference'
              : helperText)
          }
        />
      )}
    />
  );
};
