// createServer() serves SSO and the sign-in pages by default (idsim issue #3): sign-up with domain capture (PRV-10,
// SSO-02), the password-reset outbox (JIT-07), the SP key pair from files (metadata 2.4.1.1), and opting out.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { certToBase64 } from '../../../protocol/saml/index.ts';
import { defaultSpCredentials } from '../../saml/sp-credentials.ts';
import { createServer, type ServerHandle } from '../app.ts';
import { silentLogger } from '../logger.ts';

const TOKEN = 'signin-default-control-token';
let running: ServerHandle | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(signIn?: false): Promise<ServerHandle> {
  running = createServer({
    controlToken: TOKEN,
    logger: silentLogger,
    ...(signIn === false ? { signIn } : {}),
  });
  await running.listen();
  return running;
}

function postForm(
  url: string,
  fields: Record<string, string>,
  accept = 'application/json',
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: new URLSearchParams(fields).toString(),
  });
}

/** An organisation that verified and captures `capture.example` into an Enterprise team. */
function capturingTeam(server: ServerHandle): { teamId: string } {
  const service = server.service;
  const { team } = service.createTeam({
    name: 'Capture',
    plan: 'Enterprise',
    licensedSeats: 5,
    owner: { email: 'owner@capture.example', givenName: 'O', familyName: 'W' },
  });
  service.addDomain(team.organisationId, 'capture.example');
  service.verifyDomain(team.organisationId, 'capture.example');
  service.setDomainCapture(team.organisationId, 'capture.example', team.id);
  return { teamId: team.id };
}

describe('PRV-10 / SSO-02 sign-up', () => {
  type Message = { kind: string; link: string; token: string };
  async function outbox(server: ServerHandle, to: string): Promise<Message[]> {
    const reply = await fetch(`${server.urls.control}/outbox?to=${encodeURIComponent(to)}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return (await reply.json()) as Message[];
  }

  it('POST /signup in a captured domain joins nothing until the e-mailed link is opened', async () => {
    const server = await start();
    const page = await fetch(`${server.urls.base}/signup`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-form="signup"');
    const { teamId } = capturingTeam(server);
    const fields = {
      email: 'Dan@Capture.example',
      givenName: 'Dan',
      familyName: 'D',
      password: 'dan-password-1',
    };
    const signedUp = await postForm(`${server.urls.base}/signup`, fields);
    expect(signedUp.status).toBe(200);
    expect(signedUp.headers.get('set-cookie')).toBeNull();
    const pending = await signedUp.text();
    expect(server.service.findAccountByEmail('dan@capture.example')).toBeNull();
    expect(server.service.listMembers(teamId)).toHaveLength(1);
    const login = await postForm(`${server.urls.base}/login`, {
      email: fields.email,
      password: fields.password,
    });
    expect(login.status).toBe(401);

    // the same answer, byte for byte, for an address that already has an account (which gets no link)
    const taken = await postForm(`${server.urls.base}/signup`, { ...fields, email: 'owner@capture.example' });
    expect([taken.status, await taken.text()]).toEqual([200, pending]);
    expect(await outbox(server, 'owner@capture.example')).toEqual([]);

    const [message] = await outbox(server, 'dan@capture.example');
    expect(message?.kind).toBe('signup_confirmation');
    expect(message?.link).toBe(`${server.urls.base}/signup/confirm?token=${message?.token}`);
    // opening the link shows a confirm button and uses nothing up (a mail scanner's GET)
    const shown = await fetch(message?.link ?? '');
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('data-form="signup-confirm"');
    expect(server.service.findAccountByEmail('dan@capture.example')).toBeNull();
    const confirm = (token: string, accept?: string) =>
      postForm(`${server.urls.base}/signup/confirm`, { token }, accept);
    const opened = await confirm(message?.token ?? '');
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/teams/${teamId}/home`);
    expect(opened.headers.get('set-cookie')).toContain('idsim_sp_session=');
    const account = server.service.findAccountByEmail('dan@capture.example');
    expect(account?.hasPassword).toBe(true);
    expect(server.service.getMember(teamId, account?.id ?? '').status).toBe('active');

    const again = await confirm(message?.token ?? '');
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: string }).code).toBe('confirmation_invalid');
    const html = await confirm('idsim_su_forged', 'text/html');
    expect(html.status).toBe(400);
    expect(await html.text()).toContain('data-error-code="confirmation_invalid"');
    expect(server.service.listMembers(teamId)).toHaveLength(2);
  });

  it('an email outside verified domains lands on the personal home at once; a taken one is account_exists', async () => {
    const server = await start();
    const fields = {
      email: 'eve@elsewhere.example',
      givenName: 'Eve',
      familyName: 'E',
      password: 'eve-pass-12',
    };
    const first = await postForm(`${server.urls.base}/signup`, fields);
    expect(first.headers.get('location')).toBe('/home');
    const again = await postForm(`${server.urls.base}/signup`, fields);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('account_exists');
    const short = await postForm(`${server.urls.base}/signup`, {
      ...fields,
      email: 'f@x.example',
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(server.service.findAccountByEmail('f@x.example')).toBeNull();
  });
});

describe('JIT-07 the outbox is the operator’s test mailbox', () => {
  it('a forgot-password link appears at GET /control/v1/outbox?to= and resets the password once', async () => {
    const server = await start();
    server.service.createTeam({
      name: 'Reset',
      plan: 'Free',
      licensedSeats: 1,
      owner: {
        email: 'zoe+tag@reset.example',
        givenName: 'Zoe',
        familyName: 'Q',
        password: 'old-password-1',
      },
    });
    const forgot = await postForm(`${server.urls.base}/forgot-password`, { email: 'zoe+tag@reset.example' });
    expect(forgot.status).toBe(200);
    const outboxUrl = `${server.urls.control}/outbox?to=${encodeURIComponent('Zoe+tag@reset.example')}`;
    expect((await fetch(outboxUrl)).status).toBe(401);
    const messages = (await fetch(outboxUrl, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) =>
      r.json(),
    )) as { to: string; link: string; token: string }[];
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.to).toBe('zoe+tag@reset.example');
    expect(message?.link).toBe(
      `${server.urls.base}/reset-password?token=${encodeURIComponent(message?.token ?? '')}`,
    );
    const reset = await postForm(`${server.urls.base}/reset-password`, {
      token: message?.token ?? '',
      password: 'new-password-1',
    });
    expect(reset.status).toBe(200);
    expect(server.service.verifyPassword('zoe+tag@reset.example', 'new-password-1').email).toBe(
      'zoe+tag@reset.example',
    );
    const again = await postForm(`${server.urls.base}/reset-password`, {
      token: message?.token ?? '',
      password: 'other-password-1',
    });
    expect(((await again.json()) as { code: string }).code).toBe('reset_token_invalid');
  });
});

describe('config.signIn', () => {
  it('mounts the SP and pages by default and exposes the SignInService; false leaves them out', async () => {
    const server = await start();
    expect(server.signIn).not.toBeNull();
    expect((await fetch(`${server.urls.base}/login`)).status).toBe(200);
    await server.close();
    const bare = await start(false);
    expect(bare.signIn).toBeNull();
    const login = await fetch(`${bare.urls.base}/login`);
    expect(login.status).toBe(404);
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });
});

describe('config.signIn: the SP key pair (spKeyFile / spCertFile)', () => {
  const fixture = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
  const rogueKey = fixture('../../saml/test/fixtures/rogue.key');
  const rogueCert = fixture('../../saml/test/fixtures/rogue.crt');

  it('is read from the files and published in every SAML method’s metadata', async () => {
    running = createServer({
      controlToken: TOKEN,
      logger: silentLogger,
      signIn: { spKeyFile: rogueKey, spCertFile: rogueCert },
    });
    await running.listen();
    const { team, owner } = running.service.createTeam({
      name: 'Keys',
      plan: 'Enterprise',
      licensedSeats: 2,
      owner: { email: 'owner@keys.example', givenName: 'O', familyName: 'K' },
    });
    const method = running.service.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      saml: {
        idpEntityId: 'https://idp.keys.example',
        idpSsoUrl: 'https://idp.keys.example/sso',
        idpCertificates: [readFileSync(rogueCert, 'utf8')],
      },
    });
    const metadata = await fetch(`${running.urls.base}/saml/${method.id}/metadata`).then((r) => r.text());
    const body = certToBase64(readFileSync(rogueCert, 'utf8'));
    expect(metadata.split(body).length - 1).toBe(2);
    expect(metadata).not.toContain(defaultSpCredentials().certBase64);
  });

  it('refuses to build a server from a mismatched pair, or from one file alone', () => {
    const spKey = fixture('../../saml/fixtures/sp.key');
    expect(() =>
      createServer({ logger: silentLogger, signIn: { spKeyFile: spKey, spCertFile: rogueCert } }),
    ).toThrow(/does not match/);
    expect(() => createServer({ logger: silentLogger, signIn: { spKeyFile: spKey } })).toThrow(
      /both or neither/,
    );
  });
});
