// SCIM /Users endpoint handlers: each takes a ScimHttpRequest value and returns a ScimHttpResponse; no express here.
// RFC 7644 3.3 (create), 3.4.1 (get), 3.4.2 (list), 3.5.1 (PUT), 3.5.2 (PATCH), 3.6 (DELETE), 3.14; PRV-02..04, DEA-01.

import { applyScimPatch } from '../../protocol/scim/patch.ts';
import type { ScimJsonObject } from '../../protocol/scim/schemas.ts';
import type { ScimDirectory, ScimUserInput, ScimUserRecord } from './directory.ts';
import type { ScimHandler, ScimHandlerSettings } from './exchange.ts';
import { expectedVersionFor, ifMatch, readScimJsonBody, resourceId } from './exchange.ts';
import { createScimResourceResponses } from './resource-responses.ts';
import { parseScimUserInput, toScimUser, userInputUnchanged } from './user-mapping.ts';

export interface ScimUserHandlers {
  create: ScimHandler;
  get: ScimHandler;
  list: ScimHandler;
  search: ScimHandler;
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
  const responses = createScimResourceResponses<ScimUserRecord, ScimUserInput>(
    {
      render: toScimUser,
      parse: (body) => parseScimUserInput(body, { requireSchemas: true }),
      create: (teamId, input) => directory.createUser(teamId, input),
      replace: (teamId, id, input, expected) => directory.replaceUser(teamId, id, input, expected),
      read: (teamId, id) => directory.getUser(teamId, id),
      page: (teamId, query) => directory.listUsers(teamId, query),
      delete: (teamId, id, expected) => directory.deleteUser(teamId, id, expected),
    },
    settings,
  );
  const { single } = responses;

  return {
    /** RFC 7644 3.3: 201 with the full resource; duplicates 409 uniqueness (from the directory). */
    create: responses.create,

    /** RFC 7644 3.4.1; DEA-01: a deactivated member still answers 200 with active=false. */
    get: responses.get,

    /** RFC 7644 3.4.2: filter/sort/page run in the directory's store; "not found" is 200 with totalResults 0. */
    list: responses.list,

    /** RFC 7644 3.4.3: POST /.search under the resource type, the list query in a SearchRequest body. */
    search: responses.search,

    /** RFC 7644 3.5.1: PUT replaces the mapped attributes; id/meta in the body are ignored (readOnly). */
    replace: responses.replace,

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
    remove: responses.remove,
  };
}
