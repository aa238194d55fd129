// An in-memory SCIM 2.0 service on node:http for the pusher's tests, with injectable faults (429, 503, resets).
// Just enough of RFC 7644 3.3-3.6 (create, eq filters, PUT, PATCH as Okta and Entra send it, DELETE) to converge on.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject, JsonValue } from '../wire.ts';
import { ERROR_SCHEMA, GROUP_SCHEMA, isJsonObject, LIST_RESPONSE_SCHEMA, USER_SCHEMA } from '../wire.ts';

/** What a fault hook may answer instead of the service: a status with headers, or a dropped connection. */
/**
 * What a fault hook may answer instead of the service: a status with headers, a dropped connection, no answer at all
 * (`hang`, until the client times out), or the request carried out with its answer never sent (`apply-then-hang`:
 * the write landed, the client does not know).
 */
export type InjectedFault =
  | { status: number; headers?: Record<string, string> }
  | 'reset'
  | 'hang'
  | 'apply-then-hang';

export interface FakeRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  body: JsonValue | null;
  authorization: string | undefined;
}

export interface FakeScimServer {
  baseUrl: string;
  users: Map<string, JsonObject>;
  groups: Map<string, JsonObject>;
  /** every request that reached the server, faulted ones included */
  requests: FakeRequest[];
  /** successful POSTs per resource type (to prove nothing was created twice) */
  created: { users: number; groups: number };
  /** the most requests the server had open at once (bounded concurrency) */
  readonly peakInFlight: number;
  close(): Promise<void>;
}

export interface FakeScimOptions {
  key: string;
  /** asked before each request is served; return a fault to answer it instead */
  fault?: (request: FakeRequest, index: number) => InjectedFault | null;
  /** SCIM not enabled: every request gets 403 with this detail */
  disabledDetail?: string;
  /** a defective server that answers every list as if no filter had been sent */
  ignoreFilters?: boolean;
  /** a defective server whose POST /Users always answers 409 uniqueness, whatever it holds */
  conflictForever?: boolean;
}

/** What the fake answers: handlers return it, one writer puts it on the wire. */
interface FakeReply {
  status: number;
  body?: JsonValue;
  headers?: Record<string, string>;
}

function reply(status: number, body?: JsonValue, headers: Record<string, string> = {}): FakeReply {
  return body === undefined ? { status, headers } : { status, body, headers };
}

function error(status: number, detail: string, scimType?: string): FakeReply {
  const body: JsonObject = { schemas: [ERROR_SCHEMA], status: String(status), detail };
  if (scimType) body.scimType = scimType;
  return reply(status, body);
}

function write(res: ServerResponse, answer: FakeReply): void {
  res.writeHead(answer.status, { 'content-type': 'application/scim+json', ...answer.headers });
  res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}

/** `attr eq "value"` only (RFC 7644 3.4.2.2), case-insensitive as RFC 7643 4.1.1 says of userName. */
function compileFilter(filter: string | null): (resource: JsonObject) => boolean {
  if (filter === null) return () => true;
  const match = /^(\w+) eq "((?:[^"\\]|\\.)*)"$/.exec(filter);
  if (!match) return () => false;
  const [, attribute = '', raw = ''] = match;
  const wanted = raw.replace(/\\(.)/g, '$1').toLowerCase();
  return (resource) => {
    const actual = resource[attribute];
    return typeof actual === 'string' && actual.toLowerCase() === wanted;
  };
}

function toBoolean(value: JsonValue | undefined): JsonValue | undefined {
  if (value === 'True' || value === 'true') return true;
  if (value === 'False' || value === 'false') return false;
  return value;
}

function setPath(resource: JsonObject, path: string, value: JsonValue): void {
  if (path === 'emails[type eq "work"].value') {
    resource.emails = [{ primary: true, type: 'work', value }];
    return;
  }
  const [head = '', tail] = path.split('.');
  if (tail === undefined) {
    resource[head] = head === 'active' ? (toBoolean(value) ?? null) : value;
    return;
  }
  const inner = isJsonObject(resource[head]) ? (resource[head] as JsonObject) : {};
  inner[tail] = value;
  resource[head] = inner;
}

function memberList(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** PatchOp as both IdPs send it: ops in any case, no-path value objects, members filters and value lists. */
function applyPatch(resource: JsonObject, operations: JsonValue[]): string | null {
  for (const raw of operations) {
    if (!isJsonObject(raw) || typeof raw.op !== 'string') return 'bad operation';
    const op = raw.op.toLowerCase();
    const path = typeof raw.path === 'string' ? raw.path : undefined;
    const value = raw.value;
    const memberFilter = path ? /^members\[value eq "([^"]+)"\]$/.exec(path) : null;
    if (memberFilter) {
      if (op !== 'remove') return 'unsupported members filter op';
      resource.members = memberList(resource.members).filter((member) => member.value !== memberFilter[1]);
    } else if (path === 'members') {
      const current = memberList(resource.members);
      const given = memberList(value);
      if (op === 'add') {
        for (const member of given)
          if (!current.some((item) => item.value === member.value)) current.push(member);
        resource.members = current;
      } else if (op === 'remove') {
        const ids = new Set(given.map((member) => member.value));
        resource.members = given.length === 0 ? [] : current.filter((member) => !ids.has(member.value));
      } else {
        resource.members = given;
      }
    } else if (path === undefined) {
      if (!isJsonObject(value)) return 'no-path op needs an object value';
      for (const [key, item] of Object.entries(value)) {
        if (key === 'id') continue;
        setPath(resource, key, item);
      }
    } else if (value !== undefined) {
      setPath(resource, path, value);
    }
  }
  return null;
}

async function readBody(req: IncomingMessage): Promise<JsonValue | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? null : (JSON.parse(text) as JsonValue);
}

export async function startFakeScimServer(options: FakeScimOptions): Promise<FakeScimServer> {
  const users = new Map<string, JsonObject>();
  const groups = new Map<string, JsonObject>();
  const requests: FakeRequest[] = [];
  const created = { users: 0, groups: 0 };

  const serve = (request: FakeRequest): FakeReply => {
    if (options.disabledDetail) return error(403, options.disabledDetail);
    if (request.authorization !== `Bearer ${options.key}`) return error(401, 'invalid API key');
    const [, type = '', id] = request.path.replace(/^\/scim\/v2/, '').split('/');
    const store = type === 'Users' ? users : type === 'Groups' ? groups : null;
    if (!store) return error(404, 'no such endpoint');
    const body = isJsonObject(request.body) ? request.body : {};
    if (id === undefined) {
      if (request.method === 'GET') {
        const filter = options.ignoreFilters ? null : request.search.get('filter');
        const all = [...store.values()].filter(compileFilter(filter));
        const startIndex = Math.max(1, Number(request.search.get('startIndex') ?? '1'));
        const count = Number(request.search.get('count') ?? '100');
        const page = all.slice(startIndex - 1, startIndex - 1 + count);
        return reply(200, {
          schemas: [LIST_RESPONSE_SCHEMA],
          totalResults: all.length,
          startIndex,
          itemsPerPage: page.length,
          Resources: page,
        });
      }
      if (request.method === 'POST') {
        if (type === 'Users' && options.conflictForever)
          return error(409, 'userName already exists', 'uniqueness');
        if (type === 'Users') {
          if ('password' in body) return error(400, 'password sync is not supported', 'invalidValue');
          const taken = String(body.userName).toLowerCase();
          if ([...users.values()].some((user) => String(user.userName).toLowerCase() === taken)) {
            return error(409, 'userName already exists', 'uniqueness');
          }
        }
        const resource: JsonObject = {
          ...body,
          schemas: [type === 'Users' ? USER_SCHEMA : GROUP_SCHEMA],
          id: randomUUID(),
        };
        if (type === 'Users') {
          resource.active = toBoolean(body.active) ?? true;
          created.users += 1;
        } else {
          resource.members = memberList(body.members);
          created.groups += 1;
        }
        store.set(String(resource.id), resource);
        return reply(201, resource);
      }
      return error(405, 'method not allowed');
    }
    const resource = store.get(id);
    if (!resource) return error(404, `${type} ${id} not found`);
    if (request.method === 'GET') return reply(200, resource);
    if (request.method === 'DELETE') {
      store.delete(id);
      return reply(204);
    }
    if (request.method === 'PUT') {
      const replaced: JsonObject = { ...body, id, schemas: resource.schemas ?? [] };
      store.set(id, replaced);
      return reply(200, replaced);
    }
    if (request.method === 'PATCH') {
      const operations = Array.isArray(body.Operations) ? body.Operations : [];
      const copy = structuredClone(resource);
      const problem = applyPatch(copy, operations);
      if (problem) return error(400, problem, 'invalidSyntax');
      if (type === 'Groups') {
        const unknown = memberList(copy.members).filter((member) => !users.has(String(member.value)));
        if (unknown.length > 0) {
          return error(400, `unknown members: ${unknown.map((m) => m.value).join(', ')}`, 'invalidValue');
        }
      }
      store.set(id, copy);
      return type === 'Groups' ? reply(204) : reply(200, copy);
    }
    return error(405, 'method not allowed');
  };

  let inFlight = 0;
  let peakInFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        search: url.searchParams,
        body: await readBody(req),
        authorization: req.headers.authorization,
      };
      const index = requests.length;
      requests.push(request);
      const fault = options.fault?.(request, index) ?? null;
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault === 'hang') return;
      if (fault === 'apply-then-hang') {
        serve(request);
        return;
      }
      if (fault) {
        const body: JsonObject = {
          schemas: [ERROR_SCHEMA],
          status: String(fault.status),
          detail: 'injected fault',
        };
        write(res, reply(fault.status, body, fault.headers ?? {}));
        return;
      }
      write(res, serve(request));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    users,
    groups,
    requests,
    created,
    get peakInFlight() {
      return peakInFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
