// Maps team groups between the directory's ScimGroupRecord and the SCIM Group JSON, and validates Group bodies.
// RFC 7643 4.2 (Group, members), 3.1 (meta); GRP-01 (members must exist: checked by the directory), GRP-02.

import { ScimError } from '../../protocol/scim/error.ts';
import { formatScimEtag } from '../../protocol/scim/etag.ts';
import type { ScimGroup, ScimJsonObject } from '../../protocol/scim/schemas.ts';
import { SCIM_GROUP_SCHEMA } from '../../protocol/scim/schemas.ts';
import type { ScimGroupInput, ScimGroupRecord } from './directory.ts';

export function toScimGroup(record: ScimGroupRecord, baseUrl: string): ScimGroup {
  const group: ScimGroup = {
    schemas: [SCIM_GROUP_SCHEMA],
    id: record.id,
    displayName: record.displayName,
    members: record.members.map((member) => ({
      value: member.value,
      display: member.display,
      type: 'User',
      $ref: `${baseUrl}/Users/${member.value}`,
    })),
    meta: {
      resourceType: 'Group',
      created: record.created,
      lastModified: record.lastModified,
      location: `${baseUrl}/Groups/${record.id}`,
      version: formatScimEtag(record.version),
    },
  };
  if (record.externalId !== null) group.externalId = record.externalId;
  return group;
}

/**
 * Validates a Group body (POST, PUT or a PATCH result): schemas must be exactly the core Group schema when
 * required (400 invalidSyntax), displayName a non-empty string and members an array of `{ value: string }`
 * (400 invalidValue). Duplicate member ids collapse to one. Other attributes are ignored.
 */
export function parseScimGroupInput(body: unknown, rules: { requireSchemas: boolean }): ScimGroupInput {
  if (!isObject(body)) throw new ScimError(400, 'invalidSyntax', 'the Group body must be a JSON object');
  const schemas = read(body, 'schemas');
  if (schemas !== undefined || rules.requireSchemas) {
    if (!Array.isArray(schemas) || !schemas.some((schema) => schema === SCIM_GROUP_SCHEMA)) {
      throw new ScimError(400, 'invalidSyntax', `schemas must contain ${SCIM_GROUP_SCHEMA}`);
    }
    const unknown = schemas.find((schema) => schema !== SCIM_GROUP_SCHEMA);
    if (unknown !== undefined) {
      throw new ScimError(400, 'invalidSyntax', `unknown schema '${String(unknown).slice(0, 100)}'`);
    }
  }
  const displayName = read(body, 'displayName');
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw new ScimError(400, 'invalidValue', 'displayName is required and must be a non-empty string');
  }
  const externalId = read(body, 'externalId');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') {
    throw new ScimError(400, 'invalidValue', 'externalId must be a string');
  }
  const members = read(body, 'members') ?? [];
  if (!Array.isArray(members)) throw new ScimError(400, 'invalidValue', 'members must be an array');
  const memberIds = new Set<string>();
  for (const member of members) {
    const value = isObject(member) ? read(member, 'value') : undefined;
    if (typeof value !== 'string' || value === '') {
      throw new ScimError(400, 'invalidValue', 'every member needs a string value (a User id)');
    }
    memberIds.add(value);
  }
  return {
    displayName,
    externalId: typeof externalId === 'string' ? externalId : null,
    memberIds: [...memberIds],
  };
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
