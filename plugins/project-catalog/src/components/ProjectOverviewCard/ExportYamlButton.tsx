import { useApi } from '@backstage/core-plugin-api';
import { IconButton, Tooltip } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { projectCatalogApiRef } from '../../api';
import { messageOf } from '../../lib/writeError';

/** Saves a text as a file through a temporary object URL. */
function download(name: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** Downloads the project as the `catalog-info.yaml` that would define it. */
export const ExportYamlButton = ({
  entityRef,
  onError,
}: {
  entityRef: string;
  onError(message: string | undefined): void;
}) => {
  const api = useApi(projectCatalogApiRef);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    onError(undefined);
    try {
      download('catalog-info.yaml', await api.exportYaml(entityRef));
    } catch (e) {
      onError(`Export failed: ${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Tooltip title="Export as YAML (catalog-info.yaml)">
      <span>
        <IconButton
          aria-label="Export as YAML"
          onClick={run}
          disabled={busy}
          size="small"
        >
          <GetAppIcon />
        </IconButton>
      </span>
    </Tooltip>
  );
};
