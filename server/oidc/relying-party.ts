// The reference server's OpenID Connect relying party on openid-client 6: discovery, the code flow with PKCE, state
// and nonce, ID token validation (+ at_hash / c_hash), refusals classified into stable sign-in codes, a record per token.
// OIDC core 3.1.2.1, 3.1.3.7, 3.1.3.8, 3.3.2.11, 10.1.1; OIDC Discovery 1.0 section 4; RFC 7636; RFC 8725 3.1.

import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { SignInError, type SignInErrorCode } from '../signin/errors.ts';

export interface OidcClientSettings {
  methodId: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** scopes besides openid */
  scopes: readonly string[];
  redirectUri: string;
}

/** What the RP checked in one authorization response: the ID token decoded, and the verdict. */
export interface IdTokenRecord {
  methodId: string;
  at: string;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  /** `accepted`, or the refusal code */
  verdict: 'accepted' | SignInErrorCode;
  detail: string;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface ValidatedIdToken {
  claims: client.IDToken;
  idToken: string;
}

interface Discovered {
  server: client.ServerMetadata;
  /** the OP's JWKS (jose caches it and refetches on a kid it does not know, OIDC core 10.1.1) */
  keys: ReturnType<typeof createRemoteJWKSet>;
}

const RECORD_LIMIT = 200;
/** The alg the RP registers (id_token_signed_response_alg, OIDC core 3.1.3.7 step 7); nothing else is accepted. */
const ID_TOKEN_ALG = 'RS256';

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | null {
  if (segment === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** OIDC core 3.1.3.8 / 3.3.2.11: base64url of the left half of the SHA-256 (RS256) of the value. */
function halfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function verifySignature(idToken: string, keys: Discovered['keys']): Promise<void> {
  try {
    await jwtVerify(idToken, keys, { algorithms: [ID_TOKEN_ALG] });
  } catch (error) {
    if (error instanceof joseErrors.JWKSNoMatchingKey)
      throw new SignInError('unknown_signing_key', error.message);
    if (error instanceof joseErrors.JOSEAlgNotAllowed)
      throw new SignInError('algorithm_not_allowed', error.message);
    if (error instanceof joseErrors.JWTExpired) throw new SignInError('id_token_expired', error.message);
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new SignInError('signature_invalid', error.message);
    }
    throw new SignInError('id_token_invalid', String(error));
  }
}

/** Maps what openid-client threw onto a stable refusal code (the `code`s are oauth4webapi's error codes). */
export function classifyOidcError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof client.AuthorizationResponseError) {
    return new SignInError('idp_refused', `${error.error}: ${error.error_description ?? ''}`);
  }
  if (error instanceof client.ResponseBodyError) {
    return new SignInError('idp_refused', `token endpoint: ${error.error}`);
  }
  // openid-client wraps oauth4webapi's OperationProcessingError (message, cause.claim) in a ClientError.
  const outer = error as { code?: unknown; cause?: unknown };
  const e = (outer.cause instanceof Error ? outer.cause : error) as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const code = typeof outer.code === 'string' ? outer.code : typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as { claim?: unknown };
  const claim = typeof cause.claim === 'string' ? cause.claim : (/JWT "(\w+)"/.exec(message)?.[1] ?? '');
  const refuse = (c: SignInErrorCode): SignInError => new SignInError(c, message);
  if (/"state"/.test(message)) return refuse('state_mismatch');
  if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || /claim missing/.test(message)) {
    if (claim === 'iss') return refuse('issuer_mismatch');
    if (claim === 'aud' || claim === 'azp') return refuse('audience_mismatch');
    if (claim === 'nonce') return refuse('nonce_mismatch');
    return refuse('id_token_invalid');
  }
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return refuse('id_token_expired');
  if (code === 'OAUTH_KEY_SELECTION_FAILED') return refuse('unknown_signing_key');
  if (code === 'OAUTH_UNSUPPORTED_OPERATION' || /"alg"/.test(message)) return refuse('algorithm_not_allowed');
  if (/signature/.test(message)) return refuse('signature_invalid');
  if (error instanceof TypeError || /fetch failed|ECONNREFUSED|timed? ?out/i.test(message)) {
    return refuse('oidc_provider_unreachable');
  }
  return refuse('id_token_invalid');
}

/** One RP per server: discovery documents and JWKS cached per method configuration, a bounded record log. */
export class OidcRelyingParty {
  readonly #discovered = new Map<string, Promise<Discovered>>();
  readonly #records: IdTokenRecord[] = [];
  readonly #onRecord: ((record: IdTokenRecord) => void) | undefined;

  constructor(options: { onRecord?: (record: IdTokenRecord) => void } = {}) {
    this.#onRecord = options.onRecord;
  }

  /** Most recent first. */
  records(): IdTokenRecord[] {
    return [...this.#records].reverse();
  }

  /** OIDC core 3.1.2.1: the authentication request (code, PKCE S256, state, nonce; prompt/max_age when asked). */
  async authorizationRequest(
    settings: OidcClientSettings,
    options: { forceLogin?: boolean; maxAgeSeconds?: number } = {},
  ): Promise<AuthorizationRequest> {
    const config = await this.#configuration(settings);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: settings.redirectUri,
      scope: ['openid', ...settings.scopes].join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    // ORG-04 over OIDC: prompt=login is SAML's ForceAuthn (OIDC core 3.1.2.1).
    if (options.forceLogin === true) parameters.prompt = 'login';
    if (options.maxAgeSeconds !== undefined) parameters.max_age = String(options.maxAgeSeconds);
    return { url: client.buildAuthorizationUrl(config, parameters).href, state, nonce, codeVerifier };
  }

  /** The OP's end_session_endpoint for RP-initiated logout, or null when it offers none. */
  async endSessionUrl(settings: OidcClientSettings, postLogoutRedirectUri: string): Promise<string | null> {
    const config = await this.#configuration(settings);
    if (config.serverMetadata().end_session_endpoint === undefined) return null;
    return client.buildEndSessionUrl(config, {
      client_id: settings.clientId,
      post_logout_redirect_uri: postLogoutRedirectUri,
    }).href;
  }

  /**
   * The redirection endpoint: checks state, redeems the code (PKCE), validates the ID token (signature by a JWKS
   * key, iss, aud, exp, nonce, alg RS256), then at_hash and c_hash when present. Every outcome is recorded.
   */
  async redeem(
    settings: OidcClientSettings,
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<ValidatedIdToken> {
    let idToken: string | undefined;
    try {
      const discovered = await this.#discover(settings);
      const config = this.#configurationOf(settings, discovered);
      // Capture the token response so that a refused ID token is still recorded, decoded.
      config[client.customFetch] = async (url, init) => {
        const response = await fetch(url, init as RequestInit);
        const body = (await response
          .clone()
          .json()
          .catch(() => null)) as { id_token?: unknown } | null;
        if (typeof body?.id_token === 'string') idToken = body.id_token;
        return response;
      };
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (claims === undefined || tokens.id_token === undefined) {
        throw new SignInError('id_token_invalid', 'no ID token');
      }
      // openid-client leaves the signature of a token-endpoint ID token to TLS (core 3.1.3.7 step 6 allows it);
      // this RP verifies it against the OP's JWKS anyway: a key the OP does not publish signs nothing here.
      await verifySignature(tokens.id_token, discovered.keys);
      // OIDC core 3.1.3.8: an at_hash present must match the access token; 3.3.2.11: likewise c_hash and the code.
      if (typeof claims.at_hash === 'string' && claims.at_hash !== halfHash(tokens.access_token)) {
        throw new SignInError('token_hash_mismatch', 'at_hash');
      }
      const code = callbackUrl.searchParams.get('code') ?? '';
      if (typeof claims.c_hash === 'string' && claims.c_hash !== halfHash(code)) {
        throw new SignInError('token_hash_mismatch', 'c_hash');
      }
      this.#record(settings, tokens.id_token, 'accepted', '');
      return { claims, idToken: tokens.id_token };
    } catch (error) {
      const refusal = classifyOidcError(error);
      this.#record(settings, idToken, refusal.code, refusal.detail);
      throw refusal;
    }
  }

  #record(
    settings: OidcClientSettings,
    idToken: string | undefined,
    verdict: IdTokenRecord['verdict'],
    detail: string,
  ): void {
    const [header, payload] = idToken?.split('.') ?? [];
    const record: IdTokenRecord = {
      methodId: settings.methodId,
      at: new Date().toISOString(),
      header: decodeSegment(header),
      claims: decodeSegment(payload),
      verdict,
      detail,
    };
    this.#records.push(record);
    if (this.#records.length > RECORD_LIMIT) this.#records.shift();
    this.#onRecord?.(record);
  }

  async #configuration(settings: OidcClientSettings): Promise<client.Configuration> {
    return this.#configurationOf(settings, await this.#discover(settings));
  }

  /** A fresh Configuration per use over the cached discovery document and JWKS (see JWKS_REFETCH_AGE_S). */
  #configurationOf(settings: OidcClientSettings, discovered: Discovered): client.Configuration {
    const config = new client.Configuration(
      discovered.server,
      settings.clientId,
      settings.clientSecret === null ? { token_endpoint_auth_method: 'none' } : settings.clientSecret,
      settings.clientSecret === null ? client.None() : client.ClientSecretBasic(settings.clientSecret),
    );
    if (isLoopback(new URL(settings.issuer))) client.allowInsecureRequests(config);
    return config;
  }

  #discover(settings: OidcClientSettings): Promise<Discovered> {
    const key = JSON.stringify([settings.issuer, settings.clientId]);
    let found = this.#discovered.get(key);
    if (found === undefined) {
      const issuer = new URL(settings.issuer);
      // OIDC Discovery 1.0 section 4; plain http only for a loopback OP (tests, the demo).
      found = client
        .discovery(issuer, settings.clientId, undefined, undefined, {
          ...(isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : {}),
        })
        .then((config) => {
          const server = config.serverMetadata();
          if (server.jwks_uri === undefined) throw new Error('the OP publishes no jwks_uri');
          // cooldown 0: an unknown kid always refetches once (a rotation is picked up at the first new token)
          return { server, keys: createRemoteJWKSet(new URL(server.jwks_uri), { cooldownDuration: 0 }) };
        });
      found.catch(() => this.#discovered.delete(key));
      this.#discovered.set(key, found);
    }
    return found.catch((error: unknown) => {
      throw new SignInError('oidc_provider_unreachable', String(error));
    });
  }
}
