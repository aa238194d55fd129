// SCIM 2.0 wire vocabulary shared by the reference server and the simulator's pusher: URNs, media type, resource shapes.
// RFC 7643 3 (common attributes, meta), 4.1 (User), 4.2 (Group), 8.7.1 (schemas); RFC 7644 3.4.2 (ListResponse), 3.5.2 (PatchOp), 3.12 (Error).

/** RFC 7644 3.1 / 8.1: the SCIM media type. */
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const SCIM_BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const SCIM_SERVICE_PROVIDER_CONFIG_SCHEMA =
  'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const SCIM_RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCIM_SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** RFC 7643 3.1: meta is server-assigned and read-only. */
export interface ScimMeta {
  resourceType: string;
  created: string;
  lastModified: string;
  location: string;
  /** RFC 7644 3.14: the entity tag, weak here: W/"<version>" */
  version: string;
}

/** RFC 7643 2.4: a multi-valued attribute's element (emails, members, ...). */
export interface ScimMultiValue {
  value: string;
  type?: string;
  primary?: boolean;
  display?: string;
  $ref?: string;
}

/** RFC 7643 4.1: the User as this product renders it (PRV-01, PRV-04: only these attributes are mapped). */
export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { givenName: string; familyName: string; formatted?: string };
  displayName: string;
  emails: ScimMultiValue[];
  active: boolean;
  meta: ScimMeta;
}

/** RFC 7643 4.2: a Group; members carry the user id in `value`. */
export interface ScimGroup {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members: ScimMultiValue[];
  meta: ScimMeta;
}

/** RFC 7644 3.4.2: the list (query) response; the three numbers are integers. */
export interface ScimListResponse<T> {
  schemas: [typeof SCIM_LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/** RFC 7644 3.5.2: op values are case-insensitive in practice (Entra sends "Replace"). */
export interface ScimPatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export interface ScimPatchRequest {
  schemas: string[];
  Operations: ScimPatchOperation[];
}

/** RFC 7644 3.12: the Error response; status is a JSON string. */
export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: string;
  detail?: string;
}

/** A resource as a plain JSON object, for the generic filter evaluator, PATCH applier and projection. */
export type ScimJsonObject = { [key: string]: unknown };
