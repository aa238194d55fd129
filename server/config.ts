// Configuration of the reference server: one documented defaults object, an input type and its resolved form
// (targets habit from node-oidc-provider lib/helpers/defaults.js and node-saml initialize()).
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ControlService } from './control/port.ts';
import type { Logger } from './http/logger.ts';
import { createJsonLineLogger } from './http/logger.ts';
import type { SignInMountOptions } from './http/signin-router.ts';
import type { TrafficRecorder } from './traffic/recorder.ts';

/** Where the server's parts live, relative to the base URL. */
export const SCIM_BASE_PATH = '/scim/v2';
export const CONTROL_PATH = '/control/v1';
export const HEALTH_PATH = '/health';

export interface ServerUrls {
  /** http://host:port, or the configured publicBaseUrl, without a trailing slash */
  base: string;
  /** OKT-01: the team's SCIM base URL, `${base}/scim/v2` */
  scim: string;
  /** the control API, `${base}/control/v1` */
  control: string;
  health: string;
}

/** What a mounted router may use; `urls()` throws until the server listens (unless publicBaseUrl is set). */
export interface RouterContext<Service extends ControlService = ControlService> {
  service: Service;
  logger: Logger;
  urls(): ServerUrls;
  /** the server's traffic recorder: SCIM requests and validated SAML messages, while someone subscribes */
  traffic?: TrafficRecorder;
}

/**
 * A router added by later work (SAML endpoints, sign-in pages): mounted at `path` after the built-in routes and
 * before the JSON 404. `create` runs once, when the server is built.
 */
export interface RouterMount<Service extends ControlService = ControlService> {
  path: string;
  create(context: RouterContext<Service>): RequestHandler;
  /** a line on the server's index page (`GET /`) linking to `${path}/` */
  indexLink?: string;
}

/** A further link on the index page (the demo adds the SP metadata and the IdP). */
export interface IndexLink {
  href: string;
  text: string;
}

export interface ServerConfigInput<Service extends ControlService = ControlService> {
  /** interface to bind; default 127.0.0.1 (loopback only) */
  host?: string;
  /** TCP port; default 0 (the OS picks a free one; read it from listen()) */
  port?: number;
  /** SQLite file, or ':memory:' (default) for a throw-away store */
  dbPath?: string;
  /** bearer token of the control API; default: 32 random bytes, base64url */
  controlToken?: string;
  /** SCIM request body limit; default 1 MiB */
  maxScimBodyBytes?: number;
  /** control API request body limit; default 1 MiB */
  maxControlBodyBytes?: number;
  /** externally visible base URL (behind a proxy); default: derived from host and port after listen() */
  publicBaseUrl?: string;
  /** default: JSON lines on stderr */
  logger?: Logger;
  /** routers of later work; see RouterMount. Mounted before the sign-in pages, so their paths win. */
  extraRouters?: RouterMount<Service>[];
  /** further links for the index page `GET /` (read on each request); hrefs may be absolute or server paths */
  indexLinks?: IndexLink[] | (() => IndexLink[]);
  /**
   * The SAML SP (`/saml`) and the sign-in pages (`/login`, `/signup`, `/{org}/login`, ...), mounted by default;
   * options for them (session secret, clock skew, outbox), or false for a server without them.
   */
  signIn?: SignInMountOptions | false;
}

export interface ServerConfig<Service extends ControlService = ControlService> {
  host: string;
  port: number;
  dbPath: string;
  controlToken: string;
  maxScimBodyBytes: number;
  maxControlBodyBytes: number;
  publicBaseUrl: string | null;
  logger: Logger;
  extraRouters: RouterMount<Service>[];
  indexLinks: () => IndexLink[];
  signIn: SignInMountOptions | false;
}

/** The documented defaults; functions where a value must be fresh per server. */
export const serverDefaults = {
  host: '127.0.0.1',
  port: 0,
  dbPath: ':memory:',
  controlToken: (): string => randomBytes(32).toString('base64url'),
  maxScimBodyBytes: 1024 * 1024,
  maxControlBodyBytes: 1024 * 1024,
  publicBaseUrl: null,
  logger: (): Logger => createJsonLineLogger(),
} as const;

function assertPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  return port;
}

function assertPositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function normaliseBaseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`publicBaseUrl must be http(s), got ${url}`);
  }
  return url.replace(/\/+$/, '');
}

export function resolveServerConfig<Service extends ControlService = ControlService>(
  input: ServerConfigInput<Service> = {},
): ServerConfig<Service> {
  const controlToken = input.controlToken ?? serverDefaults.controlToken();
  if (controlToken.length < 8) throw new RangeError('controlToken must be at least 8 characters');
  return {
    host: input.host ?? serverDefaults.host,
    port: assertPort(input.port ?? serverDefaults.port),
    dbPath: input.dbPath ?? serverDefaults.dbPath,
    controlToken,
    maxScimBodyBytes: assertPositiveInteger(
      'maxScimBodyBytes',
      input.maxScimBodyBytes ?? serverDefaults.maxScimBodyBytes,
    ),
    maxControlBodyBytes: assertPositiveInteger(
      'maxControlBodyBytes',
      input.maxControlBodyBytes ?? serverDefaults.maxControlBodyBytes,
    ),
    publicBaseUrl:
      input.publicBaseUrl === undefined
        ? serverDefaults.publicBaseUrl
        : normaliseBaseUrl(input.publicBaseUrl),
    logger: input.logger ?? serverDefaults.logger(),
    extraRouters: input.extraRouters ?? [],
    indexLinks: indexLinksOf(input.indexLinks),
    signIn: input.signIn ?? {},
  };
}

function indexLinksOf(input: IndexLink[] | (() => IndexLink[]) | undefined): () => IndexLink[] {
  if (typeof input === 'function') return input;
  const links = [...(input ?? [])];
  return () => links;
}

/** The URLs of a server whose base URL is known. */
export function serverUrls(base: string): ServerUrls {
  return {
    base,
    scim: `${base}${SCIM_BASE_PATH}`,
    control: `${base}${CONTROL_PATH}`,
    health: `${base}${HEALTH_PATH}`,
  };
}

/** Base URL for a bound address: wildcard binds are reached through loopback; IPv6 literals get brackets. */
export function baseUrlFor(host: string, port: number): string {
  let reachable = host;
  if (host === '0.0.0.0' || host === '') reachable = '127.0.0.1';
  else if (host === '::') reachable = '::1';
  return reachable.includes(':') ? `http://[${reachable}]:${port}` : `http://${reachable}:${port}`;
}
