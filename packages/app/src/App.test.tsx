import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

describe('App', () => {
  beforeEach(() => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'DASH test', baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    // No auth backend in a unit test: accept the sign-in page's offer of the frontend-only
    // guest identity.
    jest.spyOn(window, 'confirm').mockReturnValue(true);
  });

  it('signs in and shows the sidebar with its word mark and the catalog', async () => {
    render(App.createRoot());
    await userEvent.click(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 15000 }),
    );
    expect(
      await screen.findByRole('link', { name: 'Home' }, { timeout: 15000 }),
    ).toHaveTextContent('DASH');
    expect(
      await screen.findByRole('link', { name: 'Catalog' }),
    ).toBeInTheDocument();
    // The DASH plugin's page is in the sidebar.
    expect(await screen.findByRole('link', { name: 'DASH' })).toHaveAttribute(
      'href',
      '/dash',
    );
  }, 30000);
});
