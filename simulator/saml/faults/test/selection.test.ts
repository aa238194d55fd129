// Selecting a catalogue fault: per sign-in (`fault` on /api/signin and issueResponse), and the one-shot
// "next sign-in to app X carries fault Y" switch over HTTP and in code, against node-saml as the SP. Issue #11.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from '../../test/harness.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ validateInResponseTo: 'ifPresent' });
});
afterAll(() => rig.close());

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${rig.sim.baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const signIn = (extra: Record<string, unknown> = {}) =>
  api('POST', '/signin', { appId: rig.app.id, personId: rig.person.id, mode: 'idp', ...extra });

describe('selecting a fault', () => {
  it('lists the catalogue with families over HTTP', async () => {
    const { status, json } = await api('GET', '/faults');
    expect(status).toBe(200);
    expect((json.faults as unknown[]).length).toBeGreaterThanOrEqual(45);
    expect((json.families as { id: string }[]).map((f) => f.id)).toContain('wrapping');
  });

  it('arms the next sign-in to an app (one shot); the sign-in after it is genuine again', async () => {
    const armed = await api('POST', `/apps/${rig.app.id}/faults`, {
      fault: 'xsw3',
      victim: 'boss@example.com',
    });
    expect(armed.status).toBe(200);
    expect((await api('GET', `/apps/${rig.app.id}/faults`)).json.fault).toMatchObject({ fault: 'xsw3' });
    const faulty = await signIn();
    expect(faulty.json.samlResponse).toContain('boss@example.com');
    expect(faulty.json.status).toBe(401); // node-saml refuses the wrapped Response
    const [latest] = (await api('GET', '/signins')).json as unknown as {
      fault: string | null;
      genuineXml: string;
    }[];
    expect(latest?.fault).toBe('xsw3');
    expect(latest?.genuineXml).not.toContain('boss@example.com');
    const genuine = await signIn();
    expect(genuine.json.status).toBe(200);
    expect(genuine.json.samlResponse).not.toContain('boss@example.com');
  });

  it('takes a fault per sign-in on /api/signin, and the SP sees the faulty identity', async () => {
    const result = await signIn({ fault: 'ascii-case-variant', victim: rig.person.login });
    expect(result.json.status).toBe(200);
    const body = result.json.spBody as { nameID?: string };
    expect(body.nameID).not.toBe(rig.person.login);
    expect(body.nameID?.toLowerCase()).toBe(rig.person.login.toLowerCase());
  });

  it('refuses unknown faults and faults the IdP cannot build, with stable codes', async () => {
    const unknown = await api('POST', `/apps/${rig.app.id}/faults`, { fault: 'xsw99' });
    expect(unknown.status).toBe(400);
    const other = await api('POST', `/apps/${rig.app.id}/faults`, { fault: 'inresponseto-other-sp' });
    expect(other.status).toBe(409);
    expect(JSON.stringify(other.json)).toContain('fault_not_applicable');
  });

  it('builds a faulty Response in code (issueResponse) and arms one programmatically', async () => {
    const built = await rig.sim.idp.issueResponse({
      appId: rig.app.id,
      personId: rig.person.id,
      fault: 'sig-rsa-sha1',
    });
    expect(built.xml).toContain('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    rig.sim.idp.armFault(rig.app.id, { fault: 'unsigned' });
    const faulty = await signIn();
    expect(faulty.json.status).toBe(401);
    expect(faulty.json.samlResponse).not.toContain('SignatureValue');
  });
});
