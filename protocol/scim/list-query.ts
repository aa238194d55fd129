// Reads a SCIM list request's query parameters (or a POST .search body) into typed, clamped values.
// RFC 7644 3.4.2 (query), 3.4.2.2 (filter), 3.4.2.3 (sortBy/sortOrder), 3.4.2.4 (startIndex/count), 3.4.2.5 (attributes),
// 3.4.3 (SearchRequest).

import { ScimError } from './error.ts';
import type { ScimFilter } from './filter.ts';
import { parseScimFilter } from './filter.ts';
import { SCIM_SEARCH_REQUEST_SCHEMA } from './schemas.ts';

/** Query values as node's querystring / express 5 hand them over: repeated names become arrays. */
export type ScimQueryParams = Readonly<Record<string, string | string[] | undefined>>;

export interface ScimListQueryOptions {
  /** RFC 7644 3.4.2.4: a count above this is lowered to it; advertised as filter.maxResults. */
  maxCount: number;
  /** count when the client gives none. */
  defaultCount: number;
}

export interface ScimListParams {
  filter?: ScimFilter;
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  /** 1-based, at least 1 */
  startIndex: number;
  /** 0..maxCount */
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

export interface ScimProjectionParams {
  attributes?: string[];
  excludedAttributes?: string[];
}

const NAMES = [
  'filter',
  'sortby',
  'sortorder',
  'startindex',
  'count',
  'attributes',
  'excludedattributes',
] as const;
type ParamName = (typeof NAMES)[number];

/**
 * Parses a list query. Clamping per RFC 7644 3.4.2.4: startIndex < 1 → 1; count < 0 → 0; count > maxCount →
 * maxCount. Non-integer numbers, an unknown sortOrder and repeated parameters are 400 invalidValue; a bad filter
 * is 400 invalidFilter. Parameter names are matched case-insensitively (tolerance for IdPs).
 */
export function parseScimListQuery(query: ScimQueryParams, options: ScimListQueryOptions): ScimListParams {
  const values = readParams(query);
  const result: ScimListParams = {
    sortOrder: 'ascending',
    startIndex: 1,
    count: options.defaultCount,
    ...parseProjection(values),
  };
  const filter = values.filter;
  if (filter !== undefined) result.filter = parseScimFilter(filter);
  if (values.sortby !== undefined && values.sortby !== '') result.sortBy = values.sortby;
  if (values.sortorder !== undefined) {
    const order = values.sortorder.toLowerCase();
    if (order !== 'ascending' && order !== 'descending') {
      throw new ScimError(400, 'invalidValue', "sortOrder must be 'ascending' or 'descending'");
    }
    result.sortOrder = order;
  }
  if (values.startindex !== undefined)
    result.startIndex = Math.max(1, parseInteger('startIndex', values.startindex));
  if (values.count !== undefined) {
    result.count = Math.min(options.maxCount, Math.max(0, parseInteger('count', values.count)));
  }
  return result;
}

/** attributes / excludedAttributes alone, for GET of one resource and write responses (RFC 7644 3.9). */
export function parseScimProjectionQuery(query: ScimQueryParams): ScimProjectionParams {
  return parseProjection(readParams(query));
}

function readParams(query: ScimQueryParams): Partial<Record<ParamName, string>> {
  const values: Partial<Record<ParamName, string>> = {};
  for (const [name, raw] of Object.entries(query)) {
    const key = name.toLowerCase() as ParamName;
    if (!NAMES.includes(key) || raw === undefined) continue;
    if (Array.isArray(raw) || values[key] !== undefined) {
      throw new ScimError(
        400,
        'invalidValue',
        `query parameter '${name.slice(0, 40)}' is given more than once`,
      );
    }
    if (typeof raw !== 'string')
      throw new ScimError(400, 'invalidValue', `query parameter '${name}' is malformed`);
    values[key] = raw;
  }
  return values;
}

function parseProjection(values: Partial<Record<ParamName, string>>): ScimProjectionParams {
  const projection: ScimProjectionParams = {};
  const attributes = splitList(values.attributes);
  const excluded = splitList(values.excludedattributes);
  if (attributes !== undefined) projection.attributes = attributes;
  if (excluded !== undefined) projection.excludedAttributes = excluded;
  return projection;
}

/** RFC 7644 3.4.2.5: a comma-separated list of attribute names. */
function splitList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length === 0 ? undefined : names;
}

function parseInteger(name: string, text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d{1,15}$/.test(trimmed)) {
    throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
  }
  return Number.parseInt(trimmed, 10);
}

/**
 * RFC 7644 3.4.3: a SearchRequest body carries the list query as JSON (attributes and excludedAttributes as lists,
 * startIndex and count as integers). It becomes the equivalent query parameters, so one parser applies the same
 * clamping and errors to both forms. No SearchRequest schema, or not an object → 400 invalidSyntax; a member of the
 * wrong type → 400 invalidValue. Unknown members are ignored.
 */
export function searchRequestToQuery(body: unknown): ScimQueryParams {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ScimError(400, 'invalidSyntax', 'a SearchRequest must be a JSON object');
  }
  const request = body as Record<string, unknown>;
  const schemas = request.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SCIM_SEARCH_REQUEST_SCHEMA)) {
    throw new ScimError(400, 'invalidSyntax', `schemas must contain ${SCIM_SEARCH_REQUEST_SCHEMA}`);
  }
  const query: Record<string, string> = {};
  for (const name of ['filter', 'sortBy', 'sortOrder'] as const) {
    const value = request[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new ScimError(400, 'invalidValue', `${name} must be a string`);
    query[name] = value;
  }
  for (const name of ['startIndex', 'count'] as const) {
    const value = request[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
    }
    query[name] = String(value);
  }
  for (const name of ['attributes', 'excludedAttributes'] as const) {
    const value = request[name];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new ScimError(400, 'invalidValue', `${name} must be a list of attribute names`);
    }
    if (value.some((item) => item.includes(','))) {
      throw new ScimError(400, 'invalidValue', `${name} holds a name with a comma`);
    }
    query[name] = value.join(',');
  }
  return query;
}
