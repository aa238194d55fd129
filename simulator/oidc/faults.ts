// The OIDC fault catalogue for relying-party testing: each entry rewrites the ID token (or the authorization
// response) the way a broken or hostile OP would. OIDC core 3.1.3.7 (ID token validation), RFC 8725 (JWT BCP).

import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose';
import { generateSigningKey, type OidcKeySet } from './keys.ts';

export type OidcFaultId =
  | 'wrong-iss'
  | 'wrong-aud'
  | 'missing-nonce'
  | 'wrong-nonce'
  | 'expired'
  | 'alg-none'
  | 'hs256-public-key'
  | 'unknown-kid'
  | 'jwks-rotation'
  | 'wrong-at-hash'
  | 'wrong-c-hash'
  | 'state-mismatch';

export interface FaultContext {
  keys: OidcKeySet;
  accessToken: string | undefined;
  now: Date;
}

/** One catalogue entry (the same shape as the SAML fault catalogue's entries). */
export interface OidcFault {
  id: OidcFaultId;
  family: 'oidc-id-token' | 'oidc-signature' | 'oidc-keys' | 'oidc-authorization-response';
  explanation: string;
  /** The rule a sound RP applies, by spec section. */
  reference: string;
  /** `refuse`: a sound RP rejects the sign-in; `accept`: a sound RP copes and signs the person in. */
  expectedVerdict: 'refuse' | 'accept';
  /** Rewrites a signed ID token (the authorization-response fault leaves the token alone). */
  builder: (idToken: string, context: FaultContext) => Promise<string> | string;
}

/** Where wrong values point: a plainly foreign host (RFC 2606 reserves `.invalid`). */
export const FOREIGN_ISSUER = 'https://other-op.invalid/oauth2/default';
export const FOREIGN_AUDIENCE = '0oaOtherClient0000000';

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Re-signs changed claims with the OP's current key and kid: only the claim is wrong, the signature is sound. */
async function resign(claims: JWTPayload, context: FaultContext): Promise<string> {
  const key = context.keys.current;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

function claimsOf(idToken: string): JWTPayload {
  return { ...decodeJwt(idToken) };
}

/** OIDC core 3.1.3.8 / 3.3.2.11: the left half of the SHA-256 of the value, base64url. */
export function halfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export const OIDC_FAULTS: readonly OidcFault[] = [
  {
    id: 'wrong-iss',
    family: 'oidc-id-token',
    explanation: 'the ID token names another issuer',
    reference: 'OIDC core 3.1.3.7 step 2 (iss must equal the discovered issuer)',
    expectedVerdict: 'refuse',
    builder: (token, context) => resign({ ...claimsOf(token), iss: FOREIGN_ISSUER }, context),
  },
  {
    id: 'wrong-aud',
    family: 'oidc-id-token',
    explanation: "the ID token's audience is another client",
    reference: 'OIDC core 3.1.3.7 step 3 (aud must contain the client_id)',
    expectedVerdict: 'refuse',
    builder: (token, context) => resign({ ...claimsOf(token), aud: FOREIGN_AUDIENCE }, context),
  },
  {
    id: 'missing-nonce',
    family: 'oidc-id-token',
    explanation: 'the ID token carries no nonce although the request sent one',
    reference: 'OIDC core 3.1.3.7 step 11 (nonce must be present and equal the one sent)',
    expectedVerdict: 'refuse',
    builder: (token, context) => {
      const { nonce: _nonce, ...claims } = claimsOf(token);
      return resign(claims, context);
    },
  },
  {
    id: 'wrong-nonce',
    family: 'oidc-id-token',
    explanation: 'the ID token carries a nonce the RP never sent (a replayed token)',
    reference: 'OIDC core 3.1.3.7 step 11, 15.5.2 (nonce binds the token to the session)',
    expectedVerdict: 'refuse',
    builder: (token, context) =>
      resign({ ...claimsOf(token), nonce: randomBytes(16).toString('base64url') }, context),
  },
  {
    id: 'expired',
    family: 'oidc-id-token',
    explanation: 'the ID token expired ten minutes ago',
    reference: 'OIDC core 3.1.3.7 step 9 (the current time must be before exp)',
    expectedVerdict: 'refuse',
    builder: (token, context) => {
      const now = Math.floor(context.now.getTime() / 1000);
      return resign({ ...claimsOf(token), iat: now - 4200, exp: now - 600 }, context);
    },
  },
  {
    id: 'alg-none',
    family: 'oidc-signature',
    explanation: 'the ID token is unsigned (alg "none")',
    reference: 'OIDC core 3.1.3.7 step 7 (alg must be the registered RS256); RFC 8725 3.1',
    expectedVerdict: 'refuse',
    builder: (token) => `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${encodeSegment(claimsOf(token))}.`,
  },
  {
    id: 'hs256-public-key',
    family: 'oidc-signature',
    explanation: "the ID token is HMAC-signed (HS256) with the OP's public key as the secret (key confusion)",
    reference: 'RFC 8725 2.1 and 3.1 (algorithm verification); OIDC core 3.1.3.7 step 7',
    expectedVerdict: 'refuse',
    builder: (token, context) => {
      const key = context.keys.current;
      const header = decodeProtectedHeader(token);
      return new SignJWT(claimsOf(token))
        .setProtectedHeader({
          alg: 'HS256',
          typ: 'JWT',
          ...(header.kid === undefined ? {} : { kid: header.kid }),
        })
        .sign(createSecretKey(Buffer.from(key.publicPem, 'utf8')));
    },
  },
  {
    id: 'unknown-kid',
    family: 'oidc-keys',
    explanation: 'the ID token is signed by a key the JWKS never publishes',
    reference: 'OIDC core 10.1 (the signing key comes from the jwks_uri); RFC 7515 4.1.4 (kid)',
    expectedVerdict: 'refuse',
    builder: (token) => {
      const rogue = generateSigningKey();
      return new SignJWT(claimsOf(token))
        .setProtectedHeader({ alg: 'RS256', kid: rogue.kid, typ: 'JWT' })
        .sign(rogue.privateKey);
    },
  },
  {
    id: 'jwks-rotation',
    family: 'oidc-keys',
    explanation:
      'the OP rotates its signing key (the old one leaves the JWKS) just before this token: a sound RP refetches the JWKS and accepts',
    reference: 'OIDC core 10.1.1 (rotation: the RP refetches jwks_uri on an unknown kid)',
    expectedVerdict: 'accept',
    // The provider rotates (dropping the old key) before the builders run, so this re-signs with the new key.
    builder: (token, context) => resign(claimsOf(token), context),
  },
  {
    id: 'wrong-at-hash',
    family: 'oidc-id-token',
    explanation: 'at_hash does not match the access token (a token swapped in from another response)',
    reference: 'OIDC core 3.1.3.8 (at_hash, when present, must match the access token)',
    expectedVerdict: 'refuse',
    builder: (token, context) =>
      resign({ ...claimsOf(token), at_hash: halfHash(`${context.accessToken ?? ''}x`) }, context),
  },
  {
    id: 'wrong-c-hash',
    family: 'oidc-id-token',
    explanation: 'c_hash does not match the authorization code',
    reference: 'OIDC core 3.3.2.11 (c_hash, when present, must match the code)',
    expectedVerdict: 'refuse',
    builder: (token, context) =>
      resign({ ...claimsOf(token), c_hash: halfHash(randomBytes(16).toString('base64url')) }, context),
  },
  {
    id: 'state-mismatch',
    family: 'oidc-authorization-response',
    explanation: 'the authorization response carries a state the RP did not send (CSRF)',
    reference: 'RFC 6749 10.12 and 4.1.2 (state must equal the one sent); OIDC core 3.1.2.7',
    expectedVerdict: 'refuse',
    builder: (token) => token,
  },
];

export const OIDC_FAULT_IDS: readonly OidcFaultId[] = OIDC_FAULTS.map((f) => f.id);

export function isOidcFaultId(value: unknown): value is OidcFaultId {
  return typeof value === 'string' && (OIDC_FAULT_IDS as readonly string[]).includes(value);
}

export function oidcFault(id: OidcFaultId): OidcFault {
  const fault = OIDC_FAULTS.find((f) => f.id === id);
  if (fault === undefined) throw new Error(`unknown OIDC fault ${id}`);
  return fault;
}

/** Applies the token faults in catalogue order (the last signature wins). */
export async function applyTokenFaults(
  idToken: string,
  faults: readonly OidcFaultId[],
  context: FaultContext,
): Promise<string> {
  let token = idToken;
  for (const fault of OIDC_FAULTS) if (faults.includes(fault.id)) token = await fault.builder(token, context);
  return token;
}

/** `state-mismatch`: the redirect to the RP keeps its code but carries another state. */
export function stateFault(location: string): string {
  const url = new URL(location);
  url.searchParams.set('state', randomBytes(16).toString('base64url'));
  return url.toString();
}
