// Applies attributes / excludedAttributes to a resource's JSON under the schema's `returned` characteristics.
// RFC 7644 3.4.2.5 (attributes, excludedAttributes) and 3.9; RFC 7643 2.2 and 7 (returned: always / never / default).

import { canonicalAttributePath } from './filter.ts';
import type { ScimProjectionParams } from './list-query.ts';
import type { ScimJsonObject } from './schemas.ts';

export interface ScimReturnedRules {
  /** Canonical top-level paths returned whatever the request says (RFC 7643 3.1: id; 3: schemas). */
  always: ReadonlySet<string>;
  /** Canonical paths never returned (RFC 7643 4.1: password). */
  never: ReadonlySet<string>;
}

export const DEFAULT_RETURNED_RULES: ScimReturnedRules = {
  always: new Set(['id', 'schemas']),
  never: new Set(['password']),
};

/**
 * Returns a new object. With `attributes`, only those paths (and the `always` ones) are kept; otherwise paths in
 * `excludedAttributes` are dropped, except `always` ones. A sub-attribute path (`name.givenName`,
 * `emails.value`) keeps or drops that sub-attribute inside every element. Names match case-insensitively and may
 * carry a schema URN. `never` attributes are always dropped.
 */
export function projectScimResource(
  resource: ScimJsonObject,
  params: ScimProjectionParams,
  rules: ScimReturnedRules = DEFAULT_RETURNED_RULES,
): ScimJsonObject {
  const base = dropNever(resource, rules);
  if (params.attributes !== undefined && params.attributes.length > 0) {
    const selected: ScimJsonObject = {};
    for (const key of Object.keys(base)) {
      if (rules.always.has(key.toLowerCase())) selected[key] = base[key];
    }
    for (const path of params.attributes) copyPath(base, selected, pathSegments(base, path));
    return selected;
  }
  if (params.excludedAttributes !== undefined && params.excludedAttributes.length > 0) {
    let result = base;
    for (const path of params.excludedAttributes) {
      const segments = pathSegments(base, path);
      const first = segments[0];
      if (first === undefined || (segments.length === 1 && rules.always.has(first.toLowerCase()))) continue;
      result = removePath(result, segments);
    }
    return result;
  }
  return base;
}

function dropNever(resource: ScimJsonObject, rules: ScimReturnedRules): ScimJsonObject {
  const copy: ScimJsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (!rules.never.has(key.toLowerCase())) copy[key] = value;
  }
  return copy;
}

/** Splits a requested path into actual keys: an extension URN becomes one segment naming the extension object. */
function pathSegments(resource: ScimJsonObject, path: string): string[] {
  const canonical = canonicalAttributePath(path);
  if (canonical.startsWith('urn:')) {
    const extension = Object.keys(resource).find(
      (key) => canonical === key.toLowerCase() || canonical.startsWith(`${key.toLowerCase()}:`),
    );
    if (extension === undefined) return [];
    const rest = canonical.slice(extension.length + 1);
    return rest === '' ? [extension] : [extension, ...rest.split('.')];
  }
  return canonical.split('.');
}

function findKey(node: ScimJsonObject, lowerName: string): string | undefined {
  return Object.keys(node).find((key) => key.toLowerCase() === lowerName.toLowerCase());
}

function copyPath(source: ScimJsonObject, target: ScimJsonObject, segments: string[]): void {
  const [first, ...rest] = segments;
  if (first === undefined) return;
  const key = findKey(source, first);
  if (key === undefined) return;
  const value = source[key];
  if (rest.length === 0) {
    target[key] = value;
    return;
  }
  if (Array.isArray(value)) {
    const existing = Array.isArray(target[key]) ? (target[key] as unknown[]) : value.map(() => ({}));
    target[key] = value.map((element, index) => {
      const into = isObject(existing[index]) ? (existing[index] as ScimJsonObject) : {};
      if (isObject(element)) copyPath(element, into, rest);
      return into;
    });
    return;
  }
  if (!isObject(value)) return;
  const into = isObject(target[key]) ? (target[key] as ScimJsonObject) : {};
  copyPath(value, into, rest);
  target[key] = into;
}

function removePath(node: ScimJsonObject, segments: string[]): ScimJsonObject {
  const [first, ...rest] = segments;
  if (first === undefined) return node;
  const key = findKey(node, first);
  if (key === undefined) return node;
  const copy: ScimJsonObject = { ...node };
  if (rest.length === 0) {
    delete copy[key];
    return copy;
  }
  const value = node[key];
  if (Array.isArray(value)) {
    copy[key] = value.map((element) => (isObject(element) ? removePath(element, rest) : element));
  } else if (isObject(value)) {
    copy[key] = removePath(value, rest);
  }
  return copy;
}

function isObject(value: unknown): value is ScimJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
