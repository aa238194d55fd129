// SCIM /Groups endpoint handlers: each takes a ScimHttpRequest value and returns a ScimHttpResponse; no express here.
// RFC 7644 3.3, 3.4, 3.5.1, 3.5.2 (member add/remove paths), 3.6, 3.14; GRP-01 (unknown members), GRP-02, GRP-04.

import { formatScimEtag } from '../../protocol/scim/etag.ts';
import {
  applyScimPatchOperations,
  extractGroupMemberDelta,
  parseScimPatchRequest,
} from '../../protocol/scim/patch.ts';
import type { ScimJsonObject } from '../../protocol/scim/schemas.ts';
import type { ScimDirectory, ScimGroupInput, ScimGroupRecord } from './directory.ts';
import type { ScimHandler, ScimHandlerSettings } from './exchange.ts';
import { expectedVersionFor, ifMatch, readScimJsonBody, resourceId } from './exchange.ts';
import { parseScimGroupInput, toScimGroup } from './group-mapping.ts';
import { createScimResourceResponses } from './resource-responses.ts';

export interface ScimGroupHandlers {
  create: ScimHandler;
  get: ScimHandler;
  list: ScimHandler;
  search: ScimHandler;
  replace: ScimHandler;
  patch: ScimHandler;
  remove: ScimHandler;
}

const GROUP_PATCH_READ_ONLY: ReadonlySet<string> = new Set(['id', 'meta']);

export function createScimGroupHandlers(
  directory: ScimDirectory,
  settings: ScimHandlerSettings,
): ScimGroupHandlers {
  const responses = createScimResourceResponses<ScimGroupRecord, ScimGroupInput>(
    {
      render: toScimGroup,
      parse: (body) => parseScimGroupInput(body, { requireSchemas: true }),
      create: (teamId, input) => directory.createGroup(teamId, input),
      replace: (teamId, id, input, expected) => directory.replaceGroup(teamId, id, input, expected),
      read: (teamId, id) => directory.getGroup(teamId, id),
      page: (teamId, query) => directory.listGroups(teamId, query),
      delete: (teamId, id, expected) => directory.deleteGroup(teamId, id, expected),
    },
    settings,
  );
  return {
    /** RFC 7644 3.3; GRP-01: unknown member ids → 400 invalidValue from the directory, nothing stored. */
    create: responses.create,

    get: responses.get,

    /** RFC 7644 3.4.2; Entra ID lists with excludedAttributes=members. */
    list: responses.list,

    /** RFC 7644 3.4.3: POST /.search under the resource type, the list query in a SearchRequest body. */
    search: responses.search,

    replace: responses.replace,

    /**
     * RFC 7644 3.5.2. Member add/remove and renames go to patchGroupMembers as a delta, so a large group is not
     * rewritten; any other PATCH is applied to the group's JSON and stored with replaceGroup at the version read.
     * Answers 204 No Content with the new ETag (RFC 7644 3.5.2 allows it; Entra ID expects it, Okta accepts it).
     */
    patch(request) {
      const id = resourceId(request);
      const teamId = request.tenant.teamId;
      const operations = parseScimPatchRequest(readScimJsonBody(request), {
        maxOperations: settings.maxPatchOperations,
      });
      const precondition = ifMatch(request);
      const delta = extractGroupMemberDelta(operations, id);
      let updated: ScimGroupRecord;
      if (delta !== undefined) {
        const expected = responses.expectedVersion(request, id);
        updated = directory.patchGroupMembers(teamId, id, delta, expected);
      } else {
        const record = directory.getGroup(teamId, id);
        expectedVersionFor(precondition, () => record.version);
        const current = toScimGroup(record, request.baseUrl) as unknown as ScimJsonObject;
        const patched = applyScimPatchOperations(current, operations, {
          readOnlyAttributes: GROUP_PATCH_READ_ONLY,
        });
        const input = parseScimGroupInput(patched, { requireSchemas: false });
        updated = directory.replaceGroup(teamId, id, input, record.version);
      }
      return { status: 204, headers: { ETag: formatScimEtag(updated.version) } };
    },

    remove: responses.remove,
  };
}
