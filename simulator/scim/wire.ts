// SCIM 2.0 wire shapes the pusher sends and reads: schema URNs, resources, list and PatchOp messages.
// RFC 7643 4.1 (User), 4.2 (Group), 8.7.1 (schema URIs); RFC 7644 3.4.2 (ListResponse), 3.5.2 (PatchOp), 3.12 (Error).

import {
  SCIM_ERROR_SCHEMA,
  SCIM_CONTENT_TYPE as SCIM_MEDIA_TYPE,
  SCIM_PATCH_OP_SCHEMA as SCIM_PATCH_OP_SCHEMA_URN,
} from '../../protocol/scim/schemas.ts';

// The URNs and media type come from the shared protocol vocabulary, so the pusher and the server cannot drift.
export {
  SCIM_CONTENT_TYPE,
  SCIM_ENTERPRISE_USER_SCHEMA as ENTERPRISE_USER_SCHEMA,
  SCIM_ERROR_SCHEMA as ERROR_SCHEMA,
  SCIM_GROUP_SCHEMA as GROUP_SCHEMA,
  SCIM_LIST_RESPONSE_SCHEMA as LIST_RESPONSE_SCHEMA,
  SCIM_PATCH_OP_SCHEMA as PATCH_OP_SCHEMA,
  SCIM_USER_SCHEMA as USER_SCHEMA,
} from '../../protocol/scim/schemas.ts';

/** RFC 8259 JSON value, as bodies travel. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A resource as read back from the server: any JSON object with its server-assigned id (RFC 7643 3.1). */
export type ScimResourceJson = JsonObject & { id: string };

export interface ScimMember {
  value: string;
  display?: string;
}

/** RFC 7644 3.4.2: the three numbers are integers; Resources may be absent when totalResults is 0. */
export interface ScimListResponse<T> {
  schemas: string[];
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources?: T[];
}

/** RFC 7644 3.5.2. `op` is a string, not a union: Entra capitalises it ("Replace"), Okta sends lower case. */
export type PatchOperation = {
  op: string;
  path?: string;
  value?: JsonValue;
};

export type PatchBody = {
  schemas: string[];
  Operations: PatchOperation[];
};

/** RFC 7644 3.12: status is a string on the wire. */
export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: string;
  detail?: string;
}

/** RFC 7644 3.4.2.2: a filter's comparison value as a double-quoted JSON string (`userName eq "a\\"b"`). */
export function quotedFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Accept (and, with a body, Content-Type) in one media type, plus an Authorization value when there is one. */
export function requestHeadersOf(
  authorization: string | null,
  hasBody: boolean,
  mediaType: string = SCIM_MEDIA_TYPE,
): Record<string, string> {
  const headers: Record<string, string> = { accept: mediaType };
  if (authorization !== null) headers.authorization = authorization;
  if (hasBody) headers['content-type'] = mediaType;
  return headers;
}

/** RFC 7644 3.5.2: a PatchOp message of these operations. */
export function patchOf(operations: PatchOperation[]): PatchBody {
  return { schemas: [SCIM_PATCH_OP_SCHEMA_URN], Operations: operations };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an RFC 7644 3.12 Error body, or null when the body is something else. */
export function readScimError(body: unknown): ScimErrorBody | null {
  if (!isJsonObject(body)) return null;
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SCIM_ERROR_SCHEMA)) return null;
  const error: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(body.status ?? '') };
  if (typeof body.scimType === 'string') error.scimType = body.scimType;
  if (typeof body.detail === 'string') error.detail = body.detail;
  return error;
}
