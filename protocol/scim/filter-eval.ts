// In-memory evaluation of a parsed SCIM filter against a resource's JSON, with the same semantics as the SQL compiler.
// RFC 7644 3.4.2.2 (operators, complex attribute filters, multi-valued "any element" rule); RFC 7643 2.1 (caseExact).

import type { ScimFilter, ScimFilterValue } from './filter.ts';
import { canonicalAttributePath } from './filter.ts';
import type { ScimJsonObject } from './schemas.ts';

export interface ScimFilterEvalOptions {
  /** Canonical paths (lower case, no core URN) compared case-sensitively; all others ignore case (RFC 7643 2.1). */
  caseExactPaths?: ReadonlySet<string>;
  /** Canonical paths holding xsd:dateTime strings, ordered by instant rather than text. */
  dateTimePaths?: ReadonlySet<string>;
}

/** RFC 7643 4.1/4.2 and 3.1: id, externalId, meta.location and member references are caseExact. */
export const DEFAULT_CASE_EXACT_PATHS: ReadonlySet<string> = new Set([
  'id',
  'externalid',
  'meta.location',
  'meta.version',
  'members.value',
  'members.$ref',
  'groups.value',
]);

export const DEFAULT_DATE_TIME_PATHS: ReadonlySet<string> = new Set(['meta.created', 'meta.lastmodified']);

/**
 * True when the resource matches. A comparison on an absent attribute is false, `ne` on one is true (it is
 * `not eq`); a multi-valued attribute matches when any element does (RFC 7644 3.4.2.2).
 */
export function matchesScimFilter(
  resource: ScimJsonObject,
  filter: ScimFilter,
  options: ScimFilterEvalOptions = {},
): boolean {
  const resolved: ResolvedOptions = {
    caseExactPaths: options.caseExactPaths ?? DEFAULT_CASE_EXACT_PATHS,
    dateTimePaths: options.dateTimePaths ?? DEFAULT_DATE_TIME_PATHS,
  };
  return evaluate(resource, filter, '', resolved);
}

interface ResolvedOptions {
  caseExactPaths: ReadonlySet<string>;
  dateTimePaths: ReadonlySet<string>;
}

function evaluate(
  node: ScimJsonObject,
  filter: ScimFilter,
  prefix: string,
  options: ResolvedOptions,
): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every((child) => evaluate(node, child, prefix, options));
    case 'or':
      return filter.filters.some((child) => evaluate(node, child, prefix, options));
    case 'not':
      return !evaluate(node, filter.filter, prefix, options);
    case 'valuePath': {
      const key = canonicalAttributePath(filter.attribute);
      const elements = readValues(node, key).filter(isJsonObject);
      return elements.some((element) => evaluate(element, filter.filter, `${prefix}${key}.`, options));
    }
    case 'pr': {
      const key = canonicalAttributePath(filter.attribute);
      return readValues(node, key).some(isPresent);
    }
    default: {
      const key = canonicalAttributePath(filter.attribute);
      const path = `${prefix}${key}`;
      let values = readValues(node, key);
      // `emails eq "x"`: a multi-valued complex attribute without sub-attribute compares its `value`.
      values = values.flatMap((value) => (isJsonObject(value) ? readValues(value, 'value') : [value]));
      const matchesEq = (value: unknown) => compare(value, 'eq', filter.value, path, options);
      if (filter.op === 'ne') return !values.some(matchesEq);
      const op = filter.op;
      return values.some((value) => compare(value, op, filter.value, path, options));
    }
  }
}

/** Values at a canonical dotted path; arrays are flattened so a multi-valued attribute yields every element. */
function readValues(node: ScimJsonObject, canonicalPath: string): unknown[] {
  let segments: string[];
  let start: unknown = node;
  if (canonicalPath.startsWith('urn:')) {
    // Extension attribute: the resource holds the schema URN as a key, e.g. urn:...:enterprise:2.0:User.
    const extensionKey = Object.keys(node).find((key) => canonicalPath.startsWith(`${key.toLowerCase()}:`));
    if (extensionKey === undefined) return [];
    start = node[extensionKey];
    segments = canonicalPath.slice(extensionKey.length + 1).split('.');
  } else {
    segments = canonicalPath.split('.');
  }
  let current: unknown[] = [start];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of current) {
      if (!isJsonObject(value)) continue;
      const child = readKey(value, segment);
      if (Array.isArray(child)) next.push(...child);
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current;
}

/** RFC 7643 2.1: attribute names are case-insensitive. */
function readKey(node: ScimJsonObject, lowerName: string): unknown {
  if (lowerName in node) return node[lowerName];
  for (const key of Object.keys(node)) {
    if (key.toLowerCase() === lowerName) return node[key];
  }
  return undefined;
}

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (isJsonObject(value)) return Object.values(value).some(isPresent);
  return true;
}

function compare(
  actual: unknown,
  op: Exclude<ScimFilter['op'], 'and' | 'or' | 'not' | 'valuePath' | 'pr'>,
  expected: ScimFilterValue,
  path: string,
  options: ResolvedOptions,
): boolean {
  if (expected === null) return op === 'eq' ? actual === null : op === 'ne' ? actual !== null : false;
  if (actual === null || actual === undefined) return false;
  if (typeof expected === 'boolean') return typeof actual === 'boolean' && op === 'eq' && actual === expected;
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    return ordered(actual, expected, op);
  }
  if (typeof actual !== 'string') return false;
  if (options.dateTimePaths.has(path) && op !== 'co' && op !== 'sw' && op !== 'ew') {
    const left = Date.parse(actual);
    const right = Date.parse(expected);
    if (Number.isNaN(left) || Number.isNaN(right)) return false;
    return ordered(left, right, op);
  }
  const caseExact = options.caseExactPaths.has(path);
  const left = caseExact ? actual : actual.toLowerCase();
  const right = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    default:
      return ordered(left, right, op);
  }
}

function ordered<T extends string | number>(left: T, right: T, op: string): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    default:
      return false;
  }
}

function isJsonObject(value: unknown): value is ScimJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
