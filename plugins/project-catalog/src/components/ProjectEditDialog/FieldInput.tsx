import { MenuItem, TextField } from '@material-ui/core';
import {
  FieldDefinition,
  PROJECT_LIFECYCLES,
  PROJECT_TYPES,
  ProjectFieldState,
} from '@dash-suite/plugin-project-catalog-common';

/** Examples under the inputs; the labels and rules come from `PROJECT_FIELDS`. */
const HINTS: Record<string, string> = {
  lifecycle: `e.g. ${PROJECT_LIFECYCLES.join(', ')}`,
  owner: 'A group, e.g. team-payments or group:default/team-payments',
  system: 'e.g. payments',
  tier: 'e.g. 1, 2 or critical',
  tags: 'Comma-separated, e.g. go, grpc',
  'annotation:github.com/project-slug':
    'owner/repository, e.g. acme/payments-api',
  'annotation:pagerduty.com/service-id': 'e.g. PPAYAPI',
  'annotation:grafana/dashboard-selector': "e.g. tags @> 'payments-api'",
  'annotation:grafana/alert-label-selector': 'e.g. service=payments-api',
  'annotation:kibana/log-query': 'KQL, e.g. service.name:"payments-api"',
};

export interface FieldInputProps {
  field: FieldDefinition;
  state?: ProjectFieldState;
  value: string;
  problem?: string;
  required?: boolean;
  onChange(value: string): void;
}

/** One field of the edit form: read-only with its file when YAML owns it. */
export const FieldInput = ({
  field,
  state,
  value,
  problem,
  required,
  onChange,
}: FieldInputProps) => {
  const yaml = state?.owner === 'yaml';
  // The dialog names the YAML file above the read-only fields; here only a shadowed UI value.
  const shadowed = state?.overlay?.shadowed
    ? `Your UI value was ${JSON.stringify(state.overlay.value)}; YAML wins.`
    : undefined;
  const helperText = problem ?? (yaml ? shadowed : HINTS[field.key]);
  const common = {
    id: `project-field-${field.key}`,
    label: field.label,
    value,
    fullWidth: true,
    variant: 'outlined' as const,
    size: 'small' as const,
    required,
    disabled: yaml,
    error: Boolean(problem),
    helperText,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  if (field.key === 'type' && !yaml) {
    return (
      <TextField {...common} select>
        <MenuItem value="">
          <em>None</em>
        </MenuItem>
        {PROJECT_TYPES.map(t => (
          <MenuItem key={t} value={t}>
            {t}
          </MenuItem>
        ))}
      </TextField>
    );
  }
  return (
    <TextField
      {...common}
      multiline={field.key === 'description'}
      minRows={field.key === 'description' ? 3 : undefined}
    />
  );
};
