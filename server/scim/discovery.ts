// SCIM discovery endpoint handlers: /ServiceProviderConfig, /Schemas[/{id}], /ResourceTypes[/{id}].
// RFC 7644 4 (discovery endpoints); RFC 7643 5-7 (documents built in protocol/scim/discovery.ts).

import {
  buildResourceTypes,
  buildSchemas,
  buildServiceProviderConfig,
  discoveryList,
} from '../../protocol/scim/discovery.ts';
import { ScimError } from '../../protocol/scim/error.ts';
import type { ScimJsonObject } from '../../protocol/scim/schemas.ts';
import type { ScimHandler, ScimHandlerSettings, ScimHttpRequest } from './exchange.ts';

export interface ScimDiscoveryHandlers {
  serviceProviderConfig: ScimHandler;
  schemas: ScimHandler;
  schema: ScimHandler;
  resourceTypes: ScimHandler;
  resourceType: ScimHandler;
}

interface DiscoveryDocuments {
  serviceProviderConfig: ScimJsonObject;
  schemas: ScimJsonObject[];
  resourceTypes: ScimJsonObject[];
}

/** Documents depend only on the base URL; they are built once per base URL seen (a handful per process). */
const MAX_CACHED_BASE_URLS = 32;

export function createScimDiscoveryHandlers(settings: ScimHandlerSettings): ScimDiscoveryHandlers {
  const cache = new Map<string, DiscoveryDocuments>();

  function documents(request: ScimHttpRequest): DiscoveryDocuments {
    const cached = cache.get(request.baseUrl);
    if (cached !== undefined) return cached;
    const options = { baseUrl: request.baseUrl, maxResults: settings.maxResults };
    const built: DiscoveryDocuments = {
      serviceProviderConfig: buildServiceProviderConfig(options),
      schemas: buildSchemas(options),
      resourceTypes: buildResourceTypes(options),
    };
    if (cache.size >= MAX_CACHED_BASE_URLS) cache.clear();
    cache.set(request.baseUrl, built);
    return built;
  }

  function byId(list: ScimJsonObject[], id: string | undefined, what: string): ScimJsonObject {
    const found = list.find(
      (item) => typeof item.id === 'string' && item.id.toLowerCase() === id?.toLowerCase(),
    );
    if (found === undefined) throw new ScimError(404, undefined, `${what} not found`);
    return found;
  }

  return {
    serviceProviderConfig: (request) => ({
      status: 200,
      headers: {},
      body: documents(request).serviceProviderConfig,
    }),
    schemas: (request) => ({ status: 200, headers: {}, body: discoveryList(documents(request).schemas) }),
    schema: (request) => ({
      status: 200,
      headers: {},
      body: byId(documents(request).schemas, request.params.id, 'schema'),
    }),
    resourceTypes: (request) => ({
      status: 200,
      headers: {},
      body: discoveryList(documents(request).resourceTypes),
    }),
    resourceType: (request) => ({
      status: 200,
      headers: {},
      body: byId(documents(request).resourceTypes, request.params.id, 'resource type'),
    }),
  };
}
