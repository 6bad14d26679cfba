import type {
  DashEventKind,
  DashSeverity,
  DashSourceStatus,
} from '@dash-suite/plugin-dash-common';
import { SvgIconProps } from '@material-ui/core';
import BlockIcon from '@material-ui/icons/Block';
import BuildIcon from '@material-ui/icons/Build';
import ChatIcon from '@material-ui/icons/Chat';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import DnsIcon from '@material-ui/icons/Dns';
import ErrorIcon from '@material-ui/icons/Error';
import EventIcon from '@material-ui/icons/Event';
import GitHubIcon from '@material-ui/icons/GitHub';
import HistoryIcon from '@material-ui/icons/History';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import InfoIcon from '@material-ui/icons/Info';
import LockIcon from '@material-ui/icons/Lock';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import NotInterestedIcon from '@material-ui/icons/NotInterested';
import ReportIcon from '@material-ui/icons/Report';
import SearchIcon from '@material-ui/icons/FindInPage';
import ShowChartIcon from '@material-ui/icons/ShowChart';
import SyncIcon from '@material-ui/icons/Sync';
import TimerOffIcon from '@material-ui/icons/TimerOff';
import WarningIcon from '@material-ui/icons/Warning';
import { ComponentType } from 'react';

type Icon = ComponentType<SvgIconProps>;

export interface SourcePresentation {
  title: string;
  color: string;
  Icon: Icon;
}

/** Icons and colours of the known sources; anything else gets a neutral look. */
const SOURCES: Record<string, SourcePresentation> = {
  pagerduty: {
    title: 'PagerDuty',
    color: '#048a24',
    Icon: NotificationsActiveIcon,
  },
  github: { title: 'GitHub', color: '#6e40c9', Icon: GitHubIcon },
  grafana: { title: 'Grafana', color: '#e05a00', Icon: ShowChartIcon },
  kibana: { title: 'Kibana', color: '#d6336c', Icon: SearchIcon },
  elasticsearch: { title: 'Elasticsearch', color: '#0077cc', Icon: SearchIcon },
  changes: { title: 'Changes', color: '#00838f', Icon: BuildIcon },
  slack: { title: 'Slack', color: '#4a154b', Icon: ChatIcon },
  kubernetes: { title: 'Kubernetes', color: '#326ce5', Icon: DnsIcon },
};

export function sourcePresentation(
  id: string,
  title?: string,
): SourcePresentation {
  const known = SOURCES[id];
  if (known) return title ? { ...known, title } : known;
  return { title: title ?? id, color: '#607d8b', Icon: EventIcon };
}

export interface SeverityPresentation {
  label: string;
  color: string;
  Icon: Icon;
}

/** Severity is always shown as an icon with a distinct shape plus its word. */
export const SEVERITIES: Record<DashSeverity, SeverityPresentation> = {
  critical: { label: 'Critical', color: '#c62828', Icon: ReportIcon },
  error: { label: 'Error', color: '#e65100', Icon: ErrorIcon },
  warning: { label: 'Warning', color: '#b28704', Icon: WarningIcon },
  info: { label: 'Info', color: '#546e7a', Icon: InfoIcon },
};

export function severityPresentation(severity: string): SeverityPresentation {
  return SEVERITIES[severity as DashSeverity] ?? SEVERITIES.info;
}

const KIND_LABELS: Record<DashEventKind, string> = {
  incident: 'Incident',
  alert: 'Alert',
  annotation: 'Annotation',
  'log-spike': 'Log spike',
  deploy: 'Deploy',
  commit: 'Commit',
  'pull-request': 'Pull request',
  release: 'Release',
  'workflow-run': 'Workflow run',
  change: 'Change',
  'on-call-handoff': 'On-call hand-off',
  message: 'Message',
  'pod-trouble': 'Pod trouble',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as DashEventKind] ?? kind;
}

export interface StatusPresentation {
  label: string;
  Icon: Icon;
  /** Higher is worse; used to pick the icon of a chip that sums up several feeds. */
  rank: number;
  tone: 'ok' | 'warning' | 'error' | 'neutral';
}

export const STATUSES: Record<DashSourceStatus, StatusPresentation> = {
  ok: { label: 'OK', Icon: CheckCircleIcon, rank: 0, tone: 'ok' },
  'not-configured': {
    label: 'not configured',
    Icon: NotInterestedIcon,
    rank: 1,
    tone: 'neutral',
  },
  // The entity's annotations name something outside the source's allow-list: the message says
  // what, and the backend never called the upstream for it.
  'not-allowed': {
    label: 'not allowed',
    Icon: BlockIcon,
    rank: 1,
    tone: 'neutral',
  },
  refreshing: { label: 'refreshing', Icon: SyncIcon, rank: 2, tone: 'neutral' },
  stale: { label: 'stale', Icon: HistoryIcon, rank: 3, tone: 'warning' },
  'rate-limited': {
    label: 'rate limited',
    Icon: HourglassEmptyIcon,
    rank: 4,
    tone: 'warning',
  },
  'timed-out': {
    label: 'timed out',
    Icon: TimerOffIcon,
    rank: 5,
    tone: 'error',
  },
  unauthorized: {
    label: 'unauthorized',
    Icon: LockIcon,
    rank: 6,
    tone: 'error',
  },
  error: { label: 'error', Icon: ErrorIcon, rank: 7, tone: 'error' },
};

export function statusPresentation(status: string): StatusPresentation {
  return STATUSES[status as DashSourceStatus] ?? STATUSES.error;
}

/** Only http(s) links are rendered as links (no `javascript:` and friends). */
export { safeLink as safeHttpUrl } from '@dash-suite/plugin-dash-common';
