import {
  DiscoveryEvidence,
  DiscoveryScanStatus,
  DiscoverySource,
  ProjectType,
  QuickLink,
} from '@dash-suite/plugin-project-catalog-common';
import { CatalogIndex } from './CatalogIndex';

/** A project a scanner found that the catalog lacks: a suggestion before it is stored. */
export interface DiscoveredProject {
  /** `<source>:<key>`. */
  id: string;
  source: DiscoverySource;
  name: string;
  title?: string;
  description?: string;
  type?: ProjectType;
  owner?: string;
  language?: string;
  links: QuickLink[];
  annotations: Record<string, string>;
  evidence: DiscoveryEvidence;
}

/** Why a scan of one upstream failed; its suggestions stay as the last successful scan left them. */
export class UpstreamProblem extends Error {
  readonly name = 'UpstreamProblem';
  constructor(
    readonly status: Exclude<DiscoveryScanStatus, 'ok'>,
    message: string,
  ) {
    super(message);
  }
}

/** What a scanner may know about earlier suggestions: decided ones need no closer look. */
export type KnownSuggestions = ReadonlyMap<string, 'open' | 'decided'>;

/** One upstream's scan: lists what the upstream has and keeps what the catalog lacks. */
export interface DiscoveryScanner {
  readonly source: DiscoverySource;
  /** Why the scanner cannot run (names the config key), or undefined when it can. */
  configurationProblem(): string | undefined;
  /** Every project the catalog lacks; throws an UpstreamProblem when the upstream fails. */
  scan(
    index: CatalogIndex,
    known: KnownSuggestions,
  ): Promise<DiscoveredProject[]>;
}

/** An entity name from any text: lower-case letters, digits and dashes, at most 63 characters. */
export function entityNameFrom(text: string): string {
  const name = text
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[-_.]{2,}/g, '-')
    .slice(0, 63)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'unnamed';
}

/** Control characters: what `clip` removes (PostgreSQL refuses NUL in text). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text cut to a length, for columns and field limits. */
export function clip(text: string | null | undefined, max: number) {
  if (!text) return undefined;
  const clean = text.replace(CONTROL, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
