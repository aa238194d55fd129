// An independent SCIM 2.0 service provider for the contract test: scimmy + scimmy-routers (npm, not written here)
// over a tiny in-memory store, on 127.0.0.1:0. Only the storage handlers below are ours; the protocol is scimmy's.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

export interface ScimmyServer {
  baseUrl: string;
  bearerKey: string;
  close(): Promise<void>;
}

type Stored = Record<string, unknown> & { id: string };

interface FilterLike {
  match(values: Stored[]): Stored[];
}

interface ResourceLike {
  id?: string;
  filter?: FilterLike;
}

/** scimmy's typings want a scimType string; at run time a missing one is simply left out of the body */
function notFound(detail: string): Error {
  return new SCIMMY.Types.Error(404, undefined as unknown as string, detail);
}

function storeFor(kind: string, unique: string) {
  const items = new Map<string, Stored>();
  return {
    ingress(resource: ResourceLike, instance: Record<string, unknown>): Stored {
      const key = String(instance[unique] ?? '').toLowerCase();
      for (const item of items.values()) {
        if (item.id !== resource.id && String(item[unique] ?? '').toLowerCase() === key) {
          throw new SCIMMY.Types.Error(409, 'uniqueness', `${kind} ${unique} already taken`);
        }
      }
      const now = new Date().toISOString();
      if (resource.id !== undefined) {
        const existing = items.get(resource.id);
        if (existing === undefined) throw notFound(`${kind} ${resource.id} not found`);
        const updated: Stored = {
          ...instance,
          id: resource.id,
          meta: { created: (existing.meta as { created: string }).created, lastModified: now },
        };
        items.set(resource.id, updated);
        return updated;
      }
      const created: Stored = { ...instance, id: randomUUID(), meta: { created: now, lastModified: now } };
      items.set(created.id, created);
      return created;
    },
    egress(resource: ResourceLike): Stored | Stored[] {
      if (resource.id !== undefined) {
        const found = items.get(resource.id);
        if (found === undefined) throw notFound(`${kind} ${resource.id} not found`);
        return found;
      }
      const all = [...items.values()];
      return resource.filter === undefined ? all : resource.filter.match(all);
    },
    degress(resource: ResourceLike): void {
      if (resource.id === undefined || !items.delete(resource.id)) {
        throw notFound(`${kind} ${String(resource.id)} not found`);
      }
    },
  };
}

/** Starts scimmy on loopback. SCIMMY keeps its declarations process-wide, so one server per test process. */
export async function startScimmyServer(): Promise<ScimmyServer> {
  const bearerKey = `scimmy-${randomUUID()}`;
  // scimmy declares every optional feature unsupported by default; it does implement PATCH and filters.
  SCIMMY.Config.set({ patch: { supported: true }, filter: { supported: true, maxResults: 200 } });
  const users = storeFor('User', 'userName');
  const groups = storeFor('Group', 'displayName');
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress(
      (resource, instance) =>
        users.ingress(resource as ResourceLike, instance as unknown as Record<string, unknown>) as never,
    )
    .egress((resource) => users.egress(resource as ResourceLike) as never)
    .degress((resource) => users.degress(resource as ResourceLike));
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress(
      (resource, instance) =>
        groups.ingress(resource as ResourceLike, instance as unknown as Record<string, unknown>) as never,
    )
    .egress((resource) => groups.egress(resource as ResourceLike) as never)
    .degress((resource) => groups.degress(resource as ResourceLike));

  const app = express();
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (request) => {
        if (request.header('Authorization') !== `Bearer ${bearerKey}`)
          throw new Error('Authorization not valid');
        return 'conformance-test';
      },
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    bearerKey,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
