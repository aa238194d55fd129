// The IdP personalities the pusher can be: one name per IdP, its dialect and its client behaviour (concurrency,
// request timeout, retries, Entra's quarantine). issue #13; the dialect modules cite each quirk.
//
// Decided where vendors publish no numbers (all overridable through createPersonality's options):
// - concurrency (requests in flight): Okta 8, Entra 4, OneLogin 4, JumpCloud 4, Rippling 4, Ping 4 — small, because
//   each IdP throttles itself and a SaaS target must not be stormed by one tenant;
// - request timeout: 60 s for all; only Entra's is documented (Microsoft Q&A: "responses within 60 seconds");
// - retries: the client's default policy (6 tries, exponential back-off with jitter, Retry-After honoured);
// - quarantine: Entra only (Microsoft Learn, "Application provisioning in quarantine status"); see quarantine.ts.
import type { IdpPersonality } from '../directory/types.ts';
import { IDP_PERSONALITIES } from '../directory/types.ts';
import type { RetryPolicy } from './client.ts';
import type { ScimDialect } from './dialect.ts';
import type { EntraDialectOptions } from './entra.ts';
import { createEntraDialect } from './entra.ts';
import type { JumpCloudDialectOptions } from './jumpcloud.ts';
import { createJumpCloudDialect } from './jumpcloud.ts';
import type { OktaDialectOptions } from './okta.ts';
import { createOktaDialect } from './okta.ts';
import type { OneLoginDialectOptions } from './onelogin.ts';
import { createOneLoginDialect } from './onelogin.ts';
import type { PingDialectOptions } from './ping.ts';
import { createPingDialect } from './ping.ts';
import type { ScimPusherConfig } from './pusher.ts';
import { ScimPusher } from './pusher.ts';
import type { QuarantinePolicy } from './quarantine.ts';
import { ENTRA_QUARANTINE_POLICY, QuarantineMonitor } from './quarantine.ts';
import type { RipplingDialectOptions } from './rippling.ts';
import { createRipplingDialect } from './rippling.ts';

/** The directory's list, so an app's `idp` and the pusher's personality are one vocabulary. */
export const PERSONALITY_NAMES = IDP_PERSONALITIES;
export type PersonalityName = IdpPersonality;

/** The names people write in Gherkin, the console and the CLI, folded to the personality. */
const ALIASES: Record<string, PersonalityName> = {
  okta: 'okta',
  entra: 'entra',
  'entra id': 'entra',
  'microsoft entra id': 'entra',
  'azure ad': 'entra',
  onelogin: 'onelogin',
  jumpcloud: 'jumpcloud',
  rippling: 'rippling',
  ping: 'ping',
  pingfederate: 'ping',
  'ping federate': 'ping',
};

export const PERSONALITY_LABELS: Record<PersonalityName, string> = {
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  rippling: 'Rippling',
  ping: 'PingFederate',
};

export function isPersonalityName(value: unknown): value is PersonalityName {
  return typeof value === 'string' && (PERSONALITY_NAMES as readonly string[]).includes(value);
}

/** "OneLogin", "Microsoft Entra ID", "PingFederate", "ping" → the personality; null for an unknown IdP. */
export function personalityNamed(text: string): PersonalityName | null {
  return ALIASES[text.trim().toLowerCase()] ?? null;
}

export interface PersonalityClientSettings {
  concurrency: number;
  requestTimeoutMs: number;
  retry: Partial<RetryPolicy>;
  /** present for IdPs that quarantine a failing app (Entra) */
  quarantine?: QuarantinePolicy | undefined;
}

export interface ScimPersonality {
  name: PersonalityName;
  label: string;
  dialect: ScimDialect;
  client: PersonalityClientSettings;
}

export interface PersonalityOptions {
  okta?: OktaDialectOptions;
  entra?: EntraDialectOptions;
  onelogin?: OneLoginDialectOptions;
  jumpcloud?: JumpCloudDialectOptions;
  rippling?: RipplingDialectOptions;
  ping?: PingDialectOptions;
  client?: Partial<PersonalityClientSettings>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export function createPersonality(name: PersonalityName, options: PersonalityOptions = {}): ScimPersonality {
  const base = (
    dialect: ScimDialect,
    concurrency: number,
    quarantine?: QuarantinePolicy,
  ): ScimPersonality => ({
    name,
    label: PERSONALITY_LABELS[name],
    dialect,
    client: {
      concurrency,
      requestTimeoutMs: DEFAULT_TIMEOUT_MS,
      retry: {},
      quarantine,
      ...options.client,
    },
  });
  switch (name) {
    case 'okta':
      return base(createOktaDialect(options.okta), 8);
    case 'entra':
      return base(createEntraDialect(options.entra), 4, ENTRA_QUARANTINE_POLICY);
    case 'onelogin':
      return base(createOneLoginDialect(options.onelogin), 4);
    case 'jumpcloud':
      return base(createJumpCloudDialect(options.jumpcloud), 4);
    case 'rippling':
      return base(createRipplingDialect(options.rippling), 4);
    case 'ping':
      return base(createPingDialect(options.ping), 4);
  }
}

/**
 * A pusher that behaves as this personality: its dialect, concurrency, timeout, retries and (Entra) quarantine.
 * `overrides` win (tests shorten the timeout, inject sleep and clocks).
 */
export function createPersonalityPusher(
  personality: ScimPersonality,
  config: Omit<ScimPusherConfig, 'dialect'>,
): ScimPusher {
  const { quarantine: policy, ...client } = personality.client;
  const quarantine =
    config.quarantine ?? (policy === undefined ? undefined : new QuarantineMonitor(policy, config.now));
  return new ScimPusher({
    ...client,
    ...config,
    retry: { ...client.retry, ...config.retry },
    dialect: personality.dialect,
    ...(quarantine === undefined ? {} : { quarantine }),
  });
}
