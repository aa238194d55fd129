// A subset of Okta's management API (/api/v1) over the simulator's directory: users with search and lifecycle,
// groups and membership, app user and group assignments; SSWS token; Okta's error shape. Changes go through the
// Directory, so the SCIM pusher and sign-ins follow them as they follow the console. Okta Users, Groups, Apps APIs.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { json, type NextFunction, type Request, type Response, Router } from 'express';
import { httpClientErrorStatus } from '../../protocol/http/client-error.ts';
import { parseScimFilter } from '../../protocol/scim/filter.ts';
import { matchesScimFilter } from '../../protocol/scim/filter-eval.ts';
import type { ScimJsonObject } from '../../protocol/scim/schemas.ts';
import { type Directory, DirectoryError, type Person } from '../directory/index.ts';
import type { SessionStore } from '../saml/session.ts';
import { notFound, OktaApiError, oktaErrorBody } from './errors.ts';
import { oktaApp, oktaAppGroup, oktaAppUser, oktaGroup, oktaUser, type ResourceTimes } from './resources.ts';

export interface OktaApiOptions {
  directory: Directory;
  sessions: SessionStore;
  /** the API token sent as `Authorization: SSWS <token>` */
  token: string;
  baseUrl: () => string;
  now: () => Date;
}

type Result = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (req: Request) => Result;

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 200;

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function query(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'object' && field !== null && !Array.isArray(field)
    ? (field as Record<string, unknown>)
    : undefined;
}

function stringField(value: Record<string, unknown> | undefined, name: string): string | undefined {
  const field = value?.[name];
  return typeof field === 'string' && field.trim() !== '' ? field : undefined;
}

/** Okta answers `Authorization: SSWS <token>`; anything else is E0000011 (401). */
function sswsGuard(token: string): (req: Request, res: Response, next: NextFunction) => void {
  const expected = Buffer.from(`SSWS ${token}`, 'utf8');
  return (req, res, next) => {
    const given = Buffer.from(req.headers.authorization ?? '', 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    res.status(401).json(oktaErrorBody(new OktaApiError('E0000011')));
  };
}

export function oktaApiRoutes(options: OktaApiOptions): Router {
  const { directory, sessions } = options;
  const router = Router();
  const started = options.now().toISOString();
  const times = new Map<string, ResourceTimes>();
  const timesOf = (id: string): ResourceTimes =>
    times.get(id) ?? { created: started, lastUpdated: started, statusChanged: null, activated: started };
  const touch = (id: string, statusChanged: boolean, activated = false): void => {
    const now = options.now().toISOString();
    const known = timesOf(id);
    times.set(id, {
      ...known,
      lastUpdated: now,
      ...(statusChanged ? { statusChanged: now } : {}),
      ...(activated ? { activated: now } : {}),
    });
  };
  // Every change, whichever door it came through (console, JSON API, this API), keeps Okta's timestamps.
  directory.events.on('*', (event) => {
    const now = options.now().toISOString();
    if (event.type === 'person.created' || event.type === 'group.created') {
      const id = event.type === 'person.created' ? event.person.id : event.group.id;
      const active = event.type === 'group.created' || event.person.status === 'active';
      times.set(id, { created: now, lastUpdated: now, statusChanged: null, activated: active ? now : null });
    }
    if (event.type === 'person.updated')
      touch(event.person.id, event.person.status !== event.previous.status);
    if (event.type === 'group.updated') touch(event.group.id, false);
  });

  const base = (): string => options.baseUrl();
  const userView = (person: Person) => oktaUser(person, timesOf(person.id), base());

  /** Okta resolves a user by id, or by login (also the login's short name before @). */
  const findUser = (idOrLogin: string): Person => {
    try {
      return directory.getPerson(idOrLogin);
    } catch {
      const byLogin = directory.findPersonByLogin(idOrLogin);
      if (byLogin !== undefined) return byLogin;
      const short = directory
        .listPeople()
        .filter((p) => p.login.split('@')[0]?.toLowerCase() === idOrLogin.toLowerCase());
      if (short.length === 1 && short[0] !== undefined) return short[0];
      throw notFound('User', idOrLogin);
    }
  };
  const findGroup = (id: string) => {
    try {
      return directory.getGroup(id);
    } catch {
      throw notFound('Group', id);
    }
  };
  const findApp = (id: string) => {
    try {
      return directory.getApp(id);
    } catch {
      throw notFound('App', id);
    }
  };

  /** limit + after (cursor = last id), with Okta's Link headers (self, next). */
  const page = <T extends { id: string }>(req: Request, items: T[], view: (item: T) => unknown): Result => {
    const limit = Math.min(
      Math.max(Number(query(req, 'limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1),
      MAX_LIMIT,
    );
    const after = query(req, 'after');
    const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
    const slice = items.slice(start, start + limit);
    const url = new URL(req.originalUrl, base());
    const links = [`<${url.href}>; rel="self"`];
    const last = slice.at(-1);
    if (start + limit < items.length && last !== undefined) {
      url.searchParams.set('after', last.id);
      url.searchParams.set('limit', String(limit));
      links.push(`<${url.href}>; rel="next"`);
    }
    return { status: 200, body: slice.map(view), headers: { link: links.join(', ') } };
  };

  /** `search` and `filter` are SCIM-like expressions over the Okta JSON (profile.login eq "…", status eq "ACTIVE"). */
  const matching = <T>(items: T[], view: (item: T) => unknown, expression: string | undefined): T[] => {
    if (expression === undefined) return items;
    let filter: ReturnType<typeof parseScimFilter>;
    try {
      filter = parseScimFilter(expression);
    } catch {
      throw new OktaApiError('E0000031');
    }
    // Okta compares status values as given (ACTIVE); everything else ignores case like SCIM.
    return items.filter((item) =>
      matchesScimFilter(view(item) as ScimJsonObject, filter, { caseExactPaths: new Set(['id', 'status']) }),
    );
  };

  const profileInput = (body: unknown, required: boolean) => {
    const profile = objectField(body, 'profile');
    const fields = {
      login: stringField(profile, 'login'),
      email: stringField(profile, 'email'),
      firstName: stringField(profile, 'firstName'),
      lastName: stringField(profile, 'lastName'),
    };
    if (required) {
      const missing = (['login', 'email', 'firstName', 'lastName'] as const).filter(
        (k) => fields[k] === undefined,
      );
      if (missing.length > 0) {
        throw new OktaApiError(
          'E0000001',
          `Api validation failed: ${missing.join(', ')}`,
          missing.map((k) => `${k}: The field cannot be left blank`),
        );
      }
    }
    const password = stringField(objectField(objectField(body, 'credentials'), 'password'), 'value');
    return { ...fields, password };
  };

  /** Directory refusals in Okta terms (a taken login is Okta's uniqueness cause). */
  const directoryCall = <T>(call: () => T): T => {
    try {
      return call();
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'login_taken') {
        throw new OktaApiError('E0000001', 'Api validation failed: login', [
          'login: An object with this field already exists in the current organization',
        ]);
      }
      if (error instanceof DirectoryError && error.code === 'invalid_input') {
        throw new OktaApiError('E0000001', 'Api validation failed', [error.message]);
      }
      throw error;
    }
  };

  const setStatus = (person: Person, status: Person['status']): Person => {
    const updated = directory.updatePerson(person.id, { status });
    // suspended or deactivated people lose their IdP sessions: no more SAML or OIDC sign-ins
    if (status !== 'active') sessions.endAllFor(person.id);
    touch(person.id, true, status === 'active');
    return updated;
  };

  const routes: [method: 'get' | 'post' | 'put' | 'delete', path: string, handler: Handler][] = [
    // ---- users
    [
      'get',
      '/users',
      (req) => {
        const q = query(req, 'q')?.toLowerCase();
        let people = directory.listPeople();
        if (q !== undefined) {
          people = people.filter((p) =>
            [p.firstName, p.lastName, p.email, p.login].some((v) => v.toLowerCase().startsWith(q)),
          );
        }
        people = matching(people, userView, query(req, 'search') ?? query(req, 'filter'));
        return page(req, people, userView);
      },
    ],
    [
      'post',
      '/users',
      (req) => {
        const input = profileInput(req.body, true);
        // Okta: ?activate=true (the default) creates an ACTIVE user; false leaves it STAGED.
        const activate = query(req, 'activate') !== 'false';
        const person = directoryCall(() =>
          directory.addPerson({
            login: input.login ?? '',
            email: input.email,
            firstName: input.firstName ?? '',
            lastName: input.lastName ?? '',
            password: input.password,
            status: activate ? 'active' : 'staged',
          }),
        );
        return { status: 200, body: userView(person) };
      },
    ],
    ['get', '/users/:id', (req) => ({ status: 200, body: userView(findUser(param(req, 'id'))) })],
    // POST is a partial profile update, PUT replaces the profile (Okta "Update a user" / "Replace a user").
    [
      'post',
      '/users/:id',
      (req) => {
        const person = findUser(param(req, 'id'));
        const input = profileInput(req.body, false);
        const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        return {
          status: 200,
          body: userView(directoryCall(() => directory.updatePerson(person.id, changes))),
        };
      },
    ],
    [
      'put',
      '/users/:id',
      (req) => {
        const person = findUser(param(req, 'id'));
        const input = profileInput(req.body, true);
        const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        return {
          status: 200,
          body: userView(directoryCall(() => directory.updatePerson(person.id, changes))),
        };
      },
    ],
    // Okta: deleting an active user deactivates it; deleting a deactivated user removes it for good.
    [
      'delete',
      '/users/:id',
      (req) => {
        const person = findUser(param(req, 'id'));
        if (person.status !== 'deprovisioned') setStatus(person, 'deprovisioned');
        else {
          sessions.endAllFor(person.id);
          directory.deletePerson(person.id);
        }
        return { status: 204 };
      },
    ],
    [
      'post',
      '/users/:id/lifecycle/activate',
      (req) => {
        const person = findUser(param(req, 'id'));
        if (person.status === 'active' || person.status === 'suspended') throw new OktaApiError('E0000016');
        setStatus(person, 'active');
        return { status: 200, body: {} };
      },
    ],
    [
      'post',
      '/users/:id/lifecycle/reactivate',
      (req) => {
        const person = findUser(param(req, 'id'));
        if (person.status !== 'deprovisioned' && person.status !== 'staged')
          throw new OktaApiError('E0000016');
        setStatus(person, 'active');
        return { status: 200, body: {} };
      },
    ],
    [
      'post',
      '/users/:id/lifecycle/deactivate',
      (req) => {
        const person = findUser(param(req, 'id'));
        if (person.status === 'deprovisioned') {
          throw new OktaApiError('E0000001', 'Api validation failed: the user is already deactivated');
        }
        setStatus(person, 'deprovisioned');
        return { status: 200, body: {} };
      },
    ],
    // Okta: suspend only an ACTIVE user, unsuspend only a SUSPENDED one (E0000001 otherwise).
    [
      'post',
      '/users/:id/lifecycle/suspend',
      (req) => {
        const person = findUser(param(req, 'id'));
        if (person.status !== 'active')
          throw new OktaApiError('E0000001', 'Api validation failed: the user is not active');
        setStatus(person, 'suspended');
        return { status: 200, body: {} };
      },
    ],
    [
      'post',
      '/users/:id/lifecycle/unsuspend',
      (req) => {
        const person = findUser(param(req, 'id'));
        if (person.status !== 'suspended') {
          throw new OktaApiError('E0000001', 'Api validation failed: the user is not suspended');
        }
        setStatus(person, 'active');
        return { status: 200, body: {} };
      },
    ],
    [
      'get',
      '/users/:id/groups',
      (req) => {
        const person = findUser(param(req, 'id'));
        return page(req, directory.groupsOf(person.id), (g) => oktaGroup(g, timesOf(g.id), base()));
      },
    ],
    // ---- groups
    [
      'get',
      '/groups',
      (req) => {
        const q = query(req, 'q')?.toLowerCase();
        const view = (g: ReturnType<Directory['getGroup']>) => oktaGroup(g, timesOf(g.id), base());
        let groups = directory.listGroups();
        if (q !== undefined) groups = groups.filter((g) => g.name.toLowerCase().startsWith(q));
        groups = matching(groups, view, query(req, 'search') ?? query(req, 'filter'));
        return page(req, groups, view);
      },
    ],
    [
      'post',
      '/groups',
      (req) => {
        const name = stringField(objectField(req.body, 'profile'), 'name');
        if (name === undefined) {
          throw new OktaApiError('E0000001', 'Api validation failed: name', [
            'name: The field cannot be left blank',
          ]);
        }
        const group = directory.addGroup({ name });
        return { status: 200, body: oktaGroup(group, timesOf(group.id), base()) };
      },
    ],
    [
      'get',
      '/groups/:id',
      (req) => {
        const group = findGroup(param(req, 'id'));
        return { status: 200, body: oktaGroup(group, timesOf(group.id), base()) };
      },
    ],
    [
      'put',
      '/groups/:id',
      (req) => {
        const group = findGroup(param(req, 'id'));
        const name = stringField(objectField(req.body, 'profile'), 'name');
        if (name === undefined) {
          throw new OktaApiError('E0000001', 'Api validation failed: name', [
            'name: The field cannot be left blank',
          ]);
        }
        const renamed = directory.renameGroup(group.id, name);
        return { status: 200, body: oktaGroup(renamed, timesOf(group.id), base()) };
      },
    ],
    [
      'delete',
      '/groups/:id',
      (req) => {
        directory.deleteGroup(findGroup(param(req, 'id')).id);
        return { status: 204 };
      },
    ],
    [
      'get',
      '/groups/:id/users',
      (req) => {
        const group = findGroup(param(req, 'id'));
        const members = group.memberIds.map((id) => directory.getPerson(id));
        return page(req, members, userView);
      },
    ],
    [
      'put',
      '/groups/:id/users/:userId',
      (req) => {
        const group = findGroup(param(req, 'id'));
        directory.addGroupMembers(group.id, [findUser(param(req, 'userId')).id]);
        return { status: 204 };
      },
    ],
    [
      'delete',
      '/groups/:id/users/:userId',
      (req) => {
        const group = findGroup(param(req, 'id'));
        directory.removeGroupMembers(group.id, [findUser(param(req, 'userId')).id]);
        return { status: 204 };
      },
    ],
    // ---- apps and their assignments
    ['get', '/apps', (req) => page(req, directory.listApps(), (a) => oktaApp(a, base()))],
    // Okta "Create an application" for an OIDC web app (signOnMode OPENID_CONNECT): the client id and secret are
    // generated unless given, and answered once in credentials.oauthClient.
    [
      'post',
      '/apps',
      (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        if (body?.signOnMode !== 'OPENID_CONNECT') {
          throw new OktaApiError('E0000001', 'Api validation failed: signOnMode', [
            'signOnMode: only OPENID_CONNECT apps can be created here (SAML apps come from SP metadata)',
          ]);
        }
        const label = typeof body.label === 'string' && body.label.trim() !== '' ? body.label : undefined;
        const settings = objectField(objectField(body, 'settings'), 'oauthClient');
        const credentials = objectField(objectField(body, 'credentials'), 'oauthClient');
        const uris = (name: string): string[] => {
          const value = settings?.[name];
          return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
        };
        const method = stringField(credentials, 'token_endpoint_auth_method') ?? 'client_secret_basic';
        if (label === undefined || !['client_secret_basic', 'client_secret_post', 'none'].includes(method)) {
          throw new OktaApiError('E0000001', 'Api validation failed', [
            label === undefined
              ? 'label: The field cannot be left blank'
              : 'token_endpoint_auth_method: unsupported',
          ]);
        }
        const clientId = stringField(credentials, 'client_id') ?? `0oa${randomBytes(8).toString('hex')}`;
        const clientSecret =
          method === 'none'
            ? undefined
            : (stringField(credentials, 'client_secret') ?? randomBytes(30).toString('base64url'));
        const app = directoryCall(() =>
          directory.addApp({
            name: label,
            oidc: {
              clientId,
              clientSecret,
              redirectUris: uris('redirect_uris'),
              postLogoutRedirectUris: uris('post_logout_redirect_uris'),
              tokenEndpointAuthMethod: method as 'client_secret_basic' | 'client_secret_post' | 'none',
            },
          }),
        );
        const view = oktaApp(app, base());
        return {
          status: 200,
          body: {
            ...view,
            credentials: {
              oauthClient: {
                client_id: clientId,
                client_secret: clientSecret,
                token_endpoint_auth_method: method,
              },
            },
          },
        };
      },
    ],
    ['get', '/apps/:id', (req) => ({ status: 200, body: oktaApp(findApp(param(req, 'id')), base()) })],
    [
      'get',
      '/apps/:id/users',
      (req) => {
        const app = findApp(param(req, 'id'));
        const people = directory.assignedPeople(app.id);
        return page(req, people, (p) =>
          oktaAppUser(app, p, app.assignments.people.includes(p.id) ? 'USER' : 'GROUP', base()),
        );
      },
    ],
    [
      'post',
      '/apps/:id/users',
      (req) => {
        const app = findApp(param(req, 'id'));
        const userId =
          typeof (req.body as { id?: unknown } | undefined)?.id === 'string'
            ? (req.body as { id: string }).id
            : '';
        if (userId === '')
          throw new OktaApiError('E0000001', 'Api validation failed: id', [
            'id: The field cannot be left blank',
          ]);
        const person = findUser(userId);
        const updated = directory.assign(app.id, { kind: 'person', id: person.id });
        return { status: 200, body: oktaAppUser(updated, person, 'USER', base()) };
      },
    ],
    [
      'get',
      '/apps/:id/users/:userId',
      (req) => {
        const app = findApp(param(req, 'id'));
        const person = findUser(param(req, 'userId'));
        if (!directory.isAssigned(app, person)) throw notFound('AppUser', person.id);
        const scope = app.assignments.people.includes(person.id) ? 'USER' : 'GROUP';
        return { status: 200, body: oktaAppUser(app, person, scope, base()) };
      },
    ],
    [
      'delete',
      '/apps/:id/users/:userId',
      (req) => {
        const app = findApp(param(req, 'id'));
        const person = findUser(param(req, 'userId'));
        if (!app.assignments.people.includes(person.id)) throw notFound('AppUser', person.id);
        directory.unassign(app.id, { kind: 'person', id: person.id });
        return { status: 204 };
      },
    ],
    [
      'get',
      '/apps/:id/groups',
      (req) => {
        const app = findApp(param(req, 'id'));
        const groups = app.assignments.groups.map((id) => ({ id }));
        return page(req, groups, (g) => oktaAppGroup(app, g.id, base()));
      },
    ],
    [
      'put',
      '/apps/:id/groups/:groupId',
      (req) => {
        const app = findApp(param(req, 'id'));
        const group = findGroup(param(req, 'groupId'));
        const updated = directory.assign(app.id, { kind: 'group', id: group.id });
        return { status: 200, body: oktaAppGroup(updated, group.id, base()) };
      },
    ],
    [
      'get',
      '/apps/:id/groups/:groupId',
      (req) => {
        const app = findApp(param(req, 'id'));
        const groupId = param(req, 'groupId');
        if (!app.assignments.groups.includes(groupId)) throw notFound('Group', groupId);
        return { status: 200, body: oktaAppGroup(app, groupId, base()) };
      },
    ],
    [
      'delete',
      '/apps/:id/groups/:groupId',
      (req) => {
        const app = findApp(param(req, 'id'));
        directory.unassign(app.id, { kind: 'group', id: findGroup(param(req, 'groupId')).id });
        return { status: 204 };
      },
    ],
  ];

  router.use(sswsGuard(options.token));
  router.use(json({ limit: '1mb' }));
  for (const [method, path, handler] of routes) {
    router[method](path, (req, res) => {
      const result = handler(req);
      res.set('cache-control', 'no-store');
      if (result.headers !== undefined) res.set(result.headers);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
  }
  router.use((req, res) => {
    res
      .status(404)
      .json(oktaErrorBody(new OktaApiError('E0000007', `Not found: Resource not found: ${req.path}`)));
  });
  // The one place API errors become Okta's error JSON (unknown errors: a generic 500, never a stack).
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof OktaApiError) {
      res.status(error.status).json(oktaErrorBody(error));
      return;
    }
    const status = httpClientErrorStatus(error);
    res
      .status(status ?? 500)
      .json(oktaErrorBody(new OktaApiError(status === null ? 'E0000009' : 'E0000003')));
  });
  return router;
}
