// The discovery documents: ServiceProviderConfig, ResourceTypes and Schemas, truthful about what this server does.
// RFC 7643 5 (ServiceProviderConfig), 6 (ResourceType), 7 (Schema attribute characteristics); RFC 7644 4 (endpoints).

import type { ScimJsonObject } from './schemas.ts';
import {
  SCIM_GROUP_SCHEMA,
  SCIM_LIST_RESPONSE_SCHEMA,
  SCIM_RESOURCE_TYPE_SCHEMA,
  SCIM_SCHEMA_SCHEMA,
  SCIM_SERVICE_PROVIDER_CONFIG_SCHEMA,
  SCIM_USER_SCHEMA,
} from './schemas.ts';

export interface ScimDiscoveryOptions {
  /** Absolute base URL of the SCIM service, without trailing slash, e.g. https://host/scim/v2 */
  baseUrl: string;
  /** filter.maxResults: the largest page a list returns (RFC 7644 3.4.2.4 count clamp). */
  maxResults: number;
  documentationUri?: string;
}

/** RFC 7643 5: only what the server really supports is `supported: true`. */
export function buildServiceProviderConfig(options: ScimDiscoveryOptions): ScimJsonObject {
  const config: ScimJsonObject = {
    schemas: [SCIM_SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer API key',
        description: 'The team SCIM API key, sent as Authorization: Bearer <key>.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${options.baseUrl}/ServiceProviderConfig`,
    },
  };
  if (options.documentationUri !== undefined) config.documentationUri = options.documentationUri;
  return config;
}

/** RFC 7643 6: the two resource types served. */
export function buildResourceTypes(options: ScimDiscoveryOptions): ScimJsonObject[] {
  return [
    {
      schemas: [SCIM_RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Team members',
      schema: SCIM_USER_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${options.baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [SCIM_RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Team groups',
      schema: SCIM_GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${options.baseUrl}/ResourceTypes/Group` },
    },
  ];
}

interface AttributeShape {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'integer';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  description: string;
  subAttributes?: AttributeShape[];
  referenceTypes?: string[];
  canonicalValues?: string[];
}

/** RFC 7643 7: fills the characteristics' defaults (2.2) so every attribute states all of them. */
function attribute(shape: AttributeShape): ScimJsonObject {
  const result: ScimJsonObject = {
    name: shape.name,
    type: shape.type,
    multiValued: shape.multiValued ?? false,
    description: shape.description,
    required: shape.required ?? false,
    caseExact: shape.caseExact ?? false,
    mutability: shape.mutability ?? 'readWrite',
    returned: shape.returned ?? 'default',
    uniqueness: shape.uniqueness ?? 'none',
  };
  if (shape.canonicalValues !== undefined) result.canonicalValues = shape.canonicalValues;
  if (shape.referenceTypes !== undefined) result.referenceTypes = shape.referenceTypes;
  if (shape.subAttributes !== undefined) result.subAttributes = shape.subAttributes.map(attribute);
  return result;
}

/**
 * RFC 7643 3.1: externalId is a common attribute whose uniqueness the service provider does not enforce (it is the
 * client's identifier). Catalogue-level decision (issue #12): the reference server stores it and never refuses a
 * duplicate, so it is declared here (RFC 7643 3 lets a schema list a common attribute) with `uniqueness: none`.
 * Filters compare it without case (Entra matches on it that way), so it is declared caseExact false.
 */
function externalIdAttribute(resource: string): ScimJsonObject {
  return attribute({
    name: 'externalId',
    type: 'string',
    uniqueness: 'none',
    description: `The provisioning client's identifier for the ${resource}; stored as sent, not required to be unique.`,
  });
}

/**
 * RFC 7643 7 / 8.7.1: the User and Group schemas as served. PRV-04: only userName, name.givenName and
 * name.familyName are stored from the IdP (plus active and externalId); displayName and emails are derived from
 * them (readOnly). PRV-02: name.givenName, name.familyName and active are required. No password attribute (PRV-03).
 */
export function buildSchemas(options: ScimDiscoveryOptions): ScimJsonObject[] {
  const user: ScimJsonObject = {
    schemas: [SCIM_SCHEMA_SCHEMA],
    id: SCIM_USER_SCHEMA,
    name: 'User',
    description: 'Team member',
    attributes: [
      attribute({
        name: 'userName',
        type: 'string',
        required: true,
        uniqueness: 'server',
        description: 'The member email address (PRV-01); unique in the team, compared without case.',
      }),
      attribute({
        name: 'name',
        type: 'complex',
        required: true,
        description: 'The member name; givenName and familyName are required and may be blank (PRV-02).',
        subAttributes: [
          { name: 'givenName', type: 'string', required: true, description: 'First name.' },
          { name: 'familyName', type: 'string', required: true, description: 'Last name.' },
        ],
      }),
      attribute({
        name: 'displayName',
        type: 'string',
        mutability: 'readOnly',
        description: 'Derived: "givenName familyName".',
      }),
      attribute({
        name: 'emails',
        type: 'complex',
        multiValued: true,
        mutability: 'readOnly',
        description: 'Derived: one work email equal to userName.',
        subAttributes: [
          { name: 'value', type: 'string', mutability: 'readOnly', description: 'Email address.' },
          {
            name: 'type',
            type: 'string',
            mutability: 'readOnly',
            canonicalValues: ['work'],
            description: 'Always "work".',
          },
          { name: 'primary', type: 'boolean', mutability: 'readOnly', description: 'Always true.' },
        ],
      }),
      attribute({
        name: 'active',
        type: 'boolean',
        required: true,
        description: 'false deactivates the member (DEA-01); the resource stays readable.',
      }),
      externalIdAttribute('user'),
    ],
    meta: { resourceType: 'Schema', location: `${options.baseUrl}/Schemas/${SCIM_USER_SCHEMA}` },
  };
  const group: ScimJsonObject = {
    schemas: [SCIM_SCHEMA_SCHEMA],
    id: SCIM_GROUP_SCHEMA,
    name: 'Group',
    description: 'Team group',
    attributes: [
      attribute({
        name: 'displayName',
        type: 'string',
        required: true,
        uniqueness: 'server',
        description: 'Group name, unique in the team.',
      }),
      attribute({
        name: 'members',
        type: 'complex',
        multiValued: true,
        description: 'Team members in the group; every value must be an existing User id (GRP-01).',
        subAttributes: [
          {
            name: 'value',
            type: 'string',
            caseExact: true,
            mutability: 'immutable',
            description: 'User id.',
          },
          {
            name: 'display',
            type: 'string',
            mutability: 'readOnly',
            description: 'The user display name.',
          },
          {
            name: '$ref',
            type: 'reference',
            caseExact: true,
            mutability: 'readOnly',
            referenceTypes: ['User'],
            description: 'URI of the User.',
          },
          // RFC 7643 8.7.1: members.type names the member's resource type; only users can be members here (GRP-01).
          {
            name: 'type',
            type: 'string',
            mutability: 'readOnly',
            canonicalValues: ['User'],
            description: 'The member resource type, always "User".',
          },
        ],
      }),
      externalIdAttribute('group'),
    ],
    meta: { resourceType: 'Schema', location: `${options.baseUrl}/Schemas/${SCIM_GROUP_SCHEMA}` },
  };
  return [user, group];
}

/** RFC 7644 4: /Schemas and /ResourceTypes answer as a ListResponse without paging. */
export function discoveryList(resources: ScimJsonObject[]): ScimJsonObject {
  return {
    schemas: [SCIM_LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
