// Keeps docs/control-api.openapi.yaml and the control router from drifting apart: same routes, same operation
// ids, actor header where the route needs it, documented success status, every error code and every $ref resolves.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { domainErrorStatus, protocolErrorStatus } from '../errors.ts';
import { createControlRouter } from '../router.ts';
import { controlRoutes } from '../routes.ts';
import {
  authMethodKindSchema,
  orgPermissionSchema,
  planNameSchema,
  teamRoleSchema,
  workspaceRoleSchema,
  workspaceTypeSchema,
} from '../schemas.ts';
import { FakeControlService } from './fake-control-service.ts';

const documentPath = fileURLToPath(new URL('../../../docs/control-api.openapi.yaml', import.meta.url));
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

interface Operation {
  operationId?: string;
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses?: Record<string, unknown>;
  security?: unknown[];
}
type PathItem = Partial<Record<(typeof HTTP_METHODS)[number], Operation>> & { servers?: { url: string }[] };
interface OpenApiDocument {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, { enum?: string[]; properties?: Record<string, unknown> }> };
}

const document = parse(readFileSync(documentPath, 'utf8')) as OpenApiDocument;

function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function documentedOperations(): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths)) {
    if (item.servers?.some((server) => server.url === '/')) continue; // outside /control/v1 (GET /health)
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) operations.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return operations;
}

/** What the express router actually registered (not just the table it was built from). */
function registeredRoutes(router: Router): string[] {
  const keys: string[] = [];
  for (const layer of router.stack) {
    const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
    if (!route) continue;
    for (const [method, on] of Object.entries(route.methods)) {
      if (on && method !== '_all') keys.push(`${method.toUpperCase()} ${openApiPath(route.path)}`);
    }
  }
  return keys.sort();
}

describe('docs/control-api.openapi.yaml matches the control router', () => {
  it('is OpenAPI 3.1 served under /control/v1', () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.servers.map((server) => server.url)).toEqual(['/control/v1']);
  });

  it('documents exactly the routes the router registers, and no others', () => {
    const router = createControlRouter(new FakeControlService(), { controlToken: 't' });
    const registered = registeredRoutes(router);
    expect(registered).toHaveLength(controlRoutes.length);
    expect([...documentedOperations().keys()].sort()).toEqual(registered);
  });

  it('documents GET /health at the server root without security', () => {
    const health = document.paths['/health'];
    expect(health?.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(health?.get?.security).toEqual([]);
    expect(Object.keys(health?.get?.responses ?? {})).toEqual(['200']);
  });

  for (const route of controlRoutes) {
    const key = `${route.method.toUpperCase()} ${openApiPath(route.path)}`;
    it(`${key}: operationId, actor header and success status agree`, () => {
      const operation = documentedOperations().get(key);
      expect(operation?.operationId).toBe(route.operationId);
      const refs = (operation?.parameters ?? []).map((parameter) => parameter.$ref);
      expect(refs.includes('#/components/parameters/Actor')).toBe(route.needsActor);
      const statuses = Object.keys(operation?.responses ?? {});
      expect(statuses).toContain(String(route.successStatus));
      expect(statuses).toContain('401');
      if (route.needsActor) expect(statuses).toEqual(expect.arrayContaining(['400', '403']));
    });
  }

  it('lists every error code the API can send in ErrorBody', () => {
    const error = document.components.schemas.ErrorBody?.properties?.error as {
      properties: { code: { enum: string[] } };
    };
    const codes = [...Object.keys(domainErrorStatus), ...Object.keys(protocolErrorStatus)].sort();
    expect([...error.properties.code.enum].sort()).toEqual(codes);
  });

  it('uses the same enum values as the request schemas', () => {
    const enumOf = (name: string) => document.components.schemas[name]?.enum;
    expect(enumOf('PlanName')).toEqual(planNameSchema.options);
    expect(enumOf('TeamRole')).toEqual(teamRoleSchema.options);
    expect(enumOf('AuthMethodKind')).toEqual(authMethodKindSchema.options);
    expect(enumOf('WorkspaceType')).toEqual(workspaceTypeSchema.options);
    expect(enumOf('WorkspaceRole')).toEqual(workspaceRoleSchema.options);
    expect(enumOf('OrgPermission')).toEqual(orgPermissionSchema.options);
  });

  it('has no dangling $ref', () => {
    const text = readFileSync(documentPath, 'utf8');
    const refs = new Set([...text.matchAll(/\$ref: '#\/([^']+)'/g)].map((match) => match[1] ?? ''));
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      let node: unknown = document;
      for (const segment of ref.split('/')) {
        node = (node as Record<string, unknown> | undefined)?.[segment];
      }
      expect(node, ref).toBeDefined();
    }
  });
});
