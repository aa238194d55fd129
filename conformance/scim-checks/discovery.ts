// A target's own discovery documents, read once and normalised: the input the schema-driven checks are generated from.
// RFC 7644 4 (/ServiceProviderConfig, /Schemas, /ResourceTypes); RFC 7643 2.2 (characteristic defaults), 6, 7.
import type { ScimDriver } from '../target.ts';

export const ATTRIBUTE_TYPES = [
  'string',
  'boolean',
  'decimal',
  'integer',
  'dateTime',
  'binary',
  'reference',
  'complex',
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export const MUTABILITIES = ['readOnly', 'readWrite', 'immutable', 'writeOnly'] as const;
export type Mutability = (typeof MUTABILITIES)[number];
export const RETURNED = ['always', 'never', 'default', 'request'] as const;
export type Returned = (typeof RETURNED)[number];
export const UNIQUENESS = ['none', 'server', 'global'] as const;
export type Uniqueness = (typeof UNIQUENESS)[number];

/** One attribute definition with every characteristic filled (RFC 7643 2.2 defaults where the document omits one). */
export interface SchemaAttribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues: string[];
  referenceTypes: string[];
  subAttributes: SchemaAttribute[];
}

export interface ScimSchema {
  id: string;
  name: string;
  attributes: SchemaAttribute[];
  /** the document as served, for the discovery checks */
  raw: Record<string, unknown>;
}

export interface ResourceTypeExtension {
  schema: string;
  required: boolean;
}

export interface ScimResourceType {
  id: string;
  name: string;
  endpoint: string;
  schema: string;
  schemaExtensions: ResourceTypeExtension[];
  raw: Record<string, unknown>;
}

/** What GET /ServiceProviderConfig, /Schemas and /ResourceTypes answered; JSON-serialisable for the workers. */
export interface DiscoverySnapshot {
  serviceProviderConfig: Record<string, unknown> | null;
  /** the raw /Schemas and /ResourceTypes Resources arrays, normalised again by whoever reads the snapshot */
  schemas: Record<string, unknown>[];
  resourceTypes: Record<string, unknown>[];
  /** why a document could not be read (status, not a ListResponse, ...); empty when all three were read */
  problems: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listResources(json: unknown): Json[] | null {
  if (!isObject(json) || !Array.isArray(json.Resources)) return null;
  return json.Resources.filter(isObject);
}

/** Reads the three discovery documents; a failed read is kept as a problem (the checks report it), never thrown. */
export async function readDiscovery(scim: ScimDriver): Promise<DiscoverySnapshot> {
  const problems: string[] = [];
  const [config, schemas, resourceTypes] = await Promise.all([
    scim.request('GET', '/ServiceProviderConfig'),
    scim.request('GET', '/Schemas'),
    scim.request('GET', '/ResourceTypes'),
  ]);
  if (config.status !== 200 || !isObject(config.json)) {
    problems.push(`GET /ServiceProviderConfig answered ${config.status}, not 200 with a JSON object`);
  }
  const schemaList = schemas.status === 200 ? listResources(schemas.json) : null;
  if (schemaList === null)
    problems.push(`GET /Schemas answered ${schemas.status}, not 200 with a ListResponse`);
  const typeList = resourceTypes.status === 200 ? listResources(resourceTypes.json) : null;
  if (typeList === null) {
    problems.push(`GET /ResourceTypes answered ${resourceTypes.status}, not 200 with a ListResponse`);
  }
  return {
    serviceProviderConfig: config.status === 200 && isObject(config.json) ? config.json : null,
    schemas: schemaList ?? [],
    resourceTypes: typeList ?? [],
    problems,
  };
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** RFC 7643 2.2: type string, multiValued/required/caseExact false, readWrite, returned default, uniqueness none. */
export function normaliseAttribute(raw: Json): SchemaAttribute {
  const type = oneOf(ATTRIBUTE_TYPES, raw.type, 'string');
  return {
    name: typeof raw.name === 'string' ? raw.name : '',
    type,
    multiValued: raw.multiValued === true,
    required: raw.required === true,
    caseExact: raw.caseExact === true,
    mutability: oneOf(MUTABILITIES, raw.mutability, 'readWrite'),
    returned: oneOf(RETURNED, raw.returned, 'default'),
    uniqueness: oneOf(UNIQUENESS, raw.uniqueness, 'none'),
    canonicalValues: strings(raw.canonicalValues),
    referenceTypes: strings(raw.referenceTypes),
    subAttributes:
      type === 'complex' && Array.isArray(raw.subAttributes)
        ? raw.subAttributes.filter(isObject).map(normaliseAttribute)
        : [],
  };
}

export function normaliseSchema(raw: Json): ScimSchema {
  return {
    id: typeof raw.id === 'string' ? raw.id : '',
    name: typeof raw.name === 'string' ? raw.name : '',
    attributes: Array.isArray(raw.attributes) ? raw.attributes.filter(isObject).map(normaliseAttribute) : [],
    raw,
  };
}

export function normaliseResourceType(raw: Json): ScimResourceType {
  const extensions = Array.isArray(raw.schemaExtensions) ? raw.schemaExtensions.filter(isObject) : [];
  return {
    id: typeof raw.id === 'string' ? raw.id : typeof raw.name === 'string' ? raw.name : '',
    name: typeof raw.name === 'string' ? raw.name : '',
    endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : '',
    schema: typeof raw.schema === 'string' ? raw.schema : '',
    schemaExtensions: extensions.map((extension) => ({
      schema: typeof extension.schema === 'string' ? extension.schema : '',
      required: extension.required === true,
    })),
    raw,
  };
}

/** The snapshot with its schemas and resource types normalised and indexed (schema ids compared without case). */
export interface Discovery {
  snapshot: DiscoverySnapshot;
  schemas: ScimSchema[];
  resourceTypes: ScimResourceType[];
  schema(id: string): ScimSchema | undefined;
}

export function indexDiscovery(snapshot: DiscoverySnapshot): Discovery {
  const schemas = snapshot.schemas.map(normaliseSchema);
  const resourceTypes = snapshot.resourceTypes.map(normaliseResourceType);
  return {
    snapshot,
    schemas,
    resourceTypes,
    schema: (id) => schemas.find((schema) => schema.id.toLowerCase() === id.toLowerCase()),
  };
}

/**
 * RFC 7643 3.1: the common attributes every resource carries, which a schema need not list. A schema that does list
 * one (RFC 7643 3 allows it) is used instead.
 */
export const COMMON_ATTRIBUTES: readonly SchemaAttribute[] = [
  {
    name: 'id',
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
    canonicalValues: [],
    referenceTypes: [],
    subAttributes: [],
  },
  {
    name: 'externalId',
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: true,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    canonicalValues: [],
    referenceTypes: [],
    subAttributes: [],
  },
  {
    name: 'meta',
    type: 'complex',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readOnly',
    returned: 'default',
    uniqueness: 'none',
    canonicalValues: [],
    referenceTypes: [],
    subAttributes: (
      [
        ['resourceType', 'string', true],
        ['created', 'dateTime', false],
        ['lastModified', 'dateTime', false],
        ['location', 'reference', true],
        ['version', 'string', true],
      ] as const
    ).map(([name, type, caseExact]) => ({
      name,
      type,
      multiValued: false,
      required: false,
      caseExact,
      mutability: 'readOnly' as const,
      returned: 'default' as const,
      uniqueness: 'none' as const,
      canonicalValues: [],
      referenceTypes: type === 'reference' ? ['uri'] : [],
      subAttributes: [],
    })),
  },
];

/** The attributes a resource of this type may carry at its top level: common ones plus its core schema's. */
export function coreAttributes(discovery: Discovery, resourceType: ScimResourceType): SchemaAttribute[] {
  const declared = discovery.schema(resourceType.schema)?.attributes ?? [];
  const names = new Set(declared.map((attribute) => attribute.name.toLowerCase()));
  return [...COMMON_ATTRIBUTES.filter((common) => !names.has(common.name.toLowerCase())), ...declared];
}
