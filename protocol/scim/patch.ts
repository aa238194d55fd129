// SCIM PATCH: validates a PatchOp request and applies it to a resource's JSON, purely; extracts group member deltas.
// RFC 7644 3.5.2 (add 3.5.2.1, remove 3.5.2.2, replace 3.5.2.3, path grammar 3.10), with the Okta and Entra ID shapes.

import { ScimError } from './error.ts';
import type { ScimFilter } from './filter.ts';
import { canonicalAttributePath, parseScimFilter } from './filter.ts';
import { matchesScimFilter } from './filter-eval.ts';
import type { ScimJsonObject, ScimPatchOperation, ScimPatchRequest } from './schemas.ts';
import { SCIM_PATCH_OP_SCHEMA } from './schemas.ts';

export type ScimPatchOp = 'add' | 'replace' | 'remove';

export interface ScimPatchOptions {
  /** Canonical top-level attributes a client may not change (RFC 7643: id and meta are readOnly). */
  readOnlyAttributes?: ReadonlySet<string>;
  /**
   * Canonical paths of boolean attributes. Entra ID sends `"value": "False"` (a string) without its
   * aadOptscim062020 flag; such strings are turned into booleans on these paths.
   */
  booleanAttributes?: ReadonlySet<string>;
  /** Most operations accepted in one request. */
  maxOperations?: number;
  /**
   * Canonical `attribute.subAttribute` paths whose value, once set, a client may not change (RFC 7643 2.2
   * immutable): an add or replace aimed at them is 400 mutability. New elements still carry them.
   */
  immutableSubAttributes?: ReadonlySet<string>;
}

export const DEFAULT_PATCH_OPTIONS: Required<ScimPatchOptions> = {
  readOnlyAttributes: new Set(['id', 'meta', 'schemas', 'groups']),
  booleanAttributes: new Set(['active', 'emails.primary', 'phonenumbers.primary', 'addresses.primary']),
  maxOperations: 1000,
  // RFC 7643 8.7.1: members.value is immutable (changing it would silently swap one member for another).
  immutableSubAttributes: new Set(['members.value']),
};

/** A PATCH target parsed from RFC 7644 3.10's path grammar: `attr[.sub]`, `attr[filter][.sub]`, URN-qualified. */
export interface ScimPatchPath {
  /** The extension URN (as written) when the path names an extension attribute; undefined for core. */
  extension?: string;
  /** Top-level attribute name as written, without URN. */
  attribute: string;
  subAttribute?: string;
  valueFilter?: ScimFilter;
}

/** Validated operation: op lower-cased, path parsed. */
export interface ScimParsedOperation {
  op: ScimPatchOp;
  path?: ScimPatchPath;
  value?: unknown;
}

const ATTR_NAME = '[A-Za-z][A-Za-z0-9_$-]*';
const PATH_PATTERN = new RegExp(
  `^(?:(urn:[A-Za-z0-9.:_-]+):)?(${ATTR_NAME})(?:\\.(${ATTR_NAME}))?(?:\\[(.*)\\](?:\\.(${ATTR_NAME}))?)?$`,
  's',
);
const CORE_URN_PATTERN = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group)$/i;

/**
 * Checks the PatchOp envelope (RFC 7644 3.5.2): schemas must include the PatchOp URN, Operations must be a non-empty
 * array of objects whose `op` is add/replace/remove in any case (Entra sends "Replace"). Problems → 400 invalidSyntax,
 * bad paths → 400 invalidPath, bad path filters → 400 invalidFilter, remove without path → 400 noTarget.
 */
export function parseScimPatchRequest(body: unknown, options: ScimPatchOptions = {}): ScimParsedOperation[] {
  const maxOperations = options.maxOperations ?? DEFAULT_PATCH_OPTIONS.maxOperations;
  if (!isObject(body)) throw invalidSyntax('the PATCH body must be a JSON object');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((schema) => schema === SCIM_PATCH_OP_SCHEMA)) {
    throw invalidSyntax(`schemas must contain ${SCIM_PATCH_OP_SCHEMA}`);
  }
  const operations = readKey(body, 'operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax('Operations must be a non-empty array');
  }
  if (operations.length > maxOperations) {
    throw new ScimError(400, 'tooMany', `at most ${maxOperations} operations per PATCH request`);
  }
  return operations.map((operation) => parseOperation(operation));
}

function parseOperation(raw: unknown): ScimParsedOperation {
  if (!isObject(raw)) throw invalidSyntax('each operation must be a JSON object');
  const opText = readKey(raw, 'op');
  const op = typeof opText === 'string' ? opText.toLowerCase() : '';
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw invalidSyntax("operation 'op' must be add, replace or remove");
  }
  const pathText = readKey(raw, 'path');
  const value = readKey(raw, 'value');
  const parsed: ScimParsedOperation = { op };
  if (value !== undefined) parsed.value = value;
  if (pathText !== undefined && pathText !== null && pathText !== '') {
    if (typeof pathText !== 'string') throw new ScimError(400, 'invalidPath', 'path must be a string');
    parsed.path = parseScimPatchPath(pathText);
  }
  if (op === 'remove' && parsed.path === undefined) {
    // RFC 7644 3.5.2.2: remove without a path fails with noTarget.
    throw new ScimError(400, 'noTarget', 'remove needs a path');
  }
  if (op !== 'remove' && value === undefined) throw invalidValue(`${op} needs a value`);
  if (parsed.path === undefined && !isObject(value)) {
    // RFC 7644 3.5.2.1 / 3.5.2.3: without a path the value is an object of attributes.
    throw invalidValue(`${op} without a path needs an object value`);
  }
  return parsed;
}

/** Parses a PATCH path (RFC 7644 3.10); unparseable → 400 invalidPath, bad filter inside brackets → invalidFilter. */
export function parseScimPatchPath(text: string): ScimPatchPath {
  if (text.length > 1024) throw new ScimError(400, 'invalidPath', 'path is too long');
  const match = PATH_PATTERN.exec(text.trim());
  if (match === null) throw new ScimError(400, 'invalidPath', `'${text.slice(0, 100)}' is not a valid path`);
  const [, urn, attribute, dotted, filterText, filterSub] = match;
  if (attribute === undefined)
    throw new ScimError(400, 'invalidPath', `'${text.slice(0, 100)}' is not a valid path`);
  if (dotted !== undefined && filterText !== undefined) {
    throw new ScimError(400, 'invalidPath', 'a value filter applies to a top-level attribute');
  }
  const path: ScimPatchPath = { attribute };
  if (urn !== undefined && !CORE_URN_PATTERN.test(urn)) path.extension = urn;
  const sub = dotted ?? filterSub;
  if (sub !== undefined) path.subAttribute = sub;
  if (filterText !== undefined) path.valueFilter = parseScimFilter(filterText);
  return path;
}

/**
 * Applies a PATCH request to a resource and returns a new object (the input is not changed). Operations apply in
 * order, all or nothing (RFC 7644 3.5.2: any failing operation fails the request). Semantics:
 * - add: sets a missing attribute, merges into a complex one, appends to a multi-valued one skipping duplicates.
 * - replace: sets (complex values merge their given sub-attributes); with a value filter, changes matching elements.
 *   A value filter matching nothing on add/replace creates the element when the filter is `eq` tests joined by
 *   `and` (Entra's `emails[type eq "work"].value`), otherwise 400 noTarget.
 * - remove: deletes the attribute, the matching elements of a value filter, or (Entra) the elements listed in
 *   `value` by their `value` key. Removing something absent is not an error.
 * - readOnly attributes: 400 mutability, except a no-path replace that repeats the current value (Okta sends `id`).
 */
export function applyScimPatch(
  resource: ScimJsonObject,
  request: unknown,
  options: ScimPatchOptions = {},
): ScimJsonObject {
  const resolved: Required<ScimPatchOptions> = { ...DEFAULT_PATCH_OPTIONS, ...options };
  const operations = parseScimPatchRequest(request, resolved);
  let current = structuredClone(resource);
  for (const operation of operations) current = applyOperation(current, operation, resolved);
  return current;
}

/** Applies already-parsed operations (see parseScimPatchRequest); the input is not changed. */
export function applyScimPatchOperations(
  resource: ScimJsonObject,
  operations: readonly ScimParsedOperation[],
  options: ScimPatchOptions = {},
): ScimJsonObject {
  const resolved: Required<ScimPatchOptions> = { ...DEFAULT_PATCH_OPTIONS, ...options };
  let current = structuredClone(resource);
  for (const operation of operations) current = applyOperation(current, operation, resolved);
  return current;
}

function applyOperation(
  resource: ScimJsonObject,
  operation: ScimParsedOperation,
  options: Required<ScimPatchOptions>,
): ScimJsonObject {
  if (operation.path === undefined) {
    // RFC 7644 3.5.2.1 / 3.5.2.3: each key of the value object is a path (possibly URN-qualified or dotted).
    const value = operation.value as ScimJsonObject;
    for (const [key, item] of Object.entries(value)) {
      if (CORE_URN_PATTERN.test(key) && isObject(item)) {
        for (const [innerKey, innerItem] of Object.entries(item)) {
          applyAt(resource, parseScimPatchPath(innerKey), operation.op, innerItem, options, true);
        }
        continue;
      }
      if (/^urn:/i.test(key) && isObject(item) && !key.includes('.')) {
        // Extension object: `"urn:...:enterprise:2.0:User": { "employeeNumber": "1" }`.
        for (const [innerKey, innerItem] of Object.entries(item)) {
          applyAt(
            resource,
            { ...parseScimPatchPath(innerKey), extension: key },
            operation.op,
            innerItem,
            options,
            true,
          );
        }
        continue;
      }
      applyAt(resource, parseScimPatchPath(key), operation.op, item, options, true);
    }
    return resource;
  }
  applyAt(resource, operation.path, operation.op, operation.value, options, false);
  return resource;
}

function applyAt(
  resource: ScimJsonObject,
  path: ScimPatchPath,
  op: ScimPatchOp,
  rawValue: unknown,
  options: Required<ScimPatchOptions>,
  fromNoPathValue: boolean,
): void {
  const topCanonical = path.attribute.toLowerCase();
  const fullCanonical = canonicalPath(path);
  if (path.extension === undefined && options.readOnlyAttributes.has(topCanonical)) {
    const currentKey = findKey(resource, path.attribute);
    const current = currentKey === undefined ? undefined : resource[currentKey];
    if (fromNoPathValue && path.subAttribute === undefined && deepEqual(current, rawValue)) return;
    throw new ScimError(400, 'mutability', `'${path.attribute}' is readOnly`);
  }
  if (
    op !== 'remove' &&
    path.subAttribute !== undefined &&
    options.immutableSubAttributes.has(fullCanonical)
  ) {
    throw new ScimError(400, 'mutability', `'${path.attribute}.${path.subAttribute}' is immutable`);
  }
  const value = coerceBooleans(fullCanonical, rawValue, options.booleanAttributes);
  const container = containerFor(resource, path, op !== 'remove');
  if (container === undefined) return;

  const key = findKey(container, path.attribute) ?? path.attribute;
  const existing = container[key];

  if (path.valueFilter !== undefined) {
    applyFiltered(container, key, path, op, value);
    return;
  }
  if (path.subAttribute !== undefined) {
    if (Array.isArray(existing)) {
      throw new ScimError(
        400,
        'invalidPath',
        `'${path.attribute}' is multi-valued; select elements with a filter`,
      );
    }
    if (op === 'remove') {
      if (isObject(existing)) deleteKey(existing, path.subAttribute);
      return;
    }
    const target = isObject(existing) ? existing : {};
    target[findKey(target, path.subAttribute) ?? path.subAttribute] = value;
    container[key] = target;
    return;
  }
  if (op === 'remove') {
    if (value !== undefined && Array.isArray(existing)) {
      // Entra ID: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes just those elements.
      const doomed = new Set(
        (Array.isArray(value) ? value : [value]).map((item) => (isObject(item) ? item.value : item)),
      );
      container[key] = existing.filter((element) => !doomed.has(isObject(element) ? element.value : element));
      return;
    }
    delete container[key];
    return;
  }
  if (Array.isArray(existing) && op === 'add') {
    const additions = Array.isArray(value) ? value : [value];
    const merged = [...existing];
    for (const item of additions) {
      if (!merged.some((element) => sameElement(element, item))) merged.push(item);
    }
    container[key] = merged;
    return;
  }
  if (isObject(existing) && isObject(value)) {
    // Complex single-valued (name): the given sub-attributes replace or add, others stay (RFC 7644 3.5.2.1/3).
    const merged: ScimJsonObject = { ...existing };
    for (const [subKey, subValue] of Object.entries(value))
      merged[findKey(merged, subKey) ?? subKey] = subValue;
    container[key] = merged;
    return;
  }
  container[key] = op === 'add' && !Array.isArray(value) && isMultiValuedShape(value) ? [value] : value;
}

function applyFiltered(
  container: ScimJsonObject,
  key: string,
  path: ScimPatchPath,
  op: ScimPatchOp,
  value: unknown,
): void {
  const filter = path.valueFilter as ScimFilter;
  const existing = container[key];
  const elements = Array.isArray(existing) ? existing : existing === undefined ? [] : [existing];
  const matches = (element: unknown) => isObject(element) && matchesScimFilter(element, filter);
  if (op === 'remove') {
    if (existing === undefined) return;
    if (path.subAttribute === undefined) {
      container[key] = elements.filter((element) => !matches(element));
    } else {
      const sub = path.subAttribute;
      container[key] = elements.map((element) => {
        if (!matches(element)) return element;
        const copy = { ...(element as ScimJsonObject) };
        deleteKey(copy, sub);
        return copy;
      });
    }
    return;
  }
  let matched = false;
  const updated = elements.map((element) => {
    if (!matches(element)) return element;
    matched = true;
    const copy = { ...(element as ScimJsonObject) };
    if (path.subAttribute !== undefined) {
      copy[findKey(copy, path.subAttribute) ?? path.subAttribute] = value;
      return copy;
    }
    if (!isObject(value)) throw invalidValue(`a value for '${path.attribute}[...]' must be an object`);
    for (const [subKey, subValue] of Object.entries(value)) copy[findKey(copy, subKey) ?? subKey] = subValue;
    return copy;
  });
  if (!matched) {
    const seed = equalitySeed(filter);
    if (seed === undefined)
      throw new ScimError(400, 'noTarget', `no '${path.attribute}' element matches the filter`);
    const created: ScimJsonObject = { ...seed };
    if (path.subAttribute !== undefined) created[path.subAttribute] = value;
    else if (isObject(value)) Object.assign(created, value);
    else throw invalidValue(`a value for '${path.attribute}[...]' must be an object`);
    updated.push(created);
  }
  container[key] = updated;
}

/** `type eq "work" and primary eq true` → {type:"work", primary:true}; anything else → undefined. */
function equalitySeed(filter: ScimFilter): ScimJsonObject | undefined {
  if (filter.op === 'eq') return { [filter.attribute]: filter.value };
  if (filter.op === 'and') {
    const seed: ScimJsonObject = {};
    for (const child of filter.filters) {
      const part = equalitySeed(child);
      if (part === undefined) return undefined;
      Object.assign(seed, part);
    }
    return seed;
  }
  return undefined;
}

/** The object that holds the path's top-level attribute: the resource, or its extension object. */
function containerFor(
  resource: ScimJsonObject,
  path: ScimPatchPath,
  create: boolean,
): ScimJsonObject | undefined {
  if (path.extension === undefined) return resource;
  const key = findKey(resource, path.extension);
  const existing = key === undefined ? undefined : resource[key];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const created: ScimJsonObject = {};
  resource[path.extension] = created;
  const schemas = resource.schemas;
  if (
    Array.isArray(schemas) &&
    !schemas.some((schema) => String(schema).toLowerCase() === path.extension?.toLowerCase())
  ) {
    resource.schemas = [...schemas, path.extension];
  }
  return created;
}

function canonicalPath(path: ScimPatchPath): string {
  const base = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.extension === undefined
    ? canonicalAttributePath(base)
    : `${path.extension}:${base}`.toLowerCase();
}

/** Entra ID without aadOptscim062020 sends booleans as "True"/"False" strings. */
function coerceBooleans(canonical: string, value: unknown, booleanPaths: ReadonlySet<string>): unknown {
  if (typeof value === 'string' && booleanPaths.has(canonical)) {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => coerceBooleans(canonical, item, booleanPaths));
  if (isObject(value)) {
    const copy: ScimJsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = coerceBooleans(`${canonical}.${key.toLowerCase()}`, item, booleanPaths);
    }
    return copy;
  }
  return value;
}

/** Duplicate test for multi-valued add: elements with a `value` compare by it, others structurally. */
function sameElement(left: unknown, right: unknown): boolean {
  if (isObject(left) && isObject(right) && left.value !== undefined && right.value !== undefined) {
    return left.value === right.value;
  }
  return deepEqual(left, right);
}

function isMultiValuedShape(value: unknown): boolean {
  return isObject(value) && 'value' in value && ('type' in value || 'display' in value || 'primary' in value);
}

function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]));
  }
  if (isObject(left) && isObject(right)) {
    const leftKeys = Object.keys(left);
    return (
      leftKeys.length === Object.keys(right).length &&
      leftKeys.every((key) => deepEqual(left[key], right[key]))
    );
  }
  return false;
}

function findKey(node: ScimJsonObject, name: string): string | undefined {
  if (name in node) return name;
  const lower = name.toLowerCase();
  return Object.keys(node).find((key) => key.toLowerCase() === lower);
}

function readKey(node: ScimJsonObject, name: string): unknown {
  const key = findKey(node, name);
  return key === undefined ? undefined : node[key];
}

function deleteKey(node: ScimJsonObject, name: string): void {
  const key = findKey(node, name);
  if (key !== undefined) delete node[key];
}

function isObject(value: unknown): value is ScimJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidSyntax(detail: string): ScimError {
  return new ScimError(400, 'invalidSyntax', detail);
}

function invalidValue(detail: string): ScimError {
  return new ScimError(400, 'invalidValue', detail);
}

/** Membership change a group PATCH amounts to, so large groups are not rewritten (see extractGroupMemberDelta). */
export interface ScimGroupMemberDelta {
  add: string[];
  remove: string[];
  displayName?: string;
  externalId?: string | null;
}

/**
 * Recognises a group PATCH that only adds/removes members and/or renames: `add` at `members` with
 * `[{value}]`; `remove` at `members[value eq "id"]` (or `or` of such tests) or at `members` with a value list
 * (Entra); `replace` of displayName / externalId with a path or in a no-path object (Okta, which may repeat `id`).
 * Returns undefined for anything else (member replace, remove-all, other attributes); the caller then applies the
 * PATCH to the whole group. Ids are returned in request order; a later op on the same id wins.
 */
export function extractGroupMemberDelta(
  operations: readonly ScimParsedOperation[],
  groupId: string,
): ScimGroupMemberDelta | undefined {
  const members = new Map<string, 'add' | 'remove'>();
  const delta: ScimGroupMemberDelta = { add: [], remove: [] };
  for (const operation of operations) {
    const path = operation.path;
    if (path === undefined) {
      if (operation.op !== 'replace' && operation.op !== 'add') return undefined;
      for (const [key, value] of Object.entries(operation.value as ScimJsonObject)) {
        const name = canonicalAttributePath(key);
        if (name === 'id' && value === groupId) continue;
        if (!setGroupScalar(delta, name, value)) return undefined;
      }
      continue;
    }
    if (path.extension !== undefined) return undefined;
    const name = path.attribute.toLowerCase();
    if (name !== 'members') {
      if (path.subAttribute !== undefined || path.valueFilter !== undefined || operation.op === 'remove') {
        return undefined;
      }
      if (!setGroupScalar(delta, name, operation.value)) return undefined;
      continue;
    }
    if (path.subAttribute !== undefined) return undefined;
    if (operation.op === 'add' && path.valueFilter === undefined) {
      const ids = memberIds(operation.value);
      if (ids === undefined) return undefined;
      for (const id of ids) members.set(id, 'add');
      continue;
    }
    if (operation.op === 'remove') {
      const ids =
        path.valueFilter !== undefined ? idsFromFilter(path.valueFilter) : memberIds(operation.value);
      if (ids === undefined || (path.valueFilter === undefined && operation.value === undefined))
        return undefined;
      for (const id of ids) members.set(id, 'remove');
      continue;
    }
    return undefined;
  }
  for (const [id, change] of members) delta[change].push(id);
  return delta;
}

function setGroupScalar(delta: ScimGroupMemberDelta, name: string, value: unknown): boolean {
  if (name === 'displayname' && typeof value === 'string') {
    delta.displayName = value;
    return true;
  }
  if (name === 'externalid' && (typeof value === 'string' || value === null)) {
    delta.externalId = value;
    return true;
  }
  return false;
}

function memberIds(value: unknown): string[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const item of items) {
    if (!isObject(item) || typeof item.value !== 'string') return undefined;
    ids.push(item.value);
  }
  return ids;
}

/** `value eq "a"` or `value eq "a" or value eq "b"` → ids; other filters → undefined. */
function idsFromFilter(filter: ScimFilter): string[] | undefined {
  if (filter.op === 'eq' && filter.attribute.toLowerCase() === 'value' && typeof filter.value === 'string') {
    return [filter.value];
  }
  if (filter.op === 'or') {
    const ids: string[] = [];
    for (const child of filter.filters) {
      const part = idsFromFilter(child);
      if (part === undefined) return undefined;
      ids.push(...part);
    }
    return ids;
  }
  return undefined;
}

export type { ScimPatchOperation, ScimPatchRequest };
