import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { DashTimelineQuery } from '@dash-suite/plugin-dash-common';
import { useState } from 'react';
import { dashApiRef } from '../../api';

function parseEntityRefSafe(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return 'timeline';
  }
}

/**
 * The timeline as Markdown for a postmortem: copied to the clipboard or downloaded as a file,
 * with the outcome said in an alert.
 */
export function useMarkdownExport(query: DashTimelineQuery) {
  const api = useApi(dashApiRef);
  const alertApi = useApi(alertApiRef);
  const [exporting, setExporting] = useState(false);

  const runExport = async (deliver: (markdown: string) => Promise<string>) => {
    setExporting(true);
    try {
      const markdown = await api.exportMarkdown(query);
      const message = await deliver(markdown);
      alertApi.post({ message, severity: 'success', display: 'transient' });
    } catch (e) {
      alertApi.post({
        message: `Markdown export failed: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setExporting(false);
    }
  };
  const onCopyMarkdown = () =>
    runExport(async markdown => {
      if (!navigator.clipboard?.writeText) {
        throw new Error(
          'this page may not use the clipboard (it needs https); use Download instead',
        );
      }
      await navigator.clipboard.writeText(markdown);
      return 'Timeline copied to the clipboard as Markdown';
    });
  const onDownloadMarkdown = () =>
    runExport(async markdown => {
      const blob = new Blob([markdown], { type: 'text/markdown' });
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      const names = query.entityRefs.map(r => parseEntityRefSafe(r)).join('+');
      // Whole seconds, no colons: a name every file system takes.
      const stamp = new Date(query.from)
        .toISOString()
        .slice(0, 19)
        .replace(/:/g, '');
      a.download = `dash-${names}-${stamp}Z.md`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(href);
      return `Downloaded ${a.download}`;
    });

  return { exporting, onCopyMarkdown, onDownloadMarkdown };
}
