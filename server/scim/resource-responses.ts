// The response shapes every SCIM resource endpoint shares (Users and Groups): one resource with its ETag and
// Location, conditional GET, the ListResponse page, and DELETE. RFC 7644 3.3 (201 + Location), 3.4.1, 3.4.2, 3.6, 3.14.
import { formatScimEtag } from '../../protocol/scim/etag.ts';
import type { ScimQueryParams } from '../../protocol/scim/list-query.ts';
import {
  parseScimListQuery,
  parseScimProjectionQuery,
  searchRequestToQuery,
} from '../../protocol/scim/list-query.ts';
import { projectScimResource } from '../../protocol/scim/projection.ts';
import type { ScimJsonObject, ScimListResponse, ScimMeta } from '../../protocol/scim/schemas.ts';
import { SCIM_LIST_RESPONSE_SCHEMA } from '../../protocol/scim/schemas.ts';
import type { ScimListQuery, ScimPage } from './directory.ts';
import type { ScimHandlerSettings, ScimHttpRequest, ScimHttpResponse } from './exchange.ts';
import { expectedVersionFor, ifMatch, notModified, readScimJsonBody, resourceId } from './exchange.ts';

interface VersionedRecord {
  version: number;
}

export interface ScimResourceResponses<R extends VersionedRecord> {
  /** One resource, projected per attributes/excludedAttributes, with ETag and (for 201) Location. */
  single(request: ScimHttpRequest, record: R, status: number): ScimHttpResponse;
  /** POST (RFC 7644 3.3): 201 with the full resource and its Location. */
  create(request: ScimHttpRequest): ScimHttpResponse;
  /** PUT (RFC 7644 3.5.1) with an optional If-Match precondition. */
  replace(request: ScimHttpRequest): ScimHttpResponse;
  /** GET by id, answering 304 when If-None-Match still matches. */
  get(request: ScimHttpRequest): ScimHttpResponse;
  /** GET list: filter, sort and page run in the directory's store. */
  list(request: ScimHttpRequest): ScimHttpResponse;
  /** POST .search (RFC 7644 3.4.3): the same list, with the query in a SearchRequest body. */
  search(request: ScimHttpRequest): ScimHttpResponse;
  /** DELETE with an optional If-Match precondition. */
  remove(request: ScimHttpRequest): ScimHttpResponse;
  /** The version a write must find, from If-Match ('*' reads the current one). */
  expectedVersion(request: ScimHttpRequest, id: string): number | undefined;
}

export interface ScimResourceAccess<R extends VersionedRecord, I> {
  render(record: R, baseUrl: string): { meta: ScimMeta };
  /** A full POST/PUT body (schemas required) as the directory's input. */
  parse(body: unknown): I;
  create(teamId: string, input: I): R;
  replace(teamId: string, id: string, input: I, expectedVersion?: number): R;
  read(teamId: string, id: string): R;
  page(teamId: string, query: ScimListQuery): ScimPage<R>;
  delete(teamId: string, id: string, expectedVersion?: number): void;
}

export function createScimResourceResponses<R extends VersionedRecord, I>(
  access: ScimResourceAccess<R, I>,
  settings: ScimHandlerSettings,
): ScimResourceResponses<R> {
  const project = (
    resource: { meta: ScimMeta },
    params: ReturnType<typeof parseScimProjectionQuery>,
  ): unknown =>
    params.attributes === undefined && params.excludedAttributes === undefined
      ? resource
      : projectScimResource(resource as unknown as ScimJsonObject, params);

  const single = (request: ScimHttpRequest, record: R, status: number): ScimHttpResponse => {
    const resource = access.render(record, request.baseUrl);
    const headers: Record<string, string> = { ETag: resource.meta.version };
    if (status === 201) headers.Location = resource.meta.location;
    return { status, headers, body: project(resource, parseScimProjectionQuery(request.query)) };
  };

  const expectedVersion = (request: ScimHttpRequest, id: string): number | undefined =>
    expectedVersionFor(ifMatch(request), () => access.read(request.tenant.teamId, id).version);

  const list = (request: ScimHttpRequest, query: ScimQueryParams): ScimHttpResponse => {
    const params = parseScimListQuery(query, {
      maxCount: settings.maxResults,
      defaultCount: settings.defaultCount,
    });
    const page = access.page(request.tenant.teamId, {
      sortOrder: params.sortOrder,
      startIndex: params.startIndex,
      count: params.count,
      ...(params.filter === undefined ? {} : { filter: params.filter }),
      ...(params.sortBy === undefined ? {} : { sortBy: params.sortBy }),
    });
    const resources = page.resources
      .slice(0, params.count)
      .map((record) => project(access.render(record, request.baseUrl), params));
    const body: ScimListResponse<unknown> = {
      schemas: [SCIM_LIST_RESPONSE_SCHEMA],
      totalResults: page.totalResults,
      startIndex: params.startIndex,
      itemsPerPage: resources.length,
      Resources: resources,
    };
    return { status: 200, headers: {}, body };
  };

  return {
    single,
    expectedVersion,
    create(request) {
      const input = access.parse(readScimJsonBody(request));
      return single(request, access.create(request.tenant.teamId, input), 201);
    },
    replace(request) {
      const id = resourceId(request);
      const input = access.parse(readScimJsonBody(request));
      return single(
        request,
        access.replace(request.tenant.teamId, id, input, expectedVersion(request, id)),
        200,
      );
    },
    get(request) {
      const record = access.read(request.tenant.teamId, resourceId(request));
      if (notModified(request, record.version)) {
        return { status: 304, headers: { ETag: formatScimEtag(record.version) } };
      }
      return single(request, record, 200);
    },
    list(request) {
      return list(request, request.query);
    },
    search(request) {
      return list(request, searchRequestToQuery(readScimJsonBody(request)));
    },
    remove(request) {
      const id = resourceId(request);
      access.delete(request.tenant.teamId, id, expectedVersion(request, id));
      return { status: 204, headers: {} };
    },
  };
}
