import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { guarded, isUniqueViolation } from '../../database/guarded';
import { AuditLog, AuditRecord } from '../AuditLog/AuditLog';

export interface StoredField {
  value: unknown;
  updatedBy: string;
  updatedMs: number;
}

/** What the UI wrote to one entity: a UI-created project or overlays on a catalog entity. */
export interface StoredProject {
  entityRef: string;
  origin: 'ui' | 'catalog';
  version: number;
  createdBy: string;
  createdMs: number;
  updatedBy: string;
  updatedMs: number;
  fields: Record<string, StoredField>;
}

/** Thrown by a write whose expected version is not the stored one. */
export class VersionConflictError extends ConflictError {
  constructor(readonly current: StoredProject | undefined) {
    super(
      current
        ? `The project was changed by ${current.updatedBy} at ${new Date(
            current.updatedMs,
          ).toISOString()} (version ${
            current.version
          }); reload and apply your change again`
        : 'The project was changed meanwhile (version 0); reload and apply your change again',
    );
  }
}

export interface FieldWrite {
  entityRef: string;
  /** Set on first write; a later write keeps the stored origin. */
  origin: 'ui' | 'catalog';
  /** The version the writer read; 0 for an entity the UI never wrote to. */
  expectedVersion: number;
  set: Record<string, unknown>;
  unset: string[];
  actor: string;
  /** Written in the same transaction. */
  audit: AuditRecord[];
}

/** Every write and its revision: what the catalog module reads. */
export interface StoreFeed {
  revision: number;
  projects: StoredProject[];
}

/**
 * Projects and overlays in the plugin's database (tables `pc_entities`, `pc_fields`,
 * `pc_revision`). Every write is one transaction: the version check, the field rows, the
 * revision bump and the audit rows land together or not at all.
 */
export interface ProjectStore {
  get(entityRef: string): Promise<StoredProject | undefined>;
  /** Creates a UI project; a ConflictError when the ref is taken. */
  create(write: Omit<FieldWrite, 'expectedVersion' | 'unset'>): Promise<void>;
  /** Sets and unsets fields when the version matches; returns the new version. */
  write(write: FieldWrite): Promise<number>;
  /** Removes the entity's rows when the version matches. */
  remove(
    entityRef: string,
    expectedVersion: number,
    audit: AuditRecord[],
  ): Promise<void>;
  revision(): Promise<number>;
  feed(): Promise<StoreFeed>;
}

export class KnexProjectStore implements ProjectStore {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  get(entityRef: string): Promise<StoredProject | undefined> {
    return guarded(() => this.read(this.db, entityRef));
  }

  create(write: Omit<FieldWrite, 'expectedVersion' | 'unset'>): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        try {
          await this.insertEntity(trx, write);
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(
              `${write.entityRef} already exists in Project Catalog`,
            );
          }
          throw error;
        }
        await this.upsertFields(trx, write.entityRef, write.set, write.actor);
        await this.bump(trx);
        await this.audit.record(write.audit, trx);
      }),
    );
  }

  write(write: FieldWrite): Promise<number> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const now = this.clock();
        const row = await trx('pc_entities')
          .where('entity_ref', write.entityRef)
          .forUpdate()
          .first();
        const version = row ? Number(row.version) : 0;
        if (version !== write.expectedVersion) {
          throw new VersionConflictError(await this.read(trx, write.entityRef));
        }
        if (row) {
          // The version in the WHERE clause makes the check hold on SQLite too, where
          // forUpdate() is a no-op: a concurrent writer that got here first updates no row.
          const updated = await trx('pc_entities')
            .where({ entity_ref: write.entityRef, version })
            .update({
              version: version + 1,
              updated_by: write.actor,
              updated_ms: now,
            });
          if (updated !== 1) {
            throw new VersionConflictError(
              await this.read(trx, write.entityRef),
            );
          }
        } else {
          try {
            await this.insertEntity(trx, write);
          } catch (error) {
            if (isUniqueViolation(error)) {
              throw new VersionConflictError(
                await this.read(this.db, write.entityRef),
              );
            }
            throw error;
          }
        }
        await this.upsertFields(trx, write.entityRef, write.set, write.actor);
        if (write.unset.length) {
          await trx('pc_fields')
            .where('entity_ref', write.entityRef)
            .whereIn('field', write.unset)
            .delete();
        }
        await this.bump(trx);
        await this.audit.record(write.audit, trx);
        return version + 1;
      }),
    );
  }

  remove(
    entityRef: string,
    expectedVersion: number,
    audit: AuditRecord[],
  ): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const deleted = await trx('pc_entities')
          .where({ entity_ref: entityRef, version: expectedVersion })
          .delete();
        if (deleted !== 1) {
          throw new VersionConflictError(await this.read(trx, entityRef));
        }
        // pc_fields rows go with ON DELETE CASCADE on PostgreSQL; SQLite enforces foreign
        // keys only when asked, so delete them explicitly on both.
        await trx('pc_fields').where('entity_ref', entityRef).delete();
        await this.bump(trx);
        await this.audit.record(audit, trx);
      }),
    );
  }

  revision(): Promise<number> {
    return guarded(async () => {
      const row = await this.db('pc_revision').where('id', 1).first();
      return Number(row?.revision ?? 0);
    });
  }

  feed(): Promise<StoreFeed> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const row = await trx('pc_revision').where('id', 1).first();
        const entities = await trx('pc_entities').select();
        const fields = await trx('pc_fields').select();
        const byRef = new Map<string, StoredProject>();
        for (const e of entities) byRef.set(e.entity_ref, toProject(e));
        for (const f of fields) {
          byRef.get(f.entity_ref)!.fields[f.field] = toField(f);
        }
        return {
          revision: Number(row?.revision ?? 0),
          projects: [...byRef.values()],
        };
      }),
    );
  }

  private async read(
    db: Knex | Knex.Transaction,
    entityRef: string,
  ): Promise<StoredProject | undefined> {
    const row = await db('pc_entities').where('entity_ref', entityRef).first();
    if (!row) return undefined;
    const project = toProject(row);
    const fields = await db('pc_fields').where('entity_ref', entityRef);
    for (const f of fields) project.fields[f.field] = toField(f);
    return project;
  }

  /** The first write of an entity: version 1. */
  private async insertEntity(
    trx: Knex.Transaction,
    write: { entityRef: string; origin: string; actor: string },
  ) {
    const now = this.clock();
    await trx('pc_entities').insert({
      entity_ref: write.entityRef,
      origin: write.origin,
      version: 1,
      created_by: write.actor,
      created_ms: now,
      updated_by: write.actor,
      updated_ms: now,
    });
  }

  private async upsertFields(
    trx: Knex.Transaction,
    entityRef: string,
    set: Record<string, unknown>,
    actor: string,
  ) {
    const rows = Object.entries(set).map(([field, value]) => ({
      entity_ref: entityRef,
      field,
      value: JSON.stringify(value),
      updated_by: actor,
      updated_ms: this.clock(),
    }));
    if (!rows.length) return;
    await trx('pc_fields')
      .insert(rows)
      .onConflict(['entity_ref', 'field'])
      .merge(['value', 'updated_by', 'updated_ms']);
  }

  private async bump(trx: Knex.Transaction) {
    await trx('pc_revision')
      .where('id', 1)
      .update({ revision: trx.raw('revision + 1') });
  }
}

function toProject(row: any): StoredProject {
  return {
    entityRef: row.entity_ref,
    origin: row.origin,
    version: Number(row.version),
    createdBy: row.created_by,
    createdMs: Number(row.created_ms),
    updatedBy: row.updated_by,
    updatedMs: Number(row.updated_ms),
    fields: {},
  };
}

function toField(row: any): StoredField {
  return {
    value: JSON.parse(row.value),
    updatedBy: row.updated_by,
    updatedMs: Number(row.updated_ms),
  };
}
