// Checks one returned SCIM resource against the schemas its service provider declares: no undeclared attributes,
// types, multiValued, required, returned, canonical values. RFC 7643 2.1-2.5, 3 (schemas, common attributes), 7.
import type { AttributeType, Discovery, SchemaAttribute, ScimResourceType } from './discovery.ts';
import { coreAttributes } from './discovery.ts';

type Json = Record<string, unknown>;

/** RFC 7643 2.3.5: xsd:dateTime, e.g. 2008-01-23T04:56:22Z, with an optional fraction and offset. */
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
/** RFC 7643 2.3.6: base64 (RFC 4648 4), whitespace tolerated. */
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}$/;

export interface ValidationOptions {
  /**
   * Top-level attribute names the request narrowed the response to (the `attributes` parameter, RFC 7644 3.4.2.5),
   * or null for a full representation: `required` is only checked on a full one.
   */
  projected?: boolean;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function find(attributes: readonly SchemaAttribute[], name: string): SchemaAttribute | undefined {
  const lower = name.toLowerCase();
  return attributes.find((attribute) => attribute.name.toLowerCase() === lower);
}

function typeProblem(type: AttributeType, value: unknown): string | null {
  switch (type) {
    case 'string':
    case 'reference':
      return typeof value === 'string' ? null : `is ${JSON.stringify(value)}, not a JSON string`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `is ${JSON.stringify(value)}, not a JSON boolean`;
    case 'decimal':
      return typeof value === 'number' ? null : `is ${JSON.stringify(value)}, not a JSON number`;
    case 'integer':
      return Number.isInteger(value) ? null : `is ${JSON.stringify(value)}, not an integer`;
    case 'dateTime':
      return typeof value === 'string' && DATE_TIME.test(value)
        ? null
        : `is ${JSON.stringify(value)}, not an xsd:dateTime string (RFC 7643 2.3.5)`;
    case 'binary':
      return typeof value === 'string' && BASE64.test(value)
        ? null
        : `is ${JSON.stringify(value)}, not base64 (RFC 7643 2.3.6)`;
    case 'complex':
      return isObject(value) ? null : `is ${JSON.stringify(value)}, not a JSON object`;
  }
}

/** Problems of one attribute's value (and its sub-attributes), each prefixed with its path. */
export function attributeProblems(
  attribute: SchemaAttribute,
  value: unknown,
  path: string,
  options: ValidationOptions = {},
): string[] {
  if (value === null) return [`${path} is null: RFC 7643 2.5 says an unassigned attribute is left out`];
  if (attribute.returned === 'never') return [`${path} is returned, but its schema says returned "never"`];
  if (attribute.multiValued) {
    if (!Array.isArray(value)) return [`${path} is multi-valued but not a JSON array`];
    const problems = value.flatMap((item, index) =>
      singleProblems(attribute, item, `${path}[${index}]`, options),
    );
    const primaries = value.filter((item) => isObject(item) && item.primary === true).length;
    if (primaries > 1)
      problems.push(`${path} has ${primaries} values with primary true (RFC 7643 2.4: at most one)`);
    return problems;
  }
  if (Array.isArray(value)) return [`${path} is single-valued but is a JSON array`];
  return singleProblems(attribute, value, path, options);
}

function singleProblems(
  attribute: SchemaAttribute,
  value: unknown,
  path: string,
  options: ValidationOptions,
): string[] {
  const problem = typeProblem(attribute.type, value);
  if (problem !== null) return [`${path} (${attribute.type}) ${problem}`];
  if (attribute.type === 'complex')
    return complexProblems(attribute.subAttributes, value as Json, path, options);
  if (attribute.canonicalValues.length > 0 && typeof value === 'string') {
    const allowed = attribute.caseExact
      ? attribute.canonicalValues
      : attribute.canonicalValues.map((canonical) => canonical.toLowerCase());
    const given = attribute.caseExact ? value : value.toLowerCase();
    if (!allowed.includes(given)) {
      return [
        `${path} is "${value}", not one of its canonical values ${JSON.stringify(attribute.canonicalValues)}`,
      ];
    }
  }
  return [];
}

function complexProblems(
  declared: readonly SchemaAttribute[],
  node: Json,
  path: string,
  options: ValidationOptions,
): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const attribute = find(declared, key);
    if (attribute === undefined) {
      problems.push(`${path}.${key} is returned but not declared in the schema`);
      continue;
    }
    problems.push(...attributeProblems(attribute, value, `${path}.${key}`, options));
  }
  if (options.projected !== true) {
    for (const attribute of declared) {
      if (
        attribute.required &&
        attribute.returned !== 'never' &&
        findKey(node, attribute.name) === undefined
      ) {
        problems.push(`${path}.${attribute.name} is required by the schema but missing`);
      }
    }
  }
  return problems;
}

function findKey(node: Json, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(node).find((key) => key.toLowerCase() === lower);
}

/**
 * Every problem of a returned resource of `resourceType` against the target's own /Schemas: the `schemas` list,
 * every attribute (core, common, extension) declared and well typed, required and `returned: always` present.
 */
export function resourceProblems(
  resource: unknown,
  resourceType: ScimResourceType,
  discovery: Discovery,
  options: ValidationOptions = {},
): string[] {
  const label = resourceType.name;
  if (!isObject(resource)) return [`the ${label} is not a JSON object`];
  const problems: string[] = [];
  const extensions = new Map(
    resourceType.schemaExtensions.map((extension) => [extension.schema.toLowerCase(), extension.schema]),
  );
  const schemas = resource.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(resourceType.schema)) {
    problems.push(`schemas ${JSON.stringify(schemas)} does not list ${resourceType.schema} (RFC 7643 3)`);
  } else {
    for (const urn of schemas) {
      if (typeof urn !== 'string' || (urn !== resourceType.schema && !extensions.has(urn.toLowerCase()))) {
        problems.push(
          `schemas lists ${JSON.stringify(urn)}, which /ResourceTypes/${resourceType.id} does not name`,
        );
      }
    }
  }
  const core = coreAttributes(discovery, resourceType);
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') continue;
    const extension = extensions.get(key.toLowerCase());
    if (extension !== undefined) {
      const schema = discovery.schema(extension);
      if (schema === undefined) {
        problems.push(`${key}: the extension schema is not in /Schemas`);
      } else if (!isObject(value)) {
        problems.push(`${key} is not a JSON object (RFC 7643 3.3)`);
      } else {
        problems.push(...complexProblems(schema.attributes, value, key, options));
      }
      if (Array.isArray(schemas) && !schemas.some((urn) => String(urn).toLowerCase() === key.toLowerCase())) {
        problems.push(`${key} is present but not listed in schemas (RFC 7643 3)`);
      }
      continue;
    }
    const attribute = find(core, key);
    if (attribute === undefined) {
      problems.push(`${key} is returned but not declared in ${resourceType.schema} or as a common attribute`);
      continue;
    }
    problems.push(...attributeProblems(attribute, value, key, options));
  }
  for (const attribute of core) {
    const present = findKey(resource, attribute.name) !== undefined;
    if (present || attribute.returned === 'never') continue;
    if (attribute.returned === 'always') {
      problems.push(`${attribute.name} is missing, but its schema says returned "always"`);
    } else if (attribute.required && options.projected !== true) {
      problems.push(`${attribute.name} is required by the schema but missing`);
    }
  }
  if (findKey(resource, 'id') === undefined && !problems.some((problem) => problem.startsWith('id '))) {
    problems.push('id is missing (RFC 7643 3.1: every resource has an id)');
  }
  return problems;
}
