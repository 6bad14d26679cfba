import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceStatusBar } from './SourceStatusBar';

const NOW = Date.parse('2026-03-03T06:00:00Z');
const REF = 'component:default/payments-api';

describe('SourceStatusBar while a source backs off', () => {
  it('says in the chip’s tooltip when the source tries its upstream again', async () => {
    await renderInTestApp(
      <SourceStatusBar
        states={[
          {
            id: 'github',
            title: 'GitHub',
            entityRef: REF,
            status: 'unauthorized',
            message: 'GitHub refused the credentials (401)',
            fetchedAt: '2026-03-03T05:00:00Z',
            nextAttemptAt: '2026-03-03T06:05:00Z',
          },
        ]}
        multipleEntities={false}
        now={NOW}
        tz="utc"
      />,
    );
    await userEvent.hover(screen.getByLabelText('GitHub: unauthorized'));
    expect(
      await screen.findByText(
        'unauthorized — GitHub refused the credentials (401) (last fetched 2026-03-03 05:00:00 UTC); next try 2026-03-03 06:05:00 UTC',
      ),
    ).toBeInTheDocument();
  });
});
