// The @saml-sp-security steps: the IdP's next Response carries a catalogue fault (simulator/saml/faults), posted to
// the target's ACS, and the SP's answer judged as the audit judges it (issue #11; SAML core 5, profiles 4.1.4).
import assert from 'node:assert/strict';
import { Given, Then } from '@cucumber/cucumber';
import { gatherNeeds, judge, spEncryptionCert } from '../conformance/saml-audit/audit.ts';
import { genuineBuilder } from '../simulator/saml/faults/genuine.ts';
import {
  buildFaultyResponse,
  type FaultBuild,
  FaultNotApplicable,
  findFault,
  unmetNeeds,
} from '../simulator/saml/faults/index.ts';
import { defaultSigningCredentials } from '../simulator/saml/keys.ts';
import { idpConnection, SIMULATED_IDP_ENTITY_ID } from './sso-fixture.ts';
import type { IdsimWorld } from './world.ts';

interface ArmedStepFault {
  id: string;
  /** whom forged identities name (an existing account), by person name */
  victim: string | null;
}

const armed = new WeakMap<IdsimWorld, ArmedStepFault>();
const lastFault = new WeakMap<IdsimWorld, { id: string; build: FaultBuild }>();
const lastGenuine = new WeakMap<IdsimWorld, { assertionId: string; xml: string }>();

/** Called by the SAML steps for every Response posted: a genuine one is remembered (replay faults use it). */
export function rememberGenuine(world: IdsimWorld, base64: string): void {
  const xml = Buffer.from(base64, 'base64').toString('utf8');
  const assertionId = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1];
  if (assertionId !== undefined) lastGenuine.set(world, { assertionId, xml });
}

/** With the control capability: a second SAML method of the scenario's team is "another SP" (its own entity ID). */
async function otherSpLoginUrl(world: IdsimWorld): Promise<string | null> {
  const control = world.target.control;
  if (control === null || world.team === null) return null;
  const owner = await world.accountIdOf(world.team.ownerName);
  const other = await control.addAuthMethod(world.team.teamId, owner, {
    kind: 'saml',
    label: 'Another SP',
    enabled: true,
    autoAddUsers: true,
    saml: idpConnection(),
  });
  return world.saml.loginUrl(other.id);
}

/**
 * The armed fault, if any, for this post (one shot): the faulty bytes (base64) made from a genuine Response for
 * `attacker`, or 'skipped' when the target lacks what the fault needs.
 */
export async function takeArmedFault(
  world: IdsimWorld,
  attackerName: string,
  endpoint: { acsUrl: string; audience: string; loginUrl: string | null },
): Promise<string | 'skipped' | null> {
  const fault = armed.get(world);
  if (fault === undefined) return null;
  armed.delete(world);
  const definition = findFault(fault.id);
  assert.ok(definition !== undefined, `no fault ${fault.id} in the catalogue`);
  const record = (exchange: Parameters<typeof world.transcript.push>[0]): void => {
    world.transcript.push(exchange);
  };
  const needs = await gatherNeeds(definition, {
    previous: lastGenuine.get(world),
    encryptionCert: () => spEncryptionCert(endpoint.audience, record),
    loginUrl: endpoint.loginUrl,
    otherLoginUrl: definition.needs?.includes('other-sp-request') ? await otherSpLoginUrl(world) : null,
    record,
  });
  const missing = unmetNeeds(definition, needs);
  if (missing.length > 0)
    return world.notApplicable({ missing: ['saml'], detail: `${fault.id} needs: ${missing.join(', ')}` });
  const attacker = world.person(attackerName).email;
  const victim = fault.victim === null ? `victim.${attacker}` : world.person(fault.victim).email;
  try {
    const built = await buildFaultyResponse(fault.id, {
      identities: { attacker, victim },
      idpEntityId: SIMULATED_IDP_ENTITY_ID,
      now: new Date(),
      genuine: genuineBuilder({
        issuer: SIMULATED_IDP_ENTITY_ID,
        acsUrl: endpoint.acsUrl,
        audience: endpoint.audience,
        credentials: defaultSigningCredentials(),
        now: () => new Date(),
      }),
      ...needs,
    });
    lastFault.set(world, { id: fault.id, build: built.faulty });
    return built.faulty.bytes.toString('base64');
  } catch (error) {
    if (error instanceof FaultNotApplicable)
      return world.notApplicable({ missing: ['saml'], detail: error.message });
    throw error;
  }
}

Given("the IdP's next Response carries the fault {string}", function (this: IdsimWorld, id: string) {
  assert.ok(findFault(id) !== undefined, `no fault ${id} in the catalogue (simulator/saml/faults)`);
  armed.set(this, { id, victim: null });
});

Given(
  "the IdP's next Response carries the fault {string} aimed at {person}",
  function (this: IdsimWorld, id: string, victim: string) {
    assert.ok(findFault(id) !== undefined, `no fault ${id} in the catalogue (simulator/saml/faults)`);
    armed.set(this, { id, victim });
  },
);

Then("the service provider gives the fault's expected verdict", function (this: IdsimWorld) {
  const posted = lastFault.get(this);
  assert.ok(posted !== undefined, 'no faulty Response was posted');
  const definition = findFault(posted.id);
  assert.ok(definition !== undefined && this.lastSignIn !== null);
  const verdict = judge(definition, this.lastSignIn, posted.build.signedIdentity);
  assert.ok(verdict.pass, `${posted.id} (${definition.expected}): ${verdict.verdict}. ${verdict.note}`);
});
