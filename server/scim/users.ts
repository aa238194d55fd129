// SCIM /Users endpoint handlers: each takes a ScimHttpRequest value and returns a ScimHttpResponse; no express here.
// RFC 7644 3.3 (create), 3.4.1 (get), 3.4.2 (list), 3.5.1 (PUT), 3.5.2 (PATCH), 3.6 (DELETE), 3.14; PRV-02..04, DEA-01.

import { formatScimEtag } from '../../protocol/scim/etag.ts';
import { parseScimListQuery, parseScimProjectionQuery } from '../../protocol/scim/list-query.ts';
import { applyScimPatch } from '../../protocol/scim/patch.ts';
import { projectScimResource } from '../../protocol/scim/projection.ts';
import type { ScimJsonObject, ScimListResponse } from '../../protocol/scim/schemas.ts';
import { SCIM_LIST_RESPONSE_SCHEMA } from '../../protocol/scim/schemas.ts';
import type { ScimDirectory, ScimUserRecord } from './directory.ts';
import type { ScimHandler, ScimHandlerSettings, ScimHttpRequest, ScimHttpResponse } from './exchange.ts';
import { expectedVersionFor, ifMatch, notModified, readScimJsonBody, resourceId } from './exchange.ts';
import { parseScimUserInput, toScimUser, userInputUnchanged } from './user-mapping.ts';

export interface ScimUserHandlers {
  create: ScimHandler;
  get: ScimHandler;
  list: ScimHandler;
  replace: ScimHandler;
  patch: ScimHandler;
  remove: ScimHandler;
}

/**
 * PATCH on a User: readOnly attributes are refused (mutability); displayName and emails are derived, so changes
 * to them are accepted and ignored like any other unmapped attribute (PRV-04).
 */
const USER_PATCH_READ_ONLY: ReadonlySet<string> = new Set(['id', 'meta', 'groups']);

export function createScimUserHandlers(
  directory: ScimDirectory,
  settings: ScimHandlerSettings,
): ScimUserHandlers {
  /** One User response: body projected per attributes/excludedAttributes, ETag and (for 201) Location. */
  function single(request: ScimHttpRequest, record: ScimUserRecord, status: number): ScimHttpResponse {
    const user = toScimUser(record, request.baseUrl);
    const headers: Record<string, string> = { ETag: user.meta.version };
    if (status === 201) headers.Location = user.meta.location;
    const projection = parseScimProjectionQuery(request.query);
    const body =
      projection.attributes === undefined && projection.excludedAttributes === undefined
        ? user
        : projectScimResource(user as unknown as ScimJsonObject, projection);
    return { status, headers, body };
  }

  return {
    /** RFC 7644 3.3: 201 with the full resource; duplicates 409 uniqueness (from the directory). */
    create(request) {
      const input = parseScimUserInput(readScimJsonBody(request), { requireSchemas: true });
      return single(request, directory.createUser(request.tenant.teamId, input), 201);
    },

    /** RFC 7644 3.4.1; DEA-01: a deactivated member still answers 200 with active=false. */
    get(request) {
      const record = directory.getUser(request.tenant.teamId, resourceId(request));
      if (notModified(request, record.version)) {
        return { status: 304, headers: { ETag: formatScimEtag(record.version) } };
      }
      return single(request, record, 200);
    },

    /** RFC 7644 3.4.2: filter/sort/page run in the directory's store; "not found" is 200 with totalResults 0. */
    list(request) {
      const params = parseScimListQuery(request.query, {
        maxCount: settings.maxResults,
        defaultCount: settings.defaultCount,
      });
      const query = {
        sortOrder: params.sortOrder,
        startIndex: params.startIndex,
        count: params.count,
        ...(params.filter === undefined ? {} : { filter: params.filter }),
        ...(params.sortBy === undefined ? {} : { sortBy: params.sortBy }),
      };
      const page = directory.listUsers(request.tenant.teamId, query);
      const projected = params.attributes !== undefined || params.excludedAttributes !== undefined;
      const resources = page.resources.slice(0, params.count).map((record) => {
        const user = toScimUser(record, request.baseUrl);
        return projected ? projectScimResource(user as unknown as ScimJsonObject, params) : user;
      });
      const body: ScimListResponse<unknown> = {
        schemas: [SCIM_LIST_RESPONSE_SCHEMA],
        totalResults: page.totalResults,
        startIndex: params.startIndex,
        itemsPerPage: resources.length,
        Resources: resources,
      };
      return { status: 200, headers: {}, body };
    },

    /** RFC 7644 3.5.1: PUT replaces the mapped attributes; id/meta in the body are ignored (readOnly). */
    replace(request) {
      const id = resourceId(request);
      const input = parseScimUserInput(readScimJsonBody(request), { requireSchemas: true });
      const expected = expectedVersionFor(
        ifMatch(request),
        () => directory.getUser(request.tenant.teamId, id).version,
      );
      return single(request, directory.replaceUser(request.tenant.teamId, id, input, expected), 200);
    },

    /**
     * RFC 7644 3.5.2: read the record, apply the PATCH to its JSON, re-validate (PRV-02/03/04), then replace at the
     * version read (optimistic concurrency). A PATCH that changes no mapped attribute writes nothing. Answers 200
     * with the resource (Okta reads it back).
     */
    patch(request) {
      const id = resourceId(request);
      const body = readScimJsonBody(request);
      const record = directory.getUser(request.tenant.teamId, id);
      expectedVersionFor(ifMatch(request), () => record.version);
      const current = toScimUser(record, request.baseUrl) as unknown as ScimJsonObject;
      const patched = applyScimPatch(current, body, {
        readOnlyAttributes: USER_PATCH_READ_ONLY,
        maxOperations: settings.maxPatchOperations,
      });
      const input = parseScimUserInput(patched, { requireSchemas: false });
      if (userInputUnchanged(record, input)) return single(request, record, 200);
      return single(request, directory.replaceUser(request.tenant.teamId, id, input, record.version), 200);
    },

    /** RFC 7644 3.6: 204; the directory answers 404 for an unknown id. */
    remove(request) {
      const id = resourceId(request);
      const expected = expectedVersionFor(
        ifMatch(request),
        () => directory.getUser(request.tenant.teamId, id).version,
      );
      directory.deleteUser(request.tenant.teamId, id, expected);
      return { status: 204, headers: {} };
    },
  };
}
