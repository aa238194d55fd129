// The IdP's page titles name the product once, and the login page shows the configured hint (the demo's test
// password), escaped. idsim issue #15 items 5 and 13.
import { describe, expect, it } from 'vitest';
import { renderHomePage, renderLoginPage } from './pages.ts';

const titleOf = (html: string): string => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';

describe('IdP pages', () => {
  it('titles say "idsim IdP" once', () => {
    expect(titleOf(renderHomePage(undefined, []))).toBe('idsim IdP');
    expect(titleOf(renderHomePage({ login: 'a@example.com' }, []))).toBe('idsim IdP');
    expect(titleOf(renderLoginPage(undefined))).toBe('Sign in · idsim IdP');
  });

  it('shows the login hint, escaped, and nothing without one', () => {
    const html = renderLoginPage('ctx', undefined, { loginHint: 'password is <Passw0rd!>' });
    expect(html).toContain('<p class="hint" data-idsim-hint>password is &lt;Passw0rd!&gt;</p>');
    expect(renderLoginPage('ctx')).not.toContain('data-idsim-hint');
  });
});
