// Maps team members between the directory's ScimUserRecord and the SCIM User JSON, and validates User bodies.
// RFC 7643 4.1 (User), 3.1 (meta); PRV-01 (userName is the email), PRV-02 (names + active required), PRV-03, PRV-04.

import { ScimError } from '../../protocol/scim/error.ts';
import { formatScimEtag } from '../../protocol/scim/etag.ts';
import type { ScimJsonObject, ScimUser } from '../../protocol/scim/schemas.ts';
import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_USER_SCHEMA } from '../../protocol/scim/schemas.ts';
import type { ScimUserInput, ScimUserRecord } from './directory.ts';

/** Schemas a User body may declare; the enterprise extension is accepted and ignored (PRV-04). */
const KNOWN_USER_SCHEMAS: ReadonlySet<string> = new Set([
  SCIM_USER_SCHEMA.toLowerCase(),
  SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase(),
]);

/** Record → SCIM User. emails are derived from userName; displayName is "given family" (trimmed). */
export function toScimUser(record: ScimUserRecord, baseUrl: string): ScimUser {
  const user: ScimUser = {
    schemas: [SCIM_USER_SCHEMA],
    id: record.id,
    userName: record.userName,
    name: { givenName: record.givenName, familyName: record.familyName },
    displayName: `${record.givenName} ${record.familyName}`.trim(),
    emails: [{ value: record.userName, type: 'work', primary: true }],
    active: record.active,
    meta: {
      resourceType: 'User',
      created: record.created,
      lastModified: record.lastModified,
      location: `${baseUrl}/Users/${record.id}`,
      version: formatScimEtag(record.version),
    },
  };
  if (record.externalId !== null) user.externalId = record.externalId;
  return user;
}

export interface UserBodyRules {
  /** POST/PUT bodies must declare the User schema (RFC 7643 3); a patched resource already does. */
  requireSchemas: boolean;
}

/**
 * Validates a User body (POST, PUT, or a PATCH result) into ScimUserInput:
 * - schemas must include the core User schema and name no unknown schema → 400 invalidSyntax;
 * - PRV-03: a `password` attribute → 400 invalidValue (password sync is not supported);
 * - PRV-01: userName is a non-empty string → else 400 invalidValue;
 * - PRV-02: name.givenName, name.familyName (strings, blank allowed) and active must be present → 400 invalidValue;
 * - PRV-04: every other attribute is accepted and dropped; externalId is kept (RFC 7643 3.1 common attribute).
 * Attribute names match case-insensitively (RFC 7643 2.1); active accepts "true"/"false" strings (Entra ID).
 */
export function parseScimUserInput(body: unknown, rules: UserBodyRules): ScimUserInput {
  if (!isObject(body)) throw new ScimError(400, 'invalidSyntax', 'the User body must be a JSON object');
  checkSchemas(body, rules.requireSchemas);
  if (read(body, 'password') !== undefined) {
    throw new ScimError(400, 'invalidValue', 'password sync is not supported (PRV-03)');
  }
  const userName = read(body, 'userName');
  if (typeof userName !== 'string' || userName.trim() === '') {
    throw new ScimError(400, 'invalidValue', 'userName is required and must be a non-empty string');
  }
  const name = read(body, 'name');
  const givenName = isObject(name) ? read(name, 'givenName') : undefined;
  const familyName = isObject(name) ? read(name, 'familyName') : undefined;
  if (typeof givenName !== 'string') {
    throw new ScimError(400, 'invalidValue', 'name.givenName is required (it may be blank)');
  }
  if (typeof familyName !== 'string') {
    throw new ScimError(400, 'invalidValue', 'name.familyName is required (it may be blank)');
  }
  const active = readBoolean(read(body, 'active'));
  if (active === undefined)
    throw new ScimError(400, 'invalidValue', 'active is required and must be a boolean');
  const externalId = read(body, 'externalId');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') {
    throw new ScimError(400, 'invalidValue', 'externalId must be a string');
  }
  return {
    // never trimmed: the service refuses a non-canonical address (identity_invalid) instead of folding it (idsim #10)
    userName,
    externalId: typeof externalId === 'string' ? externalId : null,
    givenName,
    familyName,
    active,
  };
}

/** True when the input would change nothing of the record (a PATCH that only touched ignored attributes). */
export function userInputUnchanged(record: ScimUserRecord, input: ScimUserInput): boolean {
  return (
    record.userName === input.userName &&
    record.externalId === input.externalId &&
    record.givenName === input.givenName &&
    record.familyName === input.familyName &&
    record.active === input.active
  );
}

function checkSchemas(body: ScimJsonObject, required: boolean): void {
  const schemas = read(body, 'schemas');
  if (schemas === undefined && !required) return;
  if (!Array.isArray(schemas) || !schemas.some((schema) => schema === SCIM_USER_SCHEMA)) {
    throw new ScimError(400, 'invalidSyntax', `schemas must contain ${SCIM_USER_SCHEMA}`);
  }
  for (const schema of schemas) {
    if (typeof schema !== 'string' || !KNOWN_USER_SCHEMAS.has(schema.toLowerCase())) {
      throw new ScimError(400, 'invalidSyntax', `unknown schema '${String(schema).slice(0, 100)}'`);
    }
  }
}

/** Entra ID without its aadOptscim062020 flag sends booleans as "True"/"False". */
function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

function read(node: ScimJsonObject, name: string): unknown {
  if (Object.hasOwn(node, name)) return node[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(node)) {
    if (key.toLowerCase() === lower) return node[key];
  }
  return undefined;
}

function isObject(value: unknown): value is ScimJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
