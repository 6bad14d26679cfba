import {
  mockProjectCatalogApi,
  paymentsEntity,
  projectViewOf,
  responseError,
  PAYMENTS,
} from '../__testUtils__/fixtures';
import { describeWriteError, messageOf } from './writeError';

describe('describeWriteError', () => {
  it("uses the 409's current project when it carries one", async () => {
    const current = projectViewOf(paymentsEntity(), { version: 3 });
    const api = mockProjectCatalogApi();
    const error = await responseError(409, {
      error: { name: 'ConflictError', message: 'changed by ada' },
      response: { statusCode: 409 },
      current,
    });
    await expect(
      describeWriteError(error, { api, entityRef: PAYMENTS, version: 2 }),
    ).resolves.toEqual({ kind: 'version', current, message: 'changed by ada' });
    expect(api.getProject).not.toHaveBeenCalled();
  });

  it('reads the project again when the 409 body was not kept, and unwraps the message', async () => {
    const current = projectViewOf(paymentsEntity(), { version: 3 });
    const api = mockProjectCatalogApi(current);
    const error = await responseError(409, {
      error: { name: 'ConflictError', message: 'changed by ada' },
      current,
    });
    expect(messageOf(error)).toBe('changed by ada');
    await expect(
      describeWriteError(error, { api, entityRef: PAYMENTS, version: 2 }),
    ).resolves.toMatchObject({ kind: 'version', current });
  });

  it('calls a 409 at the same version, and other errors, a message', async () => {
    const api = mockProjectCatalogApi(projectViewOf(paymentsEntity()));
    const yaml = await responseError(409, {
      error: { name: 'ConflictError', message: 'tier is defined in x.yaml' },
      response: { statusCode: 409 },
    });
    await expect(
      describeWriteError(yaml, { api, entityRef: PAYMENTS, version: 0 }),
    ).resolves.toEqual({
      kind: 'message',
      status: 409,
      message: 'tier is defined in x.yaml',
    });
    await expect(
      describeWriteError(new Error('offline'), {
        api,
        entityRef: PAYMENTS,
        version: 0,
      }),
    ).resolves.toEqual({ kind: 'message', message: 'offline' });
  });
});
