// SCIM /Groups endpoint handlers: each takes a ScimHttpRequest value and returns a ScimHttpResponse; no express here.
// RFC 7644 3.3, 3.4, 3.5.1, 3.5.2 (member add/remove paths), 3.6, 3.14; GRP-01 (unknown members), GRP-02, GRP-04.

import { formatScimEtag } from '../../protocol/scim/etag.ts';
import { parseScimListQuery, parseScimProjectionQuery } from '../../protocol/scim/list-query.ts';
import {
  applyScimPatchOperations,
  extractGroupMemberDelta,
  parseScimPatchRequest,
} from '../../protocol/scim/patch.ts';
import { projectScimResource } from '../../protocol/scim/projection.ts';
import type { ScimJsonObject, ScimListResponse } from '../../protocol/scim/schemas.ts';
import { SCIM_LIST_RESPONSE_SCHEMA } from '../../protocol/scim/schemas.ts';
import type { ScimDirectory, ScimGroupRecord } from './directory.ts';
import type { ScimHandler, ScimHandlerSettings, ScimHttpRequest, ScimHttpResponse } from './exchange.ts';
import { expectedVersionFor, ifMatch, notModified, readScimJsonBody, resourceId } from './exchange.ts';
import { parseScimGroupInput, toScimGroup } from './group-mapping.ts';

export interface ScimGroupHandlers {
  create: ScimHandler;
  get: ScimHandler;
  list: ScimHandler;
  replace: ScimHandler;
  patch: ScimHandler;
  remove: ScimHandler;
}

const GROUP_PATCH_READ_ONLY: ReadonlySet<string> = new Set(['id', 'meta']);

export function createScimGroupHandlers(
  directory: ScimDirectory,
  settings: ScimHandlerSettings,
): ScimGroupHandlers {
  function single(request: ScimHttpRequest, record: ScimGroupRecord, status: number): ScimHttpResponse {
    const group = toScimGroup(record, request.baseUrl);
    const headers: Record<string, string> = { ETag: group.meta.version };
    if (status === 201) headers.Location = group.meta.location;
    const projection = parseScimProjectionQuery(request.query);
    const body =
      projection.attributes === undefined && projection.excludedAttributes === undefined
        ? group
        : projectScimResource(group as unknown as ScimJsonObject, projection);
    return { status, headers, body };
  }

  return {
    /** RFC 7644 3.3; GRP-01: unknown member ids → 400 invalidValue from the directory, nothing stored. */
    create(request) {
      const input = parseScimGroupInput(readScimJsonBody(request), { requireSchemas: true });
      return single(request, directory.createGroup(request.tenant.teamId, input), 201);
    },

    get(request) {
      const record = directory.getGroup(request.tenant.teamId, resourceId(request));
      if (notModified(request, record.version)) {
        return { status: 304, headers: { ETag: formatScimEtag(record.version) } };
      }
      return single(request, record, 200);
    },

    /** RFC 7644 3.4.2; Entra ID lists with excludedAttributes=members. */
    list(request) {
      const params = parseScimListQuery(request.query, {
        maxCount: settings.maxResults,
        defaultCount: settings.defaultCount,
      });
      const page = directory.listGroups(request.tenant.teamId, {
        sortOrder: params.sortOrder,
        startIndex: params.startIndex,
        count: params.count,
        ...(params.filter === undefined ? {} : { filter: params.filter }),
        ...(params.sortBy === undefined ? {} : { sortBy: params.sortBy }),
      });
      const projected = params.attributes !== undefined || params.excludedAttributes !== undefined;
      const resources = page.resources.slice(0, params.count).map((record) => {
        const group = toScimGroup(record, request.baseUrl);
        return projected ? projectScimResource(group as unknown as ScimJsonObject, params) : group;
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

    replace(request) {
      const id = resourceId(request);
      const input = parseScimGroupInput(readScimJsonBody(request), { requireSchemas: true });
      const expected = expectedVersionFor(
        ifMatch(request),
        () => directory.getGroup(request.tenant.teamId, id).version,
      );
      return single(request, directory.replaceGroup(request.tenant.teamId, id, input, expected), 200);
    },

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
        const expected = expectedVersionFor(precondition, () => directory.getGroup(teamId, id).version);
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

    remove(request) {
      const id = resourceId(request);
      const expected = expectedVersionFor(
        ifMatch(request),
        () => directory.getGroup(request.tenant.teamId, id).version,
      );
      directory.deleteGroup(request.tenant.teamId, id, expected);
      return { status: 204, headers: {} };
    },
  };
}
