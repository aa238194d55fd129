// The console's OpenID Connect sign-in against startDemo() on port 0: turning the team's OIDC method on, signing an
// assigned person in over OIDC, the ID token on the timeline with its verdict, and turning it off (issue #14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';
import type { IdpStateView } from '../live-system.ts';
import type { OidcConsoleState } from '../oidc-console.ts';
import type { TimelineEntry } from '../timeline.ts';

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ logger: silentLogger, people: 4, assigned: 2 });
});
afterAll(async () => {
  await demo?.close();
});

async function action(name: string, body: unknown = {}) {
  const response = await fetch(`${demo.urls.console}api/actions/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function state(): Promise<{ idp: IdpStateView; oidc: OidcConsoleState }> {
  return (await (await fetch(`${demo.urls.console}api/state`)).json()) as {
    idp: IdpStateView;
    oidc: OidcConsoleState;
  };
}

describe('OIDC sign-in from the console', () => {
  it('is refused with a stable code until turned on', async () => {
    const person = (await state()).idp.people.find((p) => p.assigned);
    const refused = await action('oidc-sign-in', { personId: person?.id });
    expect(refused.status).toBe(409);
    expect((refused.json.error as { code: string }).code).toBe('not_available_for_target');
  });

  it('signs an assigned member in over OIDC and shows the checked ID token', async () => {
    const on = await action('oidc', { on: true });
    expect((on.json as unknown as { oidc: OidcConsoleState }).oidc.enabled).toBe(true);
    const person = (await state()).idp.people.find((p) => p.assigned);
    const { json } = await action('oidc-sign-in', { personId: person?.id });
    const outcome = json.outcome as { status: number; landedAt: string; errorCode: string | null };
    expect(outcome.errorCode).toBeNull();
    expect(outcome.landedAt).toBe(`${demo.urls.server}/teams/${demo.info.teamId}/home`);
    const { oidc } = await state();
    expect(oidc.idTokens[0]).toMatchObject({
      verdict: 'accepted',
      claims: { email: person?.login },
      header: { alg: 'RS256' },
    });
    const timeline = (await (await fetch(`${demo.urls.console}api/timeline`)).json()) as TimelineEntry[];
    expect(timeline.some((e) => e.kind === 'note' && e.title.startsWith('ID token accepted'))).toBe(true);
  });

  it('an unassigned person is refused by the IdP (not_assigned); turning OIDC off removes the method', async () => {
    const person = (await state()).idp.people.find((p) => !p.assigned);
    const { json } = await action('oidc-sign-in', { personId: person?.id });
    expect((json.outcome as { errorCode: string }).errorCode).toBe('not_assigned');
    const off = await action('oidc', { on: false });
    expect((off.json as unknown as { oidc: OidcConsoleState }).oidc.enabled).toBe(false);
  });
});
