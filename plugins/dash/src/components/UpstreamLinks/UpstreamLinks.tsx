import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import ListSubheader from '@material-ui/core/ListSubheader';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import LaunchIcon from '@material-ui/icons/Launch';
import { DashDeepLink } from '@dash-suite/plugin-dash-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dashApiRef } from '../../api';

export interface UpstreamLinksProps {
  entityRef: string;
  from: number;
  to: number;
}

/**
 * "Open in…": links into the upstreams' own UIs (Grafana dashboards, Kibana Discover, GitHub)
 * for the window on screen. Shows nothing while loading, when no source offers links, or when
 * asking failed: it is a shortcut, never a reason to show an error.
 */
export function UpstreamLinks({ entityRef, from, to }: UpstreamLinksProps) {
  const api = useApi(dashApiRef);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { value } = useAsync(
    () => api.getLinks({ entityRef, from: new Date(from), to: new Date(to) }),
    [api, entityRef, from, to],
  );
  const links = value?.links ?? [];
  if (links.length === 0) return null;

  const bySource = new Map<string, DashDeepLink[]>();
  for (const link of links) {
    const list = bySource.get(link.sourceTitle) ?? [];
    list.push(link);
    bySource.set(link.sourceTitle, list);
  }
  return (
    <>
      <Button
        size="small"
        startIcon={<LaunchIcon aria-hidden />}
        aria-haspopup="menu"
        aria-expanded={Boolean(anchor)}
        onClick={e => setAnchor(e.currentTarget)}
      >
        Open in…
      </Button>
      <Menu
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
        keepMounted={false}
      >
        {/* A flat list: Menu does not take fragments as children. */}
        {[...bySource.entries()].flatMap(([source, list]) => [
          <ListSubheader key={`source:${source}`} disableSticky>
            {source}
          </ListSubheader>,
          ...list.map(link => (
            <MenuItem
              key={link.url}
              component="a"
              href={link.url}
              target="_blank"
              rel="noopener noreferrer"
              onClick={() => setAnchor(null)}
            >
              {link.title}
            </MenuItem>
          )),
        ])}
      </Menu>
    </>
  );
}
