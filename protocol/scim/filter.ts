// SCIM filter expressions: the AST both the SQL compiler and the in-memory evaluator consume, and its parser.
// RFC 7644 3.4.2.2 (filtering: operators, grouping, complex attribute filters); parsing delegates to scim2-parse-filter.

import type { Filter as LibraryFilter } from 'scim2-parse-filter';
import { parse } from 'scim2-parse-filter';
import { ScimError } from './error.ts';
import { SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from './schemas.ts';

/** RFC 7644 3.4.2.2, Table 3: the attribute operators that take a comparison value. */
export type ScimCompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** RFC 7644 3.4.2.2: comparison values are JSON literals (string, number, true/false, null). */
export type ScimFilterValue = string | number | boolean | null;

/** `attribute op value`; attribute is the path as written (may carry a schema URN, any case). */
export interface ScimCompareFilter {
  op: ScimCompareOperator;
  attribute: string;
  value: ScimFilterValue;
}

/** `attribute pr` (present: has a non-empty, non-null value). */
export interface ScimPresentFilter {
  op: 'pr';
  attribute: string;
}

/** `a and b`, `a or b`; flattened, always two or more operands. */
export interface ScimLogicalFilter {
  op: 'and' | 'or';
  filters: ScimFilter[];
}

export interface ScimNotFilter {
  op: 'not';
  filter: ScimFilter;
}

/**
 * RFC 7644 3.4.2.2 complex attribute filter `emails[type eq "work" and value co "@x"]`: one element of the
 * multi-valued `attribute` must match `filter`, whose attribute names are relative to that element.
 */
export interface ScimValuePathFilter {
  op: 'valuePath';
  attribute: string;
  filter: ScimFilter;
}

export type ScimFilter =
  | ScimCompareFilter
  | ScimPresentFilter
  | ScimLogicalFilter
  | ScimNotFilter
  | ScimValuePathFilter;

/** Longest filter text accepted; longer ones are refused as invalidFilter before parsing. */
export const MAX_FILTER_LENGTH = 4096;

/**
 * Complexity bounds: deepest nesting of and/or/not/[] and most comparisons in one filter. They keep the compiled
 * SQL far below SQLite's expression-depth limit (1000), so no filter can make the store fail with a 500.
 */
export const MAX_FILTER_DEPTH = 32;
export const MAX_FILTER_COMPARISONS = 100;

const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
]);

/** RFC 7644 3.10 / RFC 7643 2.1: ATTRNAME = ALPHA *(nameChar), optionally URN-prefixed, with dotted sub-attributes. */
const ATTRIBUTE_PATH = /^(?:urn:[A-Za-z0-9.:_-]+:)?[A-Za-z][A-Za-z0-9_$-]*(?:\.[A-Za-z][A-Za-z0-9_$-]*)?$/;

/** Schemas whose URN prefix is dropped when canonicalising a path (RFC 7644 3.10: full or short names are equal). */
const CORE_SCHEMA_PREFIXES: readonly string[] = [SCIM_USER_SCHEMA, SCIM_GROUP_SCHEMA].map(
  (urn) => `${urn.toLowerCase()}:`,
);

/**
 * Canonical key of an attribute path: lower case (RFC 7643 2.1: attribute names are case-insensitive) and
 * without the core User/Group schema URN. `urn:...:core:2.0:User:name.givenName` → `name.givenname`.
 * Extension attributes keep their (lower-cased) URN, e.g. `urn:...:enterprise:2.0:user:employeenumber`.
 */
export function canonicalAttributePath(path: string): string {
  const lower = path.toLowerCase();
  for (const prefix of CORE_SCHEMA_PREFIXES) {
    if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  }
  return lower;
}

/** Parses filter text (RFC 7644 3.4.2.2); any syntax problem throws ScimError 400 invalidFilter. */
export function parseScimFilter(text: string): ScimFilter {
  if (text.trim() === '') throw invalidFilter('the filter is empty');
  if (text.length > MAX_FILTER_LENGTH)
    throw invalidFilter(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  let parsed: LibraryFilter;
  try {
    parsed = parse(text);
  } catch (error) {
    // The library's messages echo tokens of the input; keep them short and never include a stack.
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unparseable';
    throw invalidFilter(`the filter cannot be parsed: ${reason}`);
  }
  const budget = { comparisons: 0 };
  return convert(parsed, false, 0, budget);
}

function convert(
  node: LibraryFilter,
  insideValuePath: boolean,
  depth: number,
  budget: { comparisons: number },
): ScimFilter {
  if (depth > MAX_FILTER_DEPTH)
    throw invalidFilter(`the filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
  const child = (next: LibraryFilter, inValuePath = insideValuePath) =>
    convert(next, inValuePath, depth + 1, budget);
  switch (node.op) {
    case 'and':
    case 'or': {
      const logical = node as { op: 'and' | 'or'; filters: LibraryFilter[] };
      if (!Array.isArray(logical.filters) || logical.filters.length < 2)
        throw invalidFilter(`'${node.op}' needs two operands`);
      return { op: logical.op, filters: logical.filters.map((operand) => child(operand)) };
    }
    case 'not': {
      const negated = node as { op: 'not'; filter: LibraryFilter };
      return { op: 'not', filter: child(negated.filter) };
    }
    case '[]': {
      const valuePath = node as { op: '[]'; attrPath: string; valFilter: LibraryFilter };
      // RFC 7644 3.4.2.2 ABNF: valFilter contains attrExp / logExp / not, never another valuePath.
      if (insideValuePath) throw invalidFilter('a complex attribute filter cannot be nested');
      return {
        op: 'valuePath',
        attribute: checkPath(valuePath.attrPath),
        filter: child(valuePath.valFilter, true),
      };
    }
    case 'pr': {
      const present = node as { op: 'pr'; attrPath: string };
      countComparison(budget);
      return { op: 'pr', attribute: checkPath(present.attrPath) };
    }
    default: {
      if (!COMPARE_OPERATORS.has(node.op))
        throw invalidFilter(`unknown operator '${String(node.op).slice(0, 20)}'`);
      const compare = node as { op: ScimCompareOperator; attrPath: string; compValue: unknown };
      countComparison(budget);
      return {
        op: compare.op,
        attribute: checkPath(compare.attrPath),
        value: checkValue(compare.op, compare.compValue),
      };
    }
  }
}

function countComparison(budget: { comparisons: number }): void {
  budget.comparisons += 1;
  if (budget.comparisons > MAX_FILTER_COMPARISONS) {
    throw invalidFilter(`the filter has more than ${MAX_FILTER_COMPARISONS} comparisons`);
  }
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length > 512 || !ATTRIBUTE_PATH.test(path)) {
    throw invalidFilter(`'${String(path).slice(0, 100)}' is not an attribute path`);
  }
  return path;
}

function checkValue(op: ScimCompareOperator, value: unknown): ScimFilterValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    // RFC 7644 3.4.2.2: gt/ge/lt/le on boolean (or null) values is an invalidFilter.
    if (typeof value !== 'string' && (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le')) {
      throw invalidFilter(`'${op}' cannot compare ${String(value)}`);
    }
    if (typeof value !== 'string' && (op === 'co' || op === 'sw' || op === 'ew')) {
      throw invalidFilter(`'${op}' needs a string value`);
    }
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (op === 'co' || op === 'sw' || op === 'ew') throw invalidFilter(`'${op}' needs a string value`);
    return value;
  }
  throw invalidFilter('comparison values must be strings, numbers, true, false or null');
}

function invalidFilter(detail: string): ScimError {
  return new ScimError(400, 'invalidFilter', detail);
}
