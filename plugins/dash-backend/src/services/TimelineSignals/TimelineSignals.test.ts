import { mockServices } from '@backstage/backend-test-utils';
import type { SignalsService } from '@backstage/plugin-signals-node';
import { TimelineSignals } from './TimelineSignals';

const A = 'component:default/payments-api';
const B = 'Component:default/Checkout-API';

function signalsMock() {
  const publish = jest.fn<Promise<void>, [unknown]>(async () => {});
  return { publish, service: { publish } as unknown as SignalsService };
}

describe('TimelineSignals', () => {
  it('coalesces the changes of one entity into one broadcast naming the entity and sources, never events', async () => {
    const { publish, service } = signalsMock();
    const signals = new TimelineSignals({
      signals: service,
      logger: mockServices.logger.mock(),
      coalesceMs: 10_000,
    });
    signals.changed(A, 'github');
    signals.changed(A, 'pagerduty');
    signals.changed(A, 'github');
    signals.changed(B, 'changes');
    expect(publish).not.toHaveBeenCalled();
    await signals.flush();
    expect(publish).toHaveBeenCalledTimes(2);
    expect(publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: 'dash:timeline:component:default/payments-api',
      message: { entityRef: A, sources: ['github', 'pagerduty'] },
    });
    expect(publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      // The channel is lower case, whatever the spelling of the ref.
      channel: 'dash:timeline:component:default/checkout-api',
      message: { entityRef: B, sources: ['changes'] },
    });
  });

  it('sends after the coalescing window by itself', async () => {
    const { publish, service } = signalsMock();
    const signals = new TimelineSignals({
      signals: service,
      logger: mockServices.logger.mock(),
      coalesceMs: 5,
    });
    signals.changed(A, 'github');
    for (let i = 0; i < 100 && publish.mock.calls.length === 0; i++) {
      await new Promise(r => setTimeout(r, 10));
    }
    expect(publish).toHaveBeenCalledTimes(1);
    // A later change is a new signal.
    signals.changed(A, 'grafana');
    await signals.flush();
    expect(publish).toHaveBeenCalledTimes(2);
  });

  it('logs and carries on when publishing fails, and does nothing without the signals service', async () => {
    const logger = mockServices.logger.mock();
    const service = {
      publish: jest.fn(async () => {
        throw new Error('events backend unreachable');
      }),
    } as unknown as SignalsService;
    const failing = new TimelineSignals({ signals: service, logger });
    failing.changed(A, 'github');
    await expect(failing.flush()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events backend unreachable'),
    );
    const without = new TimelineSignals({ logger });
    without.changed(A, 'github');
    await expect(without.flush()).resolves.toBeUndefined();
  });

  it('sends nothing after close', async () => {
    const { publish, service } = signalsMock();
    const signals = new TimelineSignals({
      signals: service,
      logger: mockServices.logger.mock(),
    });
    signals.changed(A, 'github');
    await signals.close();
    signals.changed(A, 'grafana');
    await signals.flush();
    expect(publish).toHaveBeenCalledTimes(1);
  });
});
