// The console's JSON + SSE API against startDemo() on port 0: IdP actions, sign-in with SAML in the timeline, team
// settings, SCIM keys, scenarios (DEA-01), target switching, errors with stable codes. idsim issue #6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';
import type { IdpStateView, TeamStateView } from '../live-system.ts';
import type { TimelineEntry } from '../timeline.ts';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({ logger: silentLogger, people: 8, assigned: 3 });
});
afterAll(async () => {
  await demo?.close();
});

interface Outcome {
  ok: boolean;
  summary: string;
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function action(name: string, body: unknown = {}): Promise<Answer> {
  const response = await fetch(`${demo.urls.console}api/actions/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function state(): Promise<{ idp: IdpStateView; team: TeamStateView | null }> {
  const response = await fetch(`${demo.urls.console}api/state`);
  return (await response.json()) as { idp: IdpStateView; team: TeamStateView | null };
}

async function timeline(): Promise<TimelineEntry[]> {
  return (await (await fetch(`${demo.urls.console}api/timeline`)).json()) as TimelineEntry[];
}

describe('startDemo', () => {
  it('serves the console page and seeds both sides: assigned people are team members over SCIM', async () => {
    const page = await fetch(demo.urls.console);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>idsim console</title>');
    const { idp, team } = await state();
    const provisioned = idp.people.filter((p) => p.pushedAs !== null);
    expect(provisioned).toHaveLength(3);
    const emails = team?.members.map((m) => m.account.email) ?? [];
    for (const person of provisioned) expect(emails).toContain(person.login);
    expect(team?.team.plan).toBe('Enterprise');
  });
});

describe('IdP actions', () => {
  it('Test API Credentials succeeds with the seeded key', async () => {
    const { status, json } = await action('test-credentials');
    expect(status).toBe(200);
    expect(json.check).toMatchObject({ ok: true, status: 200 });
  });

  it('assign provisions the person; SP-initiated sign-in lands on the team home with SAML in the timeline', async () => {
    const person = (await state()).idp.people.find((p) => !p.assigned);
    if (!person) throw new Error('the seed left nobody unassigned');
    expect((await action('assign', { kind: 'person', id: person.id })).status).toBe(200);
    const after = await state();
    expect(after.idp.people.find((p) => p.id === person.id)?.pushedAs).not.toBeNull();
    expect(after.team?.members.some((m) => m.account.email === person.login)).toBe(true);

    const { json } = await action('sign-in', { personId: person.id, mode: 'sp' });
    const outcome = json.outcome as { status: number; landedAt: string; errorCode: string | null };
    expect(outcome.status).toBe(200);
    expect(outcome.errorCode).toBeNull();
    expect(outcome.landedAt).toBe(`${demo.urls.server}/teams/${demo.info.teamId}/home`);
    const saml = (await timeline()).filter((e) => e.kind === 'saml');
    expect(saml.map((e) => e.kind === 'saml' && e.message)).toEqual(
      expect.arrayContaining(['AuthnRequest', 'Response']),
    );
    const response = saml.findLast(
      (e) => e.kind === 'saml' && e.message === 'Response' && e.source === 'idp',
    );
    expect(response?.kind === 'saml' && response.signatureVerdict).toBe('valid (Response, Assertion)');
    // the SP's own record of the same Response: what it received and what it decided
    const validated = saml.findLast((e) => e.kind === 'saml' && e.source === 'server');
    expect(validated).toMatchObject({ message: 'Response', spVerdict: { accepted: true, code: null } });
    expect(validated?.kind === 'saml' && validated.rawXml).toBe(
      response?.kind === 'saml' ? response.rawXml : 'no IdP entry',
    );

    expect((await state()).idp.people.find((p) => p.id === person.id)?.sessions).toBe(1);
    const ended = await action('end-session', { personId: person.id });
    expect(ended.json.ended).toBe(1);
    expect((await state()).idp.people.find((p) => p.id === person.id)?.sessions).toBe(0);
  });

  it('Assertion encryption: off by default; on, the IdP encrypts and the SP decrypts (core 2.3.4)', async () => {
    const before = await state();
    expect(before.idp.app).toMatchObject({ assertionEncryption: false, spOffersEncryption: true });
    const person = before.idp.people.find((p) => p.assigned) ?? before.idp.people[0];
    if (!person) throw new Error('the seed made nobody');
    if (!person.assigned) await action('assign', { kind: 'person', id: person.id });
    expect((await action('assertion-encryption', { on: true })).status).toBe(200);
    expect((await state()).idp.app.assertionEncryption).toBe(true);
    try {
      const { json } = await action('sign-in', { personId: person.id, mode: 'idp' });
      const outcome = json.outcome as { status: number; errorCode: string | null; landedAt: string };
      expect(outcome.errorCode).toBeNull();
      expect(outcome.landedAt).toBe(`${demo.urls.server}/teams/${demo.info.teamId}/home`);
      const entries = await timeline();
      const response = entries.findLast(
        (e) => e.kind === 'saml' && e.message === 'Response' && e.source === 'idp',
      );
      // The assertion's own signature sits inside the EncryptedAssertion: only the Response signature is visible.
      expect(response?.kind === 'saml' && response.signatureVerdict).toBe('valid (Response)');
      if (response?.kind !== 'saml') throw new Error('no Response entry');
      // the bytes as sent hold only ciphertext; the plaintext the IdP encrypted is shown beside them (issue #15.9)
      expect(response.rawXml).toContain('EncryptedAssertion');
      expect(response.rawXml).not.toContain(person.login);
      expect(response.decryptedAssertion).toContain('<saml:Assertion');
      expect(response.decryptedAssertion).toContain(person.login);
      const validated = entries.findLast((e) => e.kind === 'saml' && e.source === 'server');
      expect(validated).toMatchObject({ spVerdict: { accepted: true } });
      expect(validated?.kind === 'saml' && validated.decryptedAssertion).toBe(response.decryptedAssertion);
    } finally {
      await action('assertion-encryption', { on: false });
    }
    expect((await action('assertion-encryption', { on: 'yes' })).status).toBe(400);
  });

  it('an unassigned person is refused by the IdP (not_assigned, JIT-08) and nothing reaches the team', async () => {
    const person = (await state()).idp.people.find((p) => !p.assigned);
    if (!person) throw new Error('nobody unassigned');
    const { json } = await action('sign-in', { personId: person.id, mode: 'idp' });
    expect((json.outcome as { errorCode: string }).errorCode).toBe('not_assigned');
    expect(demo.system.reference.service.findAccountByEmail(person.login)).toBeNull();
  });
});

describe("the server's own traffic on the timeline, whatever the client (issue #15.4)", () => {
  it('records a SCIM request from another client with its User-Agent, masking the key', async () => {
    const response = await fetch(`${demo.urls.scim}/Users?count=1&startIndex=1`, {
      headers: { authorization: `Bearer ${demo.info.scimKey}`, 'user-agent': 'curl/8.5.0' },
    });
    expect(response.status).toBe(200);
    const entry = (await timeline()).findLast((e) => e.kind === 'scim' && e.client === 'curl/8.5.0');
    expect(entry).toMatchObject({
      source: 'server',
      status: 200,
      title: 'GET /scim/v2/Users?count=1&startIndex=1 → 200 (from curl)',
    });
    const text = JSON.stringify(entry);
    expect(text).not.toContain(demo.info.scimKey);
    expect(entry?.kind === 'scim' && entry.exchange.requestHeaders.authorization).toMatch(
      /^Bearer idsim_scim_/,
    );
    expect(entry?.kind === 'scim' && entry.exchange.responseBody).toMatchObject({
      totalResults: expect.any(Number),
    });
  });

  it('records a refused SCIM request (wrong key) and a refused SAML Response with its code', async () => {
    await fetch(`${demo.urls.scim}/Users`, {
      headers: { authorization: 'Bearer nope', 'user-agent': 'probe/1' },
    });
    const refused = (await timeline()).findLast((e) => e.kind === 'scim' && e.client === 'probe/1');
    expect(refused).toMatchObject({ source: 'server', status: 401 });

    const acs = new URL(demo.urls.spLogin.replace(/\/login$/, '/acs'));
    const forged = Buffer.from(
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"/>',
    );
    const answer = await fetch(acs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 test' },
      body: new URLSearchParams({ SAMLResponse: forged.toString('base64') }),
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const entry = (await timeline()).findLast((e) => e.kind === 'saml' && e.source === 'server');
    expect(entry).toMatchObject({
      message: 'Response',
      binding: 'HTTP-POST',
      spVerdict: { accepted: false, code: expect.stringMatching(/^[a-z_]+$/) },
    });
    expect(entry?.title).toMatch(
      /^SP refused [a-z_]+: Response at POST \/saml\/.+\/acs \(HTTP-POST, from Mozilla\)$/,
    );
  });
});

describe('group push', () => {
  it('asks before a push assigns an unassigned group, refuses a second create, says what happened (#15.8)', async () => {
    const design = (await state()).idp.groups.find((g) => g.name === 'Design');
    if (!design || design.assigned) throw new Error('Design should start unassigned');
    const membersBefore = (await state()).team?.members.length;
    const asked = await action('push-group', { groupId: design.id, mode: 'create' });
    expect(asked.status).toBe(409);
    expect(asked.json).toMatchObject({ error: { code: 'group_not_assigned' } });
    expect((await state()).team?.members.length).toBe(membersBefore);
    expect((await state()).idp.groups.find((g) => g.id === design.id)).toMatchObject({
      assigned: false,
      pushedAs: null,
    });

    const confirmed = await action('push-group', { groupId: design.id, mode: 'create', assign: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toMatchObject({ result: { action: 'created' }, assignedNow: true });
    expect(confirmed.json.provisionedPeople).toBeGreaterThanOrEqual(0);

    const again = await action('push-group', { groupId: design.id, mode: 'create' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'already_pushed' } });
  });

  it('links an IdP group to an empty team group and renames it (GRP-03)', async () => {
    const { service, teamId, adminAccountId } = demo.system.reference;
    const empty = service.createGroup(teamId, adminAccountId, { displayName: 'Empty team group' });
    const sales = (await state()).idp.groups.find((g) => g.name === 'Sales');
    if (!sales) throw new Error('no Sales group');
    const { status, json } = await action('push-group', {
      groupId: sales.id,
      mode: 'link',
      linkTo: 'Empty team group',
      assign: true,
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({ result: { action: 'linked' }, appGroupId: empty.id });
    const linked = service.listGroups(teamId).find((g) => g.id === empty.id);
    expect(linked?.displayName).toBe('Sales');
    const pushed = (await state()).idp.groups.find((g) => g.id === sales.id);
    expect(pushed).toMatchObject({ assigned: true, pushedAs: empty.id });
  });

  it('an action name with a broken percent-escape is a 400, not a 500', async () => {
    const { status, json } = await action('%ZZ');
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('refuses a link to a team group that does not exist with link_target_not_found (409)', async () => {
    const engineering = (await state()).idp.groups.find((g) => g.name === 'Engineering');
    if (!engineering) throw new Error('no Engineering group');
    const { status, json } = await action('push-group', {
      groupId: engineering.id,
      mode: 'link',
      linkTo: 'Nope',
      assign: true,
    });
    expect(status).toBe(409);
    expect(json).toMatchObject({ error: { code: 'link_target_not_found' } });
  });
});

describe('team side', () => {
  it('saves "Automatically add new users" and the label of the SAML method', async () => {
    const method = (await state()).team?.methods.find((m) => m.kind === 'saml');
    if (!method) throw new Error('no SAML method');
    const { status } = await action('auth-method', {
      methodId: method.id,
      autoAddUsers: false,
      label: 'Okta',
    });
    expect(status).toBe(200);
    const saved = demo.system.reference.service.getAuthMethod(demo.info.teamId, method.id);
    expect(saved).toMatchObject({ autoAddUsers: false, label: 'Okta' });
    await action('auth-method', { methodId: method.id, autoAddUsers: true });
  });

  it("saves the SAML method's legacy SHA-1 opt-in with its IdP settings, off by default", async () => {
    const method = (await state()).team?.methods.find((m) => m.kind === 'saml');
    if (!method) throw new Error('no SAML method');
    const saml = () => demo.system.reference.service.getAuthMethod(demo.info.teamId, method.id).saml;
    expect(saml()?.allowSha1 ?? false).toBe(false);
    expect((await action('auth-method', { methodId: method.id, allowSha1: true })).status).toBe(200);
    expect(saml()).toMatchObject({ allowSha1: true, idpEntityId: method.saml?.idpEntityId });
    await action('auth-method', { methodId: method.id, allowSha1: false });
    expect(saml()?.allowSha1).toBe(false);
  });

  it('generates a SCIM key shown once and hands it to the app, so pushing keeps working', async () => {
    const { status, json } = await action('scim-key');
    expect(status).toBe(201);
    expect(typeof json.key).toBe('string');
    const keys = (await state()).team?.scimKeys ?? [];
    expect(JSON.stringify(keys)).not.toContain(json.key as string);
    expect(demo.system.simulator.directory.getApp(demo.system.appId).provisioning.bearerToken).toBe(json.key);
    expect((await action('test-credentials')).json.check).toMatchObject({ ok: true });
  });

  it('invites, changes plan and seats, and refuses an invalid role with invalid_input', async () => {
    expect((await action('invite', { email: 'new.hire@acme.example' })).status).toBe(201);
    expect(demo.system.reference.service.listInvites(demo.info.teamId).map((i) => i.email)).toContain(
      'new.hire@acme.example',
    );
    expect((await action('plan', { licensedSeats: 40 })).status).toBe(200);
    expect(demo.system.reference.service.getTeam(demo.info.teamId).seats.licensed).toBe(40);
    const refused = await action('member-role', { accountId: 'x', role: 'Owner' });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('scenarios', () => {
  async function playToTheEnd(
    row: string,
  ): Promise<{ finished: boolean; steps: string[]; outcomes: Outcome[] }> {
    const started = await action('scenario-start', { row });
    expect(started.status).toBe(200);
    let progress = started.json.scenario as { finished: boolean; steps: string[]; outcomes: Outcome[] };
    while (!progress.finished) {
      const next = await action('scenario-next');
      expect(next.status).toBe(200);
      progress = next.json.scenario as typeof progress;
    }
    return progress;
  }

  it('lists every catalogue row the scenarios cover, rows covered together named once each', async () => {
    const list = (await (await fetch(`${demo.urls.console}api/scenarios`)).json()) as {
      row: string;
      scenarioRow: string;
    }[];
    const rows = list.map((entry) => entry.row);
    expect(rows).toHaveLength(61);
    expect(list.find((entry) => entry.row === 'DEA-04')).toMatchObject({ scenarioRow: 'DEA-03' });
  });

  it('plays DEA-01: unassigning deactivates the member over SCIM', async () => {
    const progress = await playToTheEnd('DEA-01');
    expect(progress.outcomes.map((o) => o.ok)).toEqual(progress.steps.map(() => true));
    const login = /^(\S+) is an active member/.exec(progress.outcomes[0]?.summary ?? '')?.[1] ?? '';
    // the deactivation went over SCIM (the server recorded the pusher's PATCH), and the end of the scenario put the
    // team back as it was: the scenario's member is gone again (issue #15.2)
    expect(login).toMatch(/@/);
    const patched = (await timeline()).some(
      (e) =>
        e.kind === 'scim' &&
        e.source === 'server' &&
        (e.exchange.method === 'PATCH' || e.exchange.method === 'PUT') &&
        /"active":false|"value":false/.test(JSON.stringify(e.exchange.requestBody)),
    );
    expect(patched).toBe(true);
    expect(
      demo.system.reference.service.listMembers(demo.info.teamId).find((m) => m.account.email === login),
    ).toBeUndefined();
    expect(demo.system.simulator.directory.findPersonByLogin(login)).toBeUndefined();
    expect(progress).toMatchObject({ finished: true, restored: true, aborted: false });
    const again = await action('scenario-next');
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'scenario_finished' } });
  });

  it('plays DEA-08: reactivation does not restore access to a shared private workspace', async () => {
    const progress = await playToTheEnd('DEA-08');
    expect(progress.outcomes).toHaveLength(progress.steps.length);
    expect(progress.outcomes.every((o) => o.ok)).toBe(true);
    expect(progress.outcomes.find((o) => o.summary.includes('private: no access'))).toBeDefined();
  });

  it('Abort mid-way puts back what the scenario changed (JIT-01 turned "Automatically add new users" off)', async () => {
    const method = () =>
      demo.system.reference.service.listAuthMethods(demo.info.teamId).find((m) => m.kind === 'saml');
    const workspaces = demo.system.reference.service.listWorkspaces(demo.info.teamId).length;
    expect(method()?.autoAddUsers).toBe(true);
    expect((await action('scenario-start', { row: 'JIT-01' })).status).toBe(200);
    let progress: Record<string, unknown> = {};
    for (let i = 0; i < 3; i += 1)
      progress = (await action('scenario-next')).json.scenario as Record<string, unknown>;
    expect(progress).toMatchObject({ restored: false, finished: false });
    expect(method()?.autoAddUsers).toBe(false);
    const aborted = await action('scenario-abort');
    expect(aborted.json.scenario).toMatchObject({
      row: 'JIT-01',
      aborted: true,
      restored: true,
      finished: true,
    });
    expect(method()?.autoAddUsers).toBe(true);
    expect(demo.system.provisioning).toBe(true);
    expect(demo.system.reference.service.listWorkspaces(demo.info.teamId)).toHaveLength(workspaces);
  });

  it('answers unknown rows and actions with stable codes', async () => {
    expect((await action('scenario-start', { row: 'NOPE-99' })).json).toMatchObject({
      error: { code: 'unknown_scenario' },
    });
    const unknown = await action('no-such-action');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { code: 'invalid_input' } });
  });
});

describe('target switching', () => {
  it('drives another SCIM endpoint with its key, reports bad credentials, and switches back', async () => {
    const bad = await action('target', {
      kind: 'external',
      scimBaseUrl: demo.urls.scim,
      scimKey: 'wrong-key',
    });
    expect(bad.status).toBe(200);
    const { json } = await action('test-credentials');
    expect(json.check).toMatchObject({ ok: false, status: 401 });
    expect((await state()).team).toBeNull();
    expect((await action('auth-method', { methodId: 'x', enabled: true })).json).toMatchObject({
      error: { code: 'not_available_for_target' },
    });
    expect((await action('target', { kind: 'external', scimBaseUrl: 'ftp://x', scimKey: 'k' })).status).toBe(
      400,
    );

    expect((await action('target', { kind: 'reference' })).status).toBe(200);
    expect((await action('test-credentials')).json.check).toMatchObject({ ok: true });
    expect((await state()).team).not.toBeNull();
  });
});

describe('SSE stream', () => {
  it('sends earlier entries, then new ones as they happen', async () => {
    const controller = new AbortController();
    const response = await fetch(`${demo.urls.console}events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string): Promise<void> => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: entry');
    await action('provisioning', { on: false });
    await readUntil('Provisioning to the app turned off');
    await action('provisioning', { on: true });
    controller.abort();
    expect(text).toMatch(/id: \d+\nevent: entry\ndata: \{/);
  });
});
