// The simulator's configuration: one documented defaults object, an input type and a resolved type.
// idsim issue #3; design.md ("config as an input type plus a resolved type, filled with ?? defaults").

import { randomBytes } from 'node:crypto';
import type { Directory } from './directory/index.ts';

export interface SimulatorConfig {
  /** Interface to bind. Default `127.0.0.1` (tests and CI never leave loopback). */
  host?: string | undefined;
  /** Port to bind. Default `0` (the OS picks a free one). */
  port?: number | undefined;
  /** Public base URL when behind a proxy; default `http://<host>:<bound port>`. */
  publicBaseUrl?: string | undefined;
  /** IdP entityID. Default `<baseUrl>/metadata` (known only once listening). */
  entityId?: string | undefined;
  /** Faker seed for the initial people. Default 1. */
  seed?: number | undefined;
  /** How many people to seed. Default 10. */
  people?: number | undefined;
  /** Group names to seed (each seeded person joins one). Default none. */
  groups?: string[] | undefined;
  /** Use this directory instead of seeding one (seed, people and groups are then ignored). */
  directory?: Directory | undefined;
  /** IdP session lifetime (SessionNotOnOrAfter). Default 8 hours. */
  sessionTtlMs?: number | undefined;
  /** Assertion and bearer confirmation lifetime. Default 5 minutes. */
  assertionTtlMs?: number | undefined;
  /** How long a pending sign-in waits at the login page. Default 10 minutes. */
  loginContextTtlMs?: number | undefined;
  /** Signing key and certificate (PEM). Default: the test-only fixture pair in simulator/saml/fixtures/. */
  signing?: { privateKeyPem: string; certPem: string } | undefined;
  /** The IdP's clock. Default `() => new Date()`; tests pass a movable clock. */
  now?: (() => Date) | undefined;
  /** Receives unexpected errors (answered as a generic 500 `internal_error`). Default: ignored. */
  onUnexpectedError?: ((error: unknown) => void) | undefined;
  /** The Okta management API token (`Authorization: SSWS <token>` on /api/v1). Default: random per instance. */
  oktaApiToken?: string | undefined;
  /** A line shown on the login page (a demo shows its test password there). Default none. */
  loginHint?: string | undefined;
}

export interface ResolvedSimulatorConfig {
  host: string;
  port: number;
  publicBaseUrl: string | undefined;
  entityId: string | undefined;
  seed: number;
  people: number;
  groups: string[];
  directory: Directory | undefined;
  sessionTtlMs: number;
  assertionTtlMs: number;
  loginContextTtlMs: number;
  signing: { privateKeyPem: string; certPem: string } | undefined;
  now: () => Date;
  onUnexpectedError: (error: unknown) => void;
  oktaApiToken: string;
  loginHint: string | undefined;
}

export const SIMULATOR_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  seed: 1,
  people: 10,
  sessionTtlMs: 8 * 60 * 60_000,
  assertionTtlMs: 5 * 60_000,
  loginContextTtlMs: 10 * 60_000,
} as const;

export function resolveSimulatorConfig(config: SimulatorConfig = {}): ResolvedSimulatorConfig {
  const positive = (name: string, value: number): number => {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
    return value;
  };
  return {
    host: config.host ?? SIMULATOR_DEFAULTS.host,
    port: config.port ?? SIMULATOR_DEFAULTS.port,
    publicBaseUrl: config.publicBaseUrl?.replace(/\/+$/, ''),
    entityId: config.entityId,
    seed: config.seed ?? SIMULATOR_DEFAULTS.seed,
    people: config.people ?? SIMULATOR_DEFAULTS.people,
    groups: config.groups ?? [],
    directory: config.directory,
    sessionTtlMs: positive('sessionTtlMs', config.sessionTtlMs ?? SIMULATOR_DEFAULTS.sessionTtlMs),
    assertionTtlMs: positive('assertionTtlMs', config.assertionTtlMs ?? SIMULATOR_DEFAULTS.assertionTtlMs),
    loginContextTtlMs: positive(
      'loginContextTtlMs',
      config.loginContextTtlMs ?? SIMULATOR_DEFAULTS.loginContextTtlMs,
    ),
    signing: config.signing,
    now: config.now ?? (() => new Date()),
    onUnexpectedError: config.onUnexpectedError ?? (() => {}),
    oktaApiToken: config.oktaApiToken ?? randomBytes(20).toString('base64url'),
    loginHint: config.loginHint,
  };
}
