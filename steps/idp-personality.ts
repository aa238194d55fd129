// The provisioning steps' IdP when a personality is chosen (`Given the IdP is "OneLogin"`, or the runner's --idp):
// the simulator's real pusher for that IdP, its exchanges recorded in the scenario's transcript. issue #13.
import type { HttpReply } from '../conformance/target.ts';
import type { ScimExchange } from '../simulator/scim/client.ts';
import type { ScimDialect } from '../simulator/scim/dialect.ts';
import { isScimPushError } from '../simulator/scim/errors.ts';
import type { PushGroup, PushPerson } from '../simulator/scim/model.ts';
import {
  createPersonality,
  createPersonalityPusher,
  PERSONALITY_LABELS,
  type PersonalityName,
  personalityNamed,
} from '../simulator/scim/personalities.ts';
import type { ScimPusher } from '../simulator/scim/pusher.ts';
import type { JsonObject } from '../simulator/scim/wire.ts';
import { makeAppsBehaveAs } from './simulated-idp.ts';
import type { IdsimWorld } from './world.ts';

/** `Given the IdP is "PingFederate"`: the personality, or an error that lists the known ones. */
export function choosePersonality(world: IdsimWorld, text: string): PersonalityName {
  const name = personalityNamed(text);
  if (name === null) {
    throw new Error(`unknown IdP "${text}"; known: ${Object.values(PERSONALITY_LABELS).join(', ')}`);
  }
  world.idp = name;
  // the simulated IdP's apps sign in as that IdP too
  if (world.simulator !== null) makeAppsBehaveAs(world.simulator, name);
  return name;
}

export function dialectOf(world: IdsimWorld): ScimDialect | null {
  return world.idp === null ? null : createPersonality(world.idp).dialect;
}

/** The IdP's view of a named person in the provisioning features: given name = the name, family name "Tester". */
export function pushPersonOf(world: IdsimWorld, name: string): PushPerson {
  const known = world.pushedPeople.get(name);
  if (known) return { ...known };
  const { email } = world.person(name);
  return { id: `idp-${name}`, userName: email, givenName: name, familyName: 'Tester', email, active: true };
}

function replyOf(status: number | null, headers: Record<string, string>, body: unknown): HttpReply {
  const text =
    body === null || body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status: status ?? 0,
    headers,
    json: typeof body === 'string' ? null : (body ?? null),
    text,
    setCookies: [],
  };
}

/** A pusher's exchange in the scenario's transcript (the reports show what the IdP sent). */
export function recordPusherExchange(world: IdsimWorld, exchange: ScimExchange): void {
  world.transcript.push({
    channel: 'scim',
    method: exchange.method,
    url: exchange.url,
    requestHeaders: exchange.requestHeaders,
    requestBody: exchange.requestBody === null ? null : JSON.stringify(exchange.requestBody),
    status: exchange.status ?? 0,
    responseHeaders: exchange.responseHeaders,
    responseBody: exchange.responseBody === null ? '' : JSON.stringify(exchange.responseBody),
    at: exchange.at,
  });
}

/** The scenario's pusher for its personality: one per scenario, its exchanges in the transcript and lastScimReply. */
export async function personalityPusher(world: IdsimWorld): Promise<ScimPusher> {
  const name = world.idp;
  if (name === null) throw new Error('no IdP personality chosen');
  const key = `idp:${name}`;
  const known = world.pushers.get(key);
  if (known !== undefined) return known;
  const scim = await world.scim();
  const pusher = createPersonalityPusher(createPersonality(name), {
    baseUrl: scim.baseUrl,
    key: scim.bearerKey,
    keepTranscript: false,
    // a target's 5xx is a finding, not something to wait out in a conformance run
    retry: { maxAttempts: 2, baseDelayMs: 50 },
    onExchange: (exchange) => {
      recordPusherExchange(world, exchange);
      world.lastScimReply = replyOf(exchange.status, exchange.responseHeaders, exchange.responseBody);
    },
  });
  world.pushers.set(key, pusher);
  return pusher;
}

/**
 * Runs one pusher action; a refusal by the target is left in lastScimReply (the Then steps read it) instead of
 * failing the step, as the steps' own requests do.
 */
async function tolerated<T>(action: () => Promise<T>): Promise<T | null> {
  try {
    return await action();
  } catch (error) {
    // a refusal is the target's answer to check; a target defect (filters ignored, a 409 with nothing behind it, a
    // 2xx that is not SCIM) fails the step with the pusher's own explanation
    if (isScimPushError(error) && (error.code === 'request_rejected' || error.code === 'retries_exhausted')) {
      return null;
    }
    throw error;
  }
}

/** Assign (create or link) or change a person; the person's SCIM id is remembered when the app holds them. */
export async function pushPerson(world: IdsimWorld, name: string, person: PushPerson): Promise<void> {
  const pusher = await personalityPusher(world);
  const result = await tolerated(() => pusher.pushUser(person));
  if (result?.appId) {
    world.person(name).scimId = result.appId;
    world.pushedPeople.set(name, { ...person });
  }
}

export async function setPersonActive(world: IdsimWorld, name: string, active: boolean): Promise<void> {
  const pusher = await personalityPusher(world);
  const person = pushPersonOf(world, name);
  const result = await tolerated(() =>
    active ? pusher.reactivateUser(person.id) : pusher.deactivateUser(person.id),
  );
  if (result) world.pushedPeople.set(name, { ...person, active });
}

/** The personality's POST /Users body for a person, for steps that then leave something out or add to it. */
export function createBody(world: IdsimWorld, dialect: ScimDialect, name: string, email: string): JsonObject {
  return dialect.createUser({ ...pushPersonOf(world, name), userName: email, email });
}

function groupOf(world: IdsimWorld, displayName: string, names: readonly string[]): PushGroup {
  return {
    id: `idp-group-${displayName}`,
    displayName,
    memberIds: names.map((name) => pushPersonOf(world, name).id),
  };
}

/** GRP-02 / GRP-04: push a group (created empty, then members as the personality sends them), or its new members. */
export async function pushGroupAs(
  world: IdsimWorld,
  displayName: string,
  names: readonly string[],
): Promise<void> {
  const pusher = await personalityPusher(world);
  const group = groupOf(world, displayName, names);
  const known = pusher.appIdOfGroup(group.id) !== null;
  const result = await tolerated(() =>
    known ? pusher.pushMembership(group) : pusher.pushGroup(group, 'create'),
  );
  // after a create, "the SCIM request succeeds with status 201" reads the POST's reply, not the members PATCH's
  const createReply = known ? null : lastReplyTo(world, 'POST', '/Groups');
  if (result?.appId) world.groups.set(displayName, result.appId);
  if (createReply && result) world.lastScimReply = createReply;
  world.remembered.set(membersKey(displayName), names.join(','));
}

function membersKey(displayName: string): string {
  return `idp-group-members:${displayName}`;
}

/** GRP-03 link: the personality finds the team group by name, renames it and pushes the members. */
export async function linkGroupAs(
  world: IdsimWorld,
  displayName: string,
  names: readonly string[],
  teamGroup: string,
): Promise<void> {
  const pusher = await personalityPusher(world);
  const result = await tolerated(() =>
    pusher.pushGroup(groupOf(world, displayName, names), 'link', teamGroup),
  );
  if (result?.appId) world.groups.set(displayName, result.appId);
  world.remembered.set(membersKey(displayName), names.join(','));
}

/** The names the IdP last pushed as the group's members. */
export function groupMembersPushed(world: IdsimWorld, displayName: string): string[] {
  const list = world.remembered.get(membersKey(displayName)) ?? '';
  return list === '' ? [] : list.split(',');
}

function lastReplyTo(world: IdsimWorld, method: string, pathSuffix: string): HttpReply | null {
  for (let i = world.transcript.length - 1; i >= 0; i -= 1) {
    const exchange = world.transcript[i];
    if (exchange?.method === method && new URL(exchange.url).pathname.endsWith(pathSuffix)) {
      let json: unknown = null;
      try {
        json = exchange.responseBody === '' ? null : JSON.parse(exchange.responseBody);
      } catch {
        json = null;
      }
      return {
        status: exchange.status,
        headers: exchange.responseHeaders,
        json,
        text: exchange.responseBody,
        setCookies: [],
      };
    }
  }
  return null;
}
