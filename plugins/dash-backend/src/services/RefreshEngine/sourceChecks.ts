import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { DashSourceStatus } from '@dash-suite/plugin-dash-common';
import { SignalSource } from '@dash-suite/plugin-dash-node';

/** Why a source must not be called for an entity, as the status the reader sees. */
export interface SourceBlock {
  status: Extract<DashSourceStatus, 'not-configured' | 'not-allowed' | 'error'>;
  message: string;
}

/**
 * The checks a source makes before it may be called for an entity, in order: its configuration
 * (`not-configured`), then its allow-list (`not-allowed`). Undefined when it may be called. A
 * check that throws blocks that one source with `error` (the details go to the log, not to the
 * reader), so that a broken source can neither fail a whole answer nor be called unchecked.
 */
export function sourceBlock(
  source: SignalSource,
  entity: Entity,
  logger: LoggerService,
): SourceBlock | undefined {
  const checks: Array<
    [SourceBlock['status'], string, () => string | undefined]
  > = [
    [
      'not-configured',
      'configuration',
      () => source.configurationProblem?.(entity),
    ],
    ['not-allowed', 'access', () => source.accessProblem?.(entity)],
  ];
  for (const [status, what, check] of checks) {
    let problem: string | undefined;
    try {
      problem = check();
    } catch (e) {
      logger.warn(
        `Source ${source.id} failed its ${what} check for ${
          entity.metadata.name
        }: ${e instanceof Error ? e.stack ?? e.message : String(e)}`,
      );
      return {
        status: 'error',
        message: `${source.title} could not check whether it may be used for this entity; the backend log has the details`,
      };
    }
    if (problem) return { status, message: problem };
  }
  return undefined;
}
