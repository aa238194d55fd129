// The simulator's JSON API: people, groups, apps (+ assignments, faults), sessions, issued responses, headless sign-in.
// idsim issue #3 (JSON API, /api/signin); saml-notes.md ("where are the users?": a JSON API for everything).

import { json, type Request, Router } from 'express';
import { z } from 'zod';
import {
  type Directory,
  IDP_APP_TEMPLATES,
  IDP_PERSONALITIES,
  importSpMetadataFromUrl,
  parseSpMetadata,
  type ServiceProvider,
} from '../directory/index.ts';
import { isOidcFaultId, OIDC_FAULT_IDS, type OidcFaultId } from '../oidc/faults.ts';
import type { OidcProvider } from '../oidc/provider.ts';
import { catalogueView, FAULT_FAMILIES, FAULT_IDS, isFaultId } from '../saml/faults/index.ts';
import { isResponseFault, RESPONSE_FAULTS, type ResponseFault } from '../saml/faults.ts';
import { headlessSignIn } from '../saml/headless.ts';
import type { IdentityProvider } from '../saml/idp.ts';
import { ApiInputError } from './errors.ts';

/** A handler takes the request value and returns {status, body}; the router only maps it. */
interface ApiResult {
  status: number;
  body?: unknown;
}
type ApiHandler = (req: Request) => ApiResult | Promise<ApiResult>;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ApiInputError(
      result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

const personInput = z.object({
  login: z.string().min(1),
  email: z.string().min(1).optional(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  password: z.string().min(1).optional(),
  status: z.enum(['staged', 'active', 'suspended', 'deprovisioned']).optional(),
});

const spInput = z.object({
  entityId: z.string().min(1),
  acsUrl: z.url(),
  sloUrl: z.url().optional(),
  signingCerts: z.array(z.string()).default([]),
  authnRequestsSigned: z.boolean().default(false),
  wantAssertionsSigned: z.boolean().default(true),
  encryptionCert: z.string().optional(),
});

const attributeStatement = z.object({
  name: z.string().min(1),
  value: z.enum(['email', 'login', 'firstName', 'lastName', 'displayName', 'groups']),
  groupFilter: z.string().optional(),
});

const oidcInput = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  redirectUris: z.array(z.url()).min(1),
  postLogoutRedirectUris: z.array(z.url()).default([]),
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post', 'none'])
    .default('client_secret_basic'),
  groupsFilter: z.string().optional(),
});

const appInput = z.object({
  name: z.string().min(1),
  template: z.enum(['catalogue', 'scim-test-app']).optional(),
  /** issue #13: the IdP the app behaves as; its attribute names and signing are the defaults */
  idp: z.enum(IDP_PERSONALITIES).optional(),
  /** Exactly one of: the SP fields, its metadata XML, or a URL to fetch the metadata from. */
  sp: spInput.optional(),
  spMetadataXml: z.string().optional(),
  spMetadataUrl: z.url().optional(),
  /** OpenID Connect client; an app offers SAML, OIDC or both. */
  oidc: oidcInput.optional(),
  attributeStatements: z.array(attributeStatement).optional(),
  signing: z
    .object({ signResponse: z.boolean().optional(), signAssertion: z.boolean().optional() })
    .optional(),
  assertionEncryption: z.boolean().optional(),
  defaultRelayState: z.string().optional(),
});

const appChanges = appInput
  .omit({ sp: true, oidc: true })
  .partial()
  .extend({ sp: spInput.partial().optional(), oidc: oidcInput.partial().optional() });

const assignmentInput = z.union([
  z.object({ personId: z.string().min(1) }),
  z.object({ groupId: z.string().min(1) }),
]);

const legacyFaults = z.array(
  z.custom<ResponseFault>(isResponseFault, { message: `a fault is one of: ${RESPONSE_FAULTS.join(', ')}` }),
);
/** A catalogue fault id (GET /api/faults lists them). */
const catalogueFault = z.custom<string>(isFaultId, {
  message: `unknown fault; GET /api/faults lists the ${FAULT_IDS.length} catalogue ids`,
});

const oidcFaultList = z.array(
  z.custom<OidcFaultId>(isOidcFaultId, { message: `a fault is one of: ${OIDC_FAULT_IDS.join(', ')}` }),
);
/** `{fault, victim?}`: one catalogue fault for the next sign-in; `{faults}`: the older template-level variants. */
const faultsInput = z.union([
  z.object({ fault: catalogueFault, victim: z.string().min(1).optional() }).strict(),
  z.object({ faults: legacyFaults }).strict(),
]);

const signinInput = z
  .object({
    appId: z.string().min(1),
    personId: z.string().min(1).optional(),
    login: z.string().min(1).optional(),
    mode: z.enum(['sp', 'idp']),
    spInitUrl: z.url().optional(),
    relayState: z.string().optional(),
    faults: legacyFaults.optional(),
    fault: catalogueFault.optional(),
    victim: z.string().min(1).optional(),
    /** OIDC faults for the next token (or authorization) response to the app; the sign-in starts at spInitUrl. */
    oidcFaults: oidcFaultList.optional(),
  })
  .refine((v) => v.personId !== undefined || v.login !== undefined, 'personId or login is required')
  .refine((v) => v.mode === 'idp' || v.spInitUrl !== undefined, "spInitUrl is required when mode is 'sp'");

async function spFromInput(input: z.infer<typeof appInput>): Promise<ServiceProvider | undefined> {
  const given = [input.sp, input.spMetadataXml, input.spMetadataUrl].filter((v) => v !== undefined).length;
  // An OIDC-only app has no SP; otherwise exactly one way of naming it.
  if (given === 0 && input.oidc !== undefined) return undefined;
  if (given !== 1)
    throw new ApiInputError('give exactly one of sp, spMetadataXml, spMetadataUrl (or only oidc)');
  if (input.spMetadataXml !== undefined) return parseSpMetadata(input.spMetadataXml);
  if (input.spMetadataUrl !== undefined) return importSpMetadataFromUrl(input.spMetadataUrl);
  return input.sp as ServiceProvider;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function assignmentsView(directory: Directory, appId: string): unknown {
  const app = directory.getApp(appId);
  return {
    people: app.assignments.people,
    groups: app.assignments.groups,
    effectivePeople: directory.assignedPeople(appId).map((p) => p.id),
  };
}

export function apiRoutes(idp: IdentityProvider, oidc: OidcProvider): Router {
  const router = Router();
  const directory = idp.directory;
  router.use(json({ limit: '1mb' }));

  const route = (method: 'get' | 'post' | 'patch' | 'delete', path: string, handler: ApiHandler): void => {
    router[method](path, async (req, res) => {
      const result = await handler(req);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
  };

  // ---- people ----
  route('get', '/people', () => ({ status: 200, body: directory.listPeople() }));
  route('post', '/people', (req) => ({
    status: 201,
    body: directory.addPerson(parse(personInput, req.body)),
  }));
  route('get', '/people/:id', (req) => ({ status: 200, body: directory.getPerson(param(req, 'id')) }));
  route('patch', '/people/:id', (req) => {
    const changes = parse(personInput.partial(), req.body);
    const person = directory.updatePerson(param(req, 'id'), changes);
    if (person.status !== 'active') idp.sessions.endAllFor(person.id);
    return { status: 200, body: person };
  });
  route('delete', '/people/:id', (req) => {
    idp.sessions.endAllFor(param(req, 'id'));
    directory.deletePerson(param(req, 'id'));
    return { status: 204 };
  });

  // ---- groups ----
  route('get', '/groups', () => ({ status: 200, body: directory.listGroups() }));
  route('post', '/groups', (req) => {
    const input = parse(
      z.object({ name: z.string().min(1), memberIds: z.array(z.string()).optional() }),
      req.body,
    );
    return { status: 201, body: directory.addGroup(input) };
  });
  route('get', '/groups/:id', (req) => ({ status: 200, body: directory.getGroup(param(req, 'id')) }));
  route('patch', '/groups/:id', (req) => {
    const input = parse(z.object({ name: z.string().min(1) }), req.body);
    return { status: 200, body: directory.renameGroup(param(req, 'id'), input.name) };
  });
  route('delete', '/groups/:id', (req) => {
    directory.deleteGroup(param(req, 'id'));
    return { status: 204 };
  });
  route('post', '/groups/:id/members', (req) => {
    const input = parse(z.object({ personIds: z.array(z.string().min(1)).min(1) }), req.body);
    return { status: 200, body: directory.addGroupMembers(param(req, 'id'), input.personIds) };
  });
  route('delete', '/groups/:id/members/:personId', (req) => ({
    status: 200,
    body: directory.removeGroupMembers(param(req, 'id'), [param(req, 'personId')]),
  }));

  // ---- apps ----
  route('get', '/apps', () => ({ status: 200, body: directory.listApps() }));
  // the app templates per IdP personality (issue #13), for the console's "new app" choice
  route('get', '/personalities', () => ({
    status: 200,
    body: IDP_PERSONALITIES.map((idp) => ({ idp, ...IDP_APP_TEMPLATES[idp] })),
  }));
  route('post', '/apps', async (req) => {
    const input = parse(appInput, req.body);
    const sp = await spFromInput(input);
    const app = directory.addApp({
      name: input.name,
      template: input.template,
      idp: input.idp,
      sp,
      oidc: input.oidc,
      attributeStatements: input.attributeStatements,
      signing: input.signing,
      assertionEncryption: input.assertionEncryption,
      defaultRelayState: input.defaultRelayState,
    });
    return { status: 201, body: app };
  });
  route('get', '/apps/:id', (req) => ({ status: 200, body: directory.getApp(param(req, 'id')) }));
  route('patch', '/apps/:id', (req) => ({
    status: 200,
    body: directory.updateApp(param(req, 'id'), parse(appChanges, req.body)),
  }));
  route('delete', '/apps/:id', (req) => {
    directory.deleteApp(param(req, 'id'));
    return { status: 204 };
  });
  route('get', '/apps/:id/assignments', (req) => ({
    status: 200,
    body: assignmentsView(directory, param(req, 'id')),
  }));
  route('post', '/apps/:id/assignments', (req) => {
    const input = parse(assignmentInput, req.body);
    const subject =
      'personId' in input
        ? { kind: 'person' as const, id: input.personId }
        : { kind: 'group' as const, id: input.groupId };
    directory.assign(param(req, 'id'), subject);
    return { status: 200, body: assignmentsView(directory, param(req, 'id')) };
  });
  route('delete', '/apps/:id/assignments/people/:personId', (req) => {
    directory.unassign(param(req, 'id'), { kind: 'person', id: param(req, 'personId') });
    return { status: 200, body: assignmentsView(directory, param(req, 'id')) };
  });
  route('delete', '/apps/:id/assignments/groups/:groupId', (req) => {
    directory.unassign(param(req, 'id'), { kind: 'group', id: param(req, 'groupId') });
    return { status: 200, body: assignmentsView(directory, param(req, 'id')) };
  });
  route('post', '/apps/:id/faults', (req) => {
    const input = parse(faultsInput, req.body);
    const appId = param(req, 'id');
    if ('fault' in input) {
      const armed = idp.armFault(appId, { fault: input.fault, victim: input.victim });
      return {
        status: 200,
        body: { appId, armed: [armed.fault], fault: armed.fault, victim: armed.victim ?? null },
      };
    }
    idp.armFaults(appId, input.faults);
    return { status: 200, body: { appId, armed: input.faults } };
  });
  route('get', '/apps/:id/faults', (req) => ({ status: 200, body: idp.armedFor(param(req, 'id')) }));
  route('delete', '/apps/:id/faults', (req) => {
    idp.disarm(param(req, 'id'));
    return { status: 204 };
  });

  // ---- the fault catalogue (faults/index.ts) ----
  route('get', '/faults', () => ({
    status: 200,
    body: { families: FAULT_FAMILIES, faults: catalogueView() },
  }));

  route('post', '/apps/:id/oidc-faults', (req) => {
    const input = parse(z.object({ faults: oidcFaultList }), req.body);
    oidc.armFaults(param(req, 'id'), input.faults);
    return { status: 200, body: { appId: param(req, 'id'), armed: input.faults } };
  });

  // ---- the OIDC provider's keys and issued tokens ----
  route('post', '/oidc/keys/rotate', (req) => {
    const input = parse(z.object({ keepPrevious: z.boolean().default(true) }), req.body);
    const { kid } = oidc.rotateKeys(input.keepPrevious);
    return { status: 200, body: { kid, published: oidc.keys.published.map((k) => k.kid) } };
  });
  route('get', '/oidc/tokens', () => ({ status: 200, body: oidc.issuedTokens() }));

  // ---- sessions and issued responses ----
  route('get', '/sessions', () => ({ status: 200, body: idp.sessions.list() }));
  route('delete', '/sessions/:id', (req) => {
    idp.sessions.end(param(req, 'id'));
    return { status: 204 };
  });
  route('get', '/signins', () => ({ status: 200, body: idp.issuedResponses() }));

  // ---- headless sign-in: the whole browser dance, run server-side ----
  route('post', '/signin', async (req) => {
    const input = parse(signinInput, req.body);
    const person =
      input.personId !== undefined
        ? directory.getPerson(input.personId)
        : directory.findPersonByLogin(input.login ?? '');
    if (person === undefined) throw new ApiInputError(`no person with login ${input.login}`);
    const app = directory.getApp(input.appId);
    if (input.faults !== undefined) idp.armFaults(app.id, input.faults);
    if (input.oidcFaults !== undefined) oidc.armFaults(app.id, input.oidcFaults);
    if (input.fault !== undefined) idp.armFault(app.id, { fault: input.fault, victim: input.victim });
    let startUrl: string;
    if (input.mode === 'idp') {
      const url = new URL(`${idp.endpoints.baseUrl}/apps/${encodeURIComponent(app.id)}/sso`);
      if (input.relayState !== undefined) url.searchParams.set('RelayState', input.relayState);
      startUrl = url.toString();
    } else {
      startUrl = input.spInitUrl ?? '';
    }
    const tokensBefore = oidc.issuedTokens().length;
    const result = await headlessSignIn({
      startUrl,
      credentials: { login: person.login, password: person.password },
    });
    // An OIDC sign-in's ID token goes to the RP's back channel, not the browser: the OP's log has it.
    const issued = oidc.issuedTokens();
    const idToken = issued.length > tokensBefore && issued[0]?.appId === app.id ? issued[0].idToken : null;
    return {
      status: 200,
      body: {
        landedAt: result.landedAt,
        status: result.status,
        spBody: result.json ?? result.body,
        samlResponse: result.samlResponse ?? null,
        idToken,
        relayState: result.relayState ?? null,
        loginPrompts: result.loginPrompts,
        errorCode: result.errorCode ?? null,
        steps: result.steps,
      },
    };
  });

  return router;
}
