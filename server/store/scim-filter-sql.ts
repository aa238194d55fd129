// Compiles a parsed SCIM filter and sort into a parameterised SQLite WHERE / ORDER BY fragment over a column mapping.
// RFC 7644 3.4.2.2 (filter operators, complex attribute filters), 3.4.2.3 (sorting); RFC 7643 2.1/2.4 (case rules).

import { ScimError } from '../../protocol/scim/error.ts';
import type { ScimFilter, ScimFilterValue } from '../../protocol/scim/filter.ts';
import { canonicalAttributePath } from '../../protocol/scim/filter.ts';

/** RFC 7643 2.3: the attribute data types this compiler can compare. */
export type SqlAttributeType = 'string' | 'boolean' | 'integer' | 'datetime' | 'reference';

/**
 * One filterable attribute: `expr` is a SQL expression over the row (a column such as `u.user_name`, or a
 * constant such as `'work'`). Storage conventions the compiler relies on: booleans are INTEGER 0/1, datetimes are
 * ISO 8601 UTC text as produced by `Date.prototype.toISOString()`, absent values are NULL.
 * caseExact false (RFC 7643 2.1 default) compares with `COLLATE NOCASE`; give such columns a NOCASE index.
 */
export interface SqlAttribute {
  expr: string;
  type: SqlAttributeType;
  caseExact: boolean;
  /**
   * At most one row of the listing holds a given value, compared under this attribute's case rule (a unique index
   * backs it). An `eq` on it then selects at most one row, so the store can skip sorting and counting.
   */
  unique?: boolean;
}

/**
 * A multi-valued attribute stored in a child table (group members). `exists(innerWhere)` returns a complete
 * boolean SQL expression, typically `EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND (innerWhere))`.
 * `attributes` are keyed by sub-attribute name relative to the element, lower case: `value`, `display`.
 */
export interface SqlMultiValued {
  exists: (innerWhere: string) => string;
  attributes: Record<string, SqlAttribute>;
}

/**
 * Keys are canonical paths (see canonicalAttributePath): lower case, no core schema URN, e.g. `username`,
 * `name.familyname`, `emails.value`, `meta.lastmodified`. A multi-valued attribute that the store keeps as one
 * value per row (a user's single work email) is mapped with plain `attributes` entries like `emails.value` and
 * `emails.type`; `emails[type eq "work" and value co "@x"]` then compiles by prefixing the inner names.
 */
export interface ScimSqlMapping {
  attributes: Record<string, SqlAttribute>;
  multiValued?: Record<string, SqlMultiValued>;
}

export interface CompiledSqlFilter {
  /** A boolean SQL expression, never empty; safe to AND with the store's own conditions. */
  where: string;
  /** Positional parameters for the `?` placeholders in `where`, in order. */
  params: Array<string | number>;
  /** True when the filter can match at most one row: an `eq` on a unique attribute, alone or AND-ed. */
  atMostOneRow: boolean;
}

/** SQL LIKE escape character used in every co/sw/ew pattern. */
const LIKE_ESCAPE = '\\';

/**
 * Compiles a filter. Unknown attributes, comparisons the attribute type does not allow (RFC 7644 3.4.2.2:
 * gt/ge/lt/le on booleans, co/sw/ew on non-strings) and wrong value types throw ScimError 400 invalidFilter.
 * Semantics match protocol/scim/filter-eval.ts: a comparison on an absent (NULL) value is false, `ne` on an
 * absent value is true (it is `not eq`), and `not` turns false into true.
 */
export function compileScimFilter(filter: ScimFilter, mapping: ScimSqlMapping): CompiledSqlFilter {
  const params: Array<string | number> = [];
  const where = compileNode(filter, { mapping, prefix: '', params });
  return { where, params, atMostOneRow: matchesAtMostOneRow(filter, mapping) };
}

function matchesAtMostOneRow(filter: ScimFilter, mapping: ScimSqlMapping): boolean {
  if (filter.op === 'and') return filter.filters.some((child) => matchesAtMostOneRow(child, mapping));
  if (filter.op !== 'eq') return false;
  return mapping.attributes[canonicalAttributePath(filter.attribute)]?.unique === true;
}

/**
 * ORDER BY body for sortBy/sortOrder (RFC 7644 3.4.2.3), without the `ORDER BY` keywords, or '' when sortBy is
 * absent. RFC 7644 3.4.2.3: resources without a value (NULL, or '' for strings) come last when ascending and first
 * when descending. Callers should append a unique tiebreaker (e.g. `, id`) so paging is stable. An attribute that
 * cannot be sorted throws 400 invalidValue. A multi-valued attribute sorts by its `value` (the primary value).
 */
export function compileScimSort(
  sortBy: string | undefined,
  sortOrder: 'ascending' | 'descending',
  mapping: ScimSqlMapping,
): string {
  if (sortBy === undefined || sortBy === '') return '';
  const key = canonicalAttributePath(sortBy);
  const attribute = mapping.attributes[key] ?? mapping.attributes[`${key}.value`];
  if (attribute === undefined)
    throw new ScimError(400, 'invalidValue', `cannot sort by '${sortBy.slice(0, 100)}'`);
  const direction = sortOrder === 'descending' ? 'DESC' : 'ASC';
  const textual = attribute.type !== 'boolean' && attribute.type !== 'integer';
  const collate = attribute.type === 'string' && !attribute.caseExact ? ' COLLATE NOCASE' : '';
  const missing = textual
    ? `(${attribute.expr} IS NULL OR ${attribute.expr} = '')`
    : `(${attribute.expr} IS NULL)`;
  return `${missing} ${direction}, ${attribute.expr}${collate} ${direction}`;
}

interface CompileContext {
  mapping: ScimSqlMapping;
  /** canonical prefix for names inside a complex attribute filter on a single-valued mapping, e.g. `emails.` */
  prefix: string;
  /** set while compiling inside a child-table EXISTS */
  child?: SqlMultiValued;
  params: Array<string | number>;
}

function compileNode(node: ScimFilter, context: CompileContext): string {
  switch (node.op) {
    case 'and':
    case 'or': {
      const joiner = node.op === 'and' ? ' AND ' : ' OR ';
      return `(${node.filters.map((child) => compileNode(child, context)).join(joiner)})`;
    }
    case 'not':
      // Three-valued logic: an unknown (NULL) operand means "no match", so NOT of it must be true.
      return `(NOT IFNULL(${compileNode(node.filter, context)}, 0))`;
    case 'valuePath':
      return compileValuePath(node.attribute, node.filter, context);
    case 'pr':
      return compileLeaf(node.attribute, context, (attribute) => presentSql(attribute));
    default: {
      const { op, value } = node;
      return compileLeaf(node.attribute, context, (attribute, name) =>
        compareSql(attribute, name, op, value, context.params),
      );
    }
  }
}

function compileValuePath(attributePath: string, inner: ScimFilter, context: CompileContext): string {
  if (context.prefix !== '' || context.child !== undefined) {
    throw invalidFilter('a complex attribute filter cannot be nested');
  }
  const key = canonicalAttributePath(attributePath);
  const child = context.mapping.multiValued?.[key];
  if (child !== undefined) {
    return child.exists(compileNode(inner, { ...context, child }));
  }
  const prefix = `${key}.`;
  if (!Object.keys(context.mapping.attributes).some((name) => name.startsWith(prefix))) {
    throw unknownAttribute(attributePath);
  }
  return compileNode(inner, { ...context, prefix });
}

/** Resolves a (possibly dotted, possibly URN-qualified) name and builds its condition. */
function compileLeaf(
  attributePath: string,
  context: CompileContext,
  build: (attribute: SqlAttribute, name: string) => string,
): string {
  const key = canonicalAttributePath(attributePath);
  if (context.child !== undefined) {
    const attribute = context.child.attributes[key] ?? context.child.attributes[`${key}.value`];
    if (attribute === undefined) throw unknownAttribute(attributePath);
    return build(attribute, attributePath);
  }
  const fullKey = `${context.prefix}${key}`;
  const direct = context.mapping.attributes[fullKey];
  if (direct !== undefined) return build(direct, attributePath);
  if (context.prefix === '') {
    // `members.value eq "x"` or `members pr` on a child table.
    const dot = key.indexOf('.');
    const head = dot === -1 ? key : key.slice(0, dot);
    const child = context.mapping.multiValued?.[head];
    if (child !== undefined) {
      const sub = dot === -1 ? 'value' : key.slice(dot + 1);
      const attribute = child.attributes[sub];
      if (attribute === undefined) throw unknownAttribute(attributePath);
      return child.exists(build(attribute, attributePath));
    }
  }
  // `emails pr`, `emails eq "x"`: a multi-valued attribute without sub-attribute means its value (RFC 7644 3.4.2.2).
  const valueAttribute = context.mapping.attributes[`${fullKey}.value`];
  if (valueAttribute !== undefined) return build(valueAttribute, attributePath);
  throw unknownAttribute(attributePath);
}

function presentSql(attribute: SqlAttribute): string {
  if (attribute.type === 'boolean' || attribute.type === 'integer') return `(${attribute.expr} IS NOT NULL)`;
  return `(${attribute.expr} IS NOT NULL AND ${attribute.expr} <> '')`;
}

const SQL_COMPARISON: Record<'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

function compareSql(
  attribute: SqlAttribute,
  name: string,
  op: Exclude<ScimFilter['op'], 'and' | 'or' | 'not' | 'valuePath' | 'pr'>,
  value: ScimFilterValue,
  params: Array<string | number>,
): string {
  const expr = attribute.expr;
  if (value === null) {
    // Not in RFC 7644's grammar for attrExp values beyond JSON literals; `eq null` reads as "absent".
    if (op === 'eq') return `(${expr} IS NULL)`;
    if (op === 'ne') return `(${expr} IS NOT NULL)`;
    throw invalidFilter(`'${op}' cannot compare '${name}' with null`);
  }
  const param = sqlValue(attribute, name, op, value);
  const collate = attribute.type === 'string' && !attribute.caseExact ? ' COLLATE NOCASE' : '';
  if (op === 'co' || op === 'sw' || op === 'ew') {
    if (typeof param !== 'string')
      throw invalidFilter(`'${op}' needs a string attribute, '${name}' is not one`);
    if (attribute.caseExact) {
      // GLOB is SQLite's case-sensitive pattern match; brackets make wildcard characters literal.
      params.push(wrapPattern(escapeGlob(param), op, '*'));
      return `(${expr} GLOB ?)`;
    }
    params.push(wrapPattern(escapeLike(param), op, '%'));
    return `(${expr} LIKE ? ESCAPE '${LIKE_ESCAPE}')`;
  }
  params.push(param);
  if (op === 'ne') return `(${expr} IS NULL OR ${expr} <> ?${collate})`;
  return `(${expr} ${SQL_COMPARISON[op]} ?${collate})`;
}

/** Checks the comparison against the attribute type and converts the value to its stored form. */
function sqlValue(
  attribute: SqlAttribute,
  name: string,
  op: string,
  value: string | number | boolean,
): string | number {
  switch (attribute.type) {
    case 'boolean':
      if (typeof value !== 'boolean')
        throw invalidFilter(`'${name}' is a boolean; compare it with true or false`);
      if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' cannot compare the boolean '${name}'`);
      return value ? 1 : 0;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw invalidFilter(`'${name}' is an integer`);
      if (op === 'co' || op === 'sw' || op === 'ew')
        throw invalidFilter(`'${op}' cannot compare the integer '${name}'`);
      return value;
    case 'datetime': {
      if (typeof value !== 'string')
        throw invalidFilter(`'${name}' is a dateTime; give an xsd:dateTime string`);
      if (op === 'co' || op === 'sw' || op === 'ew') return value;
      const time = Date.parse(value);
      if (Number.isNaN(time)) throw invalidFilter(`'${value.slice(0, 60)}' is not a dateTime`);
      return new Date(time).toISOString();
    }
    default:
      if (typeof value !== 'string')
        throw invalidFilter(`'${name}' is a string; compare it with a quoted value`);
      return value;
  }
}

function wrapPattern(escaped: string, op: 'co' | 'sw' | 'ew', wildcard: string): string {
  if (op === 'sw') return `${escaped}${wildcard}`;
  if (op === 'ew') return `${wildcard}${escaped}`;
  return `${wildcard}${escaped}${wildcard}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `${LIKE_ESCAPE}${character}`);
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[]/g, (character) => `[${character}]`);
}

function unknownAttribute(path: string): ScimError {
  return invalidFilter(`'${path.slice(0, 100)}' is not a filterable attribute`);
}

function invalidFilter(detail: string): ScimError {
  return new ScimError(400, 'invalidFilter', detail);
}
