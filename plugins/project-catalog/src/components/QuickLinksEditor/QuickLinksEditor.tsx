import {
  Box,
  Button,
  Grid,
  IconButton,
  TextField,
  Tooltip,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import DeleteIcon from '@material-ui/icons/Delete';
import { PROJECT_LIMITS } from '@dash-suite/plugin-project-catalog-common';
import { useId } from 'react';
import { LinkDraft, LinkProblems } from './linkDrafts';

export interface QuickLinksEditorProps {
  links: LinkDraft[];
  problems?: Record<number, LinkProblems>;
  onChange(links: LinkDraft[]): void;
}

const move = <T,>(list: T[], from: number, to: number): T[] => {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
};

/** Add, edit, reorder and remove quick links: title, URL (http/https) and an optional group. */
export const QuickLinksEditor = ({
  links,
  problems = {},
  onChange,
}: QuickLinksEditorProps) => {
  const id = useId();
  const update = (index: number, part: Partial<LinkDraft>) =>
    onChange(links.map((l, i) => (i === index ? { ...l, ...part } : l)));
  return (
    <Box>
      {links.map((link, index) => {
        const n = index + 1;
        const p = problems[index] ?? {};
        return (
          <Grid
            container
            spacing={1}
            alignItems="flex-start"
            key={index}
            role="group"
            aria-label={`Link ${n}`}
          >
            <Grid item xs={12} sm={3}>
              <TextField
                id={`${id}-${index}-title`}
                label="Title"
                value={link.title}
                onChange={e => update(index, { title: e.target.value })}
                error={Boolean(p.title)}
                helperText={p.title}
                size="small"
                variant="outlined"
                fullWidth
                required
              />
            </Grid>
            <Grid item xs={12} sm={5}>
              <TextField
                id={`${id}-${index}-url`}
                label="URL"
                value={link.url}
                onChange={e => update(index, { url: e.target.value })}
                error={Boolean(p.url)}
                helperText={p.url}
                placeholder="https://"
                size="small"
                variant="outlined"
                fullWidth
                required
              />
            </Grid>
            <Grid item xs={8} sm={2}>
              <TextField
                id={`${id}-${index}-group`}
                label="Group"
                value={link.group}
                onChange={e => update(index, { group: e.target.value })}
                error={Boolean(p.group)}
                helperText={p.group}
                size="small"
                variant="outlined"
                fullWidth
              />
            </Grid>
            <Grid item xs={4} sm={2}>
              <Tooltip title="Move up">
                <span>
                  <IconButton
                    size="small"
                    aria-label={`Move link ${n} up`}
                    disabled={index === 0}
                    onClick={() => onChange(move(links, index, index - 1))}
                  >
                    <ArrowUpwardIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
              <Tooltip title="Move down">
                <span>
                  <IconButton
                    size="small"
                    aria-label={`Move link ${n} down`}
                    disabled={index === links.length - 1}
                    onClick={() => onChange(move(links, index, index + 1))}
                  >
                    <ArrowDownwardIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
              <Tooltip title="Remove">
                <IconButton
                  size="small"
                  aria-label={`Remove link ${n}`}
                  onClick={() => onChange(links.filter((_, i) => i !== index))}
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </Grid>
          </Grid>
        );
      })}
      <Button
        size="small"
        startIcon={<AddIcon />}
        disabled={links.length >= PROJECT_LIMITS.links}
        onClick={() => onChange([...links, { title: '', url: '', group: '' }])}
      >
        Add link
      </Button>
    </Box>
  );
};
