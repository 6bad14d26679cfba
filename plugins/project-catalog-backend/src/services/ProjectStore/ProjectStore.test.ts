import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateClient } from '../../database/migrations';
import { KnexAuditLog } from '../AuditLog/AuditLog';
import { KnexProjectStore, VersionConflictError } from './ProjectStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/payments-api';

describe.each(databases.eachSupportedId())('ProjectStore on %p', id => {
  async function setup() {
    const knex = await databases.init(id);
    await migrateClient(knex);
    const audit = new KnexAuditLog(knex);
    return { knex, audit, store: new KnexProjectStore(knex, audit) };
  }

  const write = (version: number, value: string) => ({
    entityRef: REF,
    origin: 'catalog' as const,
    expectedVersion: version,
    set: { description: value },
    unset: [],
    actor: `user:default/${value}`,
    audit: [
      {
        actor: `user:default/${value}`,
        action: 'project.update',
        entityRef: REF,
        field: 'description',
        after: value,
        outcome: 'succeeded' as const,
      },
    ],
  });

  it('lets exactly one of several writers of the same version win', async () => {
    const { store, audit } = await setup();
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map(v => store.write(write(0, v))),
    );
    const won = results.filter(r => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason.name] : [],
    );
    expect(lost).toEqual(['ConflictError', 'ConflictError', 'ConflictError']);
    const stored = await store.get(REF);
    expect(stored?.version).toBe(1);
    // Only the winner's audit row landed.
    const log = await audit.query({ entityRef: REF, limit: 10 });
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0].after).toBe(stored?.fields.description.value);
    expect(await store.revision()).toBe(1);
  });

  it('answers a stale version with the current state and who changed it', async () => {
    const { store } = await setup();
    await store.write(write(0, 'first'));
    const error = await store.write(write(0, 'second')).catch(e => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error.current).toMatchObject({
      version: 1,
      updatedBy: 'user:default/first',
      fields: { description: { value: 'first' } },
    });
  });

  it('writes nothing when the database fails half-way, and says 503', async () => {
    const { store, knex, audit } = await setup();
    await knex.schema.dropTable('pc_fields');
    const error = await store.write(write(0, 'lost')).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(/^The Project Catalog database failed: /);
    expect(await knex('pc_entities').count({ n: '*' })).toEqual([
      { n: expect.anything() },
    ]);
    expect(Number((await knex('pc_entities').count({ n: '*' }))[0].n)).toBe(0);
    expect(await store.revision()).toBe(0);
    expect((await audit.query({ limit: 10 })).entries).toEqual([]);
  });
});
