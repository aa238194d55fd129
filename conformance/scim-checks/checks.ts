// Generates the schema-driven checks from a target's discovery documents: one check per schema, resource type and
// attribute, each mapped to the ServiceProviderConfig feature it needs. RFC 7643 2-7; RFC 7644 3.3-3.5, 3.4.2, 4.
import assert from 'node:assert/strict';
import type { ScimFeature } from '../applicability.ts';
import type { Discovery, SchemaAttribute, ScimResourceType } from './discovery.ts';
import {
  ATTRIBUTE_TYPES,
  COMMON_ATTRIBUTES,
  coreAttributes,
  MUTABILITIES,
  RETURNED,
  UNIQUENESS,
} from './discovery.ts';
import type { CheckRun, Json } from './fixtures.ts';
import { isObject, isWritable, member, referencedResourceType } from './fixtures.ts';
import { attributeProblems, resourceProblems } from './resource-validation.ts';

export type CheckOutcome = { status: 'passed' } | { status: 'not-applicable'; detail: string };

export interface ScimCheck {
  /** stable across runs for the same discovery documents, e.g. `patch/User/name.givenName/replace` */
  id: string;
  title: string;
  /** the RFC section the check encodes */
  rfc: string;
  /** ServiceProviderConfig features the check needs; missing ones make it n/a */
  features: ScimFeature[];
  /** throws an AssertionError (the plain-language reason) when the target does not conform */
  run(run: CheckRun): Promise<CheckOutcome>;
}

const PASSED: CheckOutcome = { status: 'passed' };
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

function notApplicable(detail: string): CheckOutcome {
  return { status: 'not-applicable', detail };
}

function noProblems(problems: string[], where: string): void {
  assert.deepEqual(
    problems,
    [],
    `${where} does not match the target's own /Schemas:\n- ${problems.join('\n- ')}`,
  );
}

function expectScimError(
  reply: { status: number; json: unknown; text: string },
  status: number,
  scimType: string | null,
  what: string,
): void {
  assert.equal(
    reply.status,
    status,
    `${what}: expected ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`,
  );
  const schemas = member(reply.json, 'schemas');
  assert.ok(
    Array.isArray(schemas) && schemas.includes(ERROR_SCHEMA),
    `${what}: the body is not a SCIM Error (RFC 7644 3.12)`,
  );
  if (scimType !== null) {
    assert.equal(
      member(reply.json, 'scimType'),
      scimType,
      `${what}: expected scimType "${scimType}" (RFC 7644 3.12)`,
    );
  }
}

function listResources(reply: { status: number; json: unknown; text: string }, what: string): Json[] {
  assert.equal(reply.status, 200, `${what} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
  const schemas = member(reply.json, 'schemas');
  assert.ok(
    Array.isArray(schemas) && schemas.includes(LIST_SCHEMA),
    `${what}: not a ListResponse (RFC 7644 3.4.2)`,
  );
  const resources = member(reply.json, 'Resources');
  if (resources === undefined) return [];
  assert.ok(Array.isArray(resources), `${what}: Resources is not an array`);
  return resources.filter(isObject);
}

function patchBody(operations: Json[]): Json {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}

/** Loose equality for a round trip: strings without case unless caseExact, objects by the keys that were sent. */
function holds(sent: unknown, got: unknown, attribute: SchemaAttribute): boolean {
  if (Array.isArray(sent)) {
    return (
      Array.isArray(got) &&
      sent.every((one) =>
        got.some((candidate) => holds(one, candidate, { ...attribute, multiValued: false })),
      )
    );
  }
  if (isObject(sent)) {
    return (
      isObject(got) &&
      Object.entries(sent).every(([key, value]) => {
        const sub = attribute.subAttributes.find(
          (candidate) => candidate.name.toLowerCase() === key.toLowerCase(),
        );
        return holds(value, member(got, key), sub ?? attribute);
      })
    );
  }
  if (typeof sent === 'string' && typeof got === 'string' && !attribute.caseExact) {
    return sent.toLowerCase() === got.toLowerCase();
  }
  if (attribute.type === 'dateTime' && typeof sent === 'string' && typeof got === 'string') {
    return Date.parse(sent) === Date.parse(got);
  }
  return sent === got;
}

/** Where an attribute lives in a resource: a core name, or `urn:...:Extension:name` for an extension's. */
interface Located {
  type: ScimResourceType;
  attribute: SchemaAttribute;
  /** the PATCH/filter path (RFC 7644 3.10) */
  path: string;
  /** the extension URN, or null for a core or common attribute */
  extension: string | null;
  /** RFC 7643 3.1 common attribute (id, externalId, meta), not listed in the schema */
  common: boolean;
}

function valueIn(resource: Json, located: Located): unknown {
  const holder = located.extension === null ? resource : member(resource, located.extension);
  return member(holder, located.attribute.name);
}

function withValue(located: Located, value: unknown): Json {
  if (located.extension === null) return { [located.attribute.name]: value };
  return { [located.extension]: { [located.attribute.name]: value } };
}

function attributesOf(discovery: Discovery, type: ScimResourceType): Located[] {
  const commonNames = new Set(COMMON_ATTRIBUTES.map((common) => common.name));
  const declaredNames = new Set(
    (discovery.schema(type.schema)?.attributes ?? []).map((attribute) => attribute.name.toLowerCase()),
  );
  const core = coreAttributes(discovery, type).map((attribute) => ({
    type,
    attribute,
    path: attribute.name,
    extension: null,
    common: commonNames.has(attribute.name) && !declaredNames.has(attribute.name.toLowerCase()),
  }));
  const extensions = type.schemaExtensions.flatMap((extension) =>
    (discovery.schema(extension.schema)?.attributes ?? []).map((attribute) => ({
      type,
      attribute,
      path: `${extension.schema}:${attribute.name}`,
      extension: extension.schema,
      common: false,
    })),
  );
  return [...core, ...extensions];
}

/** A body that creates a resource carrying `extra` (extension values merged and their URN listed in schemas). */
async function bodyWith(run: CheckRun, type: ScimResourceType, tag: string, extra: Json): Promise<Json> {
  const body = await run.minimalBody(type, tag);
  for (const [key, value] of Object.entries(extra)) {
    if (key.toLowerCase().startsWith('urn:') && isObject(value)) {
      body[key] = { ...(isObject(body[key]) ? body[key] : {}), ...value };
      if (!(body.schemas as string[]).includes(key)) (body.schemas as string[]).push(key);
    } else {
      body[key] = value;
    }
  }
  return body;
}

async function createWith(
  run: CheckRun,
  type: ScimResourceType,
  tag: string,
  extra: Json,
): Promise<Json & { id: string }> {
  const body = await bodyWith(run, type, tag, extra);
  const reply = await run.post(type, body);
  assert.equal(
    reply.status,
    201,
    `POST ${type.endpoint} with ${JSON.stringify(body).slice(0, 400)} answered ${reply.status}: ${reply.text.slice(0, 300)}`,
  );
  assert.ok(
    isObject(reply.json) && typeof reply.json.id === 'string',
    `POST ${type.endpoint} returned no id`,
  );
  return reply.json as Json & { id: string };
}

async function patch(run: CheckRun, type: ScimResourceType, id: string, operations: Json[]) {
  return run.scim.request('PATCH', `${type.endpoint}/${encodeURIComponent(id)}`, {
    body: patchBody(operations),
  });
}

/** Sends one PATCH operation, expects 200 or 204, and returns the attribute as a GET then reads it. */
async function patchAndRead(
  run: CheckRun,
  located: Located,
  id: string,
  operation: Json,
  what: string,
): Promise<unknown> {
  expectPatched(await patch(run, located.type, id, [operation]), what);
  return valueIn(await run.read(located.type, id), located);
}

function expectPatched(reply: { status: number; text: string }, what: string): void {
  assert.ok(
    reply.status === 200 || reply.status === 204,
    `${what} answered ${reply.status}: ${reply.text.slice(0, 300)}`,
  );
}

// ---- discovery (RFC 7644 4, RFC 7643 5-7)

function attributeDefinitionProblems(raw: unknown, path: string): string[] {
  if (!isObject(raw)) return [`${path} is not an object`];
  const problems: string[] = [];
  const name = raw.name;
  if (typeof name !== 'string' || name === '') problems.push(`${path} has no name`);
  const label = `${path} (${String(name)})`;
  const checks: [string, readonly string[]][] = [
    ['type', ATTRIBUTE_TYPES],
    ['mutability', MUTABILITIES],
    ['returned', RETURNED],
    ['uniqueness', UNIQUENESS],
  ];
  for (const [key, allowed] of checks) {
    const value = raw[key];
    if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
      problems.push(`${label}.${key} is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
    }
  }
  for (const key of ['multiValued', 'required', 'caseExact']) {
    if (raw[key] !== undefined && typeof raw[key] !== 'boolean')
      problems.push(`${label}.${key} is not a boolean`);
  }
  if (raw.canonicalValues !== undefined && !Array.isArray(raw.canonicalValues)) {
    problems.push(`${label}.canonicalValues is not an array`);
  }
  if (raw.type === 'reference' && (!Array.isArray(raw.referenceTypes) || raw.referenceTypes.length === 0)) {
    problems.push(`${label} is a reference without referenceTypes (RFC 7643 7)`);
  }
  if (raw.subAttributes !== undefined) {
    if (raw.type !== 'complex') problems.push(`${label} has subAttributes but is not complex`);
    else if (!Array.isArray(raw.subAttributes)) problems.push(`${label}.subAttributes is not an array`);
    else
      raw.subAttributes.forEach((sub, index) => {
        problems.push(...attributeDefinitionProblems(sub, `${label}.subAttributes[${index}]`));
      });
  } else if (raw.type === 'complex') {
    problems.push(`${label} is complex without subAttributes (RFC 7643 2.3.8)`);
  }
  return problems;
}

function discoveryChecks(discovery: Discovery): ScimCheck[] {
  const checks: ScimCheck[] = [];
  checks.push({
    id: 'discovery/documents',
    title: 'the three discovery documents are readable',
    rfc: 'RFC 7644 4',
    features: [],
    run: async () => {
      assert.deepEqual(discovery.snapshot.problems, [], discovery.snapshot.problems.join('; '));
      return PASSED;
    },
  });
  checks.push({
    id: 'discovery/service-provider-config',
    title: 'ServiceProviderConfig states every feature with a boolean "supported"',
    rfc: 'RFC 7643 5',
    features: [],
    run: async (run) => {
      const reply = await run.scim.request('GET', '/ServiceProviderConfig');
      assert.equal(reply.status, 200, `GET /ServiceProviderConfig answered ${reply.status}`);
      const config = reply.json;
      const schemas = member(config, 'schemas');
      assert.ok(
        Array.isArray(schemas) &&
          schemas.includes('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'),
        'schemas does not list the ServiceProviderConfig schema',
      );
      const missing = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'].filter(
        (feature) => typeof member(member(config, feature), 'supported') !== 'boolean',
      );
      assert.deepEqual(missing, [], `no boolean "supported" for ${missing.join(', ')}`);
      assert.ok(
        Array.isArray(member(config, 'authenticationSchemes')),
        'authenticationSchemes is not an array',
      );
      return PASSED;
    },
  });
  for (const schema of discovery.schemas) {
    checks.push({
      id: `discovery/schema/${schema.id}`,
      title: `/Schemas/${schema.id} answers the listed schema, and every attribute states valid characteristics`,
      rfc: 'RFC 7643 7, RFC 7644 4',
      features: [],
      run: async (run) => {
        const attributes = schema.raw.attributes;
        assert.ok(Array.isArray(attributes), `${schema.id} has no attributes array`);
        const problems = attributes.flatMap((raw, index) =>
          attributeDefinitionProblems(raw, `attributes[${index}]`),
        );
        assert.deepEqual(problems, [], problems.join('\n'));
        const byId = await run.scim.request('GET', `/Schemas/${encodeURIComponent(schema.id)}`);
        assert.equal(byId.status, 200, `GET /Schemas/${schema.id} answered ${byId.status}`);
        assert.equal(member(byId.json, 'id'), schema.id);
        assert.deepEqual(
          member(byId.json, 'attributes'),
          attributes,
          `/Schemas/${schema.id} differs from its /Schemas entry`,
        );
        return PASSED;
      },
    });
  }
  for (const type of discovery.resourceTypes) {
    checks.push({
      id: `discovery/resource-type/${type.id}`,
      title: `/ResourceTypes/${type.id} answers the listed type, and its schema and extensions are in /Schemas`,
      rfc: 'RFC 7643 6, RFC 7644 4',
      features: [],
      run: async (run) => {
        assert.ok(type.endpoint.startsWith('/'), `endpoint ${JSON.stringify(type.endpoint)} is not a path`);
        assert.ok(
          discovery.schema(type.schema) !== undefined,
          `its schema ${type.schema} is not in /Schemas`,
        );
        for (const extension of type.schemaExtensions) {
          assert.ok(
            discovery.schema(extension.schema) !== undefined,
            `its extension ${extension.schema} is not in /Schemas`,
          );
        }
        const byId = await run.scim.request('GET', `/ResourceTypes/${encodeURIComponent(type.id)}`);
        assert.equal(byId.status, 200, `GET /ResourceTypes/${type.id} answered ${byId.status}`);
        assert.equal(member(byId.json, 'schema'), type.schema);
        assert.equal(member(byId.json, 'endpoint'), type.endpoint);
        return PASSED;
      },
    });
  }
  checks.push({
    id: 'discovery/unknown-ids',
    title: 'an unknown schema or resource type answers 404 with a SCIM Error',
    rfc: 'RFC 7644 3.12, 4',
    features: [],
    run: async (run) => {
      const schema = await run.scim.request('GET', '/Schemas/urn:idsim:unknown:schema');
      expectScimError(schema, 404, null, 'GET /Schemas/urn:idsim:unknown:schema');
      const type = await run.scim.request('GET', '/ResourceTypes/IdsimUnknownType');
      expectScimError(type, 404, null, 'GET /ResourceTypes/IdsimUnknownType');
      return PASSED;
    },
  });
  return checks;
}

// ---- returned resources conform (RFC 7643 2, 3, 7)

function resourceChecks(discovery: Discovery, type: ScimResourceType): ScimCheck[] {
  const checks: ScimCheck[] = [];
  checks.push({
    id: `resource/${type.name}/returned`,
    title: `every ${type.name} returned by POST, GET, a list and PUT matches /Schemas (no undeclared attributes)`,
    rfc: 'RFC 7643 2, 3, 7',
    features: [],
    run: async (run) => {
      const created = await run.create(type, 'a');
      noProblems(resourceProblems(created, type, discovery), `POST ${type.endpoint}`);
      const read = await run.read(type, created.id);
      noProblems(resourceProblems(read, type, discovery), `GET ${type.endpoint}/${created.id}`);
      const listed = listResources(
        await run.scim.request('GET', `${type.endpoint}?count=10`),
        `GET ${type.endpoint}`,
      );
      listed.forEach((resource, index) => {
        noProblems(resourceProblems(resource, type, discovery), `GET ${type.endpoint} Resources[${index}]`);
      });
      const { id: _id, meta: _meta, ...replacement } = read;
      const put = await run.scim.request('PUT', `${type.endpoint}/${encodeURIComponent(created.id)}`, {
        body: replacement,
      });
      assert.equal(
        put.status,
        200,
        `PUT of the resource as read answered ${put.status}: ${put.text.slice(0, 300)}`,
      );
      noProblems(resourceProblems(put.json, type, discovery), `PUT ${type.endpoint}/${created.id}`);
      return PASSED;
    },
  });
  for (const located of attributesOf(discovery, type)) {
    const { attribute, path } = located;
    checks.push({
      id: `resource/${type.name}/${path}`,
      title: `${type.name}.${path}: ${attribute.type}${attribute.multiValued ? '[]' : ''}, ${attribute.mutability}, returned ${attribute.returned} — as declared`,
      rfc: 'RFC 7643 2.2, 2.3, 7',
      features: [],
      run: async (run) => {
        // writable: sent and echoed; readOnly: sent and ignored (RFC 7644 3.3); otherwise only what is returned.
        const sample =
          located.common ||
          attribute.mutability === 'writeOnly' ||
          (attribute.mutability === 'readOnly' &&
            attribute.type === 'complex' &&
            attribute.subAttributes.some(
              (sub) => sub.name === 'value' && referencedResourceType(attribute, discovery) !== undefined,
            ))
            ? undefined
            : await run.sample(
                attribute,
                path,
                attribute.mutability === 'readOnly' ? 'ro' : 'v',
                attribute.mutability === 'readOnly' ? 1 : 0,
                { includeReadOnly: attribute.mutability === 'readOnly' },
              );
        const created = await createWith(
          run,
          type,
          'a',
          sample === undefined ? {} : withValue(located, sample),
        );
        const read = await run.read(type, created.id);
        for (const [where, resource] of [
          ['POST', created],
          ['GET', read],
        ] as const) {
          const value = valueIn(resource, located);
          if (value !== undefined)
            noProblems(attributeProblems(attribute, value, path), `${where} ${type.endpoint}`);
          if (attribute.returned === 'always')
            assert.ok(value !== undefined, `${where}: ${path} is missing but declared returned "always"`);
          if (attribute.required && !located.common)
            assert.ok(value !== undefined, `${where}: ${path} is missing but declared required`);
        }
        const value = valueIn(read, located);
        if (sample !== undefined && isWritable(attribute)) {
          assert.ok(
            holds(sample, value, attribute),
            `${path} was sent as ${JSON.stringify(sample)} and read back as ${JSON.stringify(value)}`,
          );
        }
        if (sample !== undefined && attribute.mutability === 'readOnly') {
          assert.ok(
            value === undefined || !holds(sample, value, attribute),
            `${path} is readOnly but the value sent on create was stored: ${JSON.stringify(value)} (RFC 7644 3.3: ignored)`,
          );
        }
        if (sample === undefined && value === undefined)
          run.note(`${path} is not returned on a new ${type.name}: only its declaration was checked`);
        return PASSED;
      },
    });
    if (attribute.required && isWritable(attribute) && !located.common && located.extension === null) {
      checks.push({
        id: `resource/${type.name}/${path}/required`,
        title: `${type.name} without its required ${path} is refused with 400`,
        rfc: 'RFC 7643 2.2 (required), RFC 7644 3.3, 3.12',
        features: [],
        run: async (run) => {
          const body = await run.minimalBody(type, 'a');
          delete body[attribute.name];
          const reply = await run.post(type, body);
          expectScimError(reply, 400, null, `POST ${type.endpoint} without ${path}`);
          return PASSED;
        },
      });
    }
    const uniquenessTestable =
      attribute.type === 'string' &&
      !attribute.multiValued &&
      isWritable(attribute) &&
      attribute.canonicalValues.length === 0 &&
      located.extension === null;
    if (uniquenessTestable && attribute.uniqueness !== 'none') {
      checks.push({
        id: `resource/${type.name}/${path}/uniqueness`,
        title: `a second ${type.name} with the same ${path} is refused with 409 uniqueness (uniqueness ${attribute.uniqueness})`,
        rfc: 'RFC 7643 2.2 (uniqueness), RFC 7644 3.3, 3.12',
        features: [],
        run: async (run) => {
          const value = run.text(path, 'same');
          await createWith(run, type, 'a', { [attribute.name]: value });
          const second = await run.post(type, await bodyWith(run, type, 'b', { [attribute.name]: value }));
          expectScimError(second, 409, 'uniqueness', `a second ${type.name} with ${path} "${value}"`);
          return PASSED;
        },
      });
    } else if (uniquenessTestable) {
      checks.push({
        id: `resource/${type.name}/${path}/not-unique`,
        title: `a second ${type.name} with the same ${path} is accepted (uniqueness none)`,
        rfc: 'RFC 7643 2.2 (uniqueness), 3.1',
        features: [],
        run: async (run) => {
          const value = run.text(path, 'same');
          await createWith(run, type, 'a', { [attribute.name]: value });
          const second = await run.post(type, await bodyWith(run, type, 'b', { [attribute.name]: value }));
          assert.equal(
            second.status,
            201,
            `${path} is declared uniqueness "none", but a second ${type.name} with "${value}" answered ${second.status}: ${second.text.slice(0, 200)}`,
          );
          return PASSED;
        },
      });
    }
  }
  return checks;
}

// ---- PATCH per mutable attribute (RFC 7644 3.5.2), confirmed by GET

function patchChecks(discovery: Discovery, type: ScimResourceType): ScimCheck[] {
  const checks: ScimCheck[] = [];
  const add = (check: Omit<ScimCheck, 'features' | 'rfc'> & { rfc?: string; features?: ScimFeature[] }) =>
    checks.push({ rfc: 'RFC 7644 3.5.2', ...check, features: check.features ?? ['patch'] });
  for (const located of attributesOf(discovery, type)) {
    const { attribute, path } = located;
    if (attribute.mutability === 'readOnly') {
      if (located.common && attribute.name === 'meta') continue;
      const strict = located.common;
      add({
        id: `patch/${type.name}/${path}/read-only`,
        title: `PATCH replace of the readOnly ${path} is refused with 400 mutability`,
        rfc: 'RFC 7644 3.5.2, 3.12 (mutability); RFC 7643 2.2',
        run: async (run) => {
          const created = await run.create(type, 'a');
          const before = valueIn(created, located);
          const value =
            attribute.name === 'id'
              ? `chk-${run.unique}-other-id`
              : await run.sample(attribute, path, 'ro', 1, { includeReadOnly: true });
          if (value === undefined) return notApplicable(`no sample value can be built for ${path}`);
          const reply = await patch(run, type, created.id, [{ op: 'replace', path, value }]);
          if (!strict && (reply.status === 200 || reply.status === 204)) {
            // Tolerated (reported in the notes): Okta and Entra send derived readOnly attributes such as displayName.
            const after = valueIn(await run.read(type, created.id), located);
            assert.deepEqual(
              after,
              before,
              `the readOnly ${path} was changed by PATCH: ${JSON.stringify(after)}`,
            );
            run.note(`${path}: the PATCH was accepted and ignored; RFC 7644 3.5.2 asks for 400 mutability`);
            return PASSED;
          }
          expectScimError(reply, 400, 'mutability', `PATCH replace of the readOnly ${path}`);
          return PASSED;
        },
      });
      continue;
    }
    if (
      attribute.mutability === 'immutable' &&
      located.extension === null &&
      !attribute.multiValued &&
      attribute.type !== 'complex'
    ) {
      add({
        id: `patch/${type.name}/${path}/immutable`,
        title: `PATCH replace of the immutable ${path} with another value is refused with 400 mutability`,
        rfc: 'RFC 7644 3.5.2, 3.12 (mutability); RFC 7643 2.2',
        run: async (run) => {
          const first = await run.sample(attribute, path, 'v', 0);
          const second = await run.sample(attribute, path, 'w', 1);
          if (first === undefined || second === undefined || first === second) {
            return notApplicable(`no two sample values can be built for ${path}`);
          }
          const created = await createWith(run, type, 'a', withValue(located, first));
          const reply = await patch(run, type, created.id, [{ op: 'replace', path, value: second }]);
          expectScimError(reply, 400, 'mutability', `PATCH replace of the immutable ${path}`);
          return PASSED;
        },
      });
      continue;
    }
    if (attribute.mutability === 'writeOnly') {
      const features: ScimFeature[] =
        attribute.name.toLowerCase() === 'password' ? ['patch', 'changePassword'] : ['patch'];
      add({
        id: `patch/${type.name}/${path}/write-only`,
        title: `PATCH replace of the writeOnly ${path} is accepted and never returned`,
        rfc: 'RFC 7644 3.5.2; RFC 7643 2.2 (writeOnly), 5 (changePassword)',
        features,
        run: async (run) => {
          const created = await run.create(type, 'a');
          const value = await run.sample(attribute, path, 'Secret1!', 0);
          const reply = await patch(run, type, created.id, [{ op: 'replace', path, value }]);
          expectPatched(reply, `PATCH replace ${path}`);
          assert.equal(
            valueIn(await run.read(type, created.id), located),
            undefined,
            `the writeOnly ${path} is returned`,
          );
          return PASSED;
        },
      });
      continue;
    }
    if (located.common || attribute.mutability !== 'readWrite') continue;
    if (attribute.type !== 'complex' && !attribute.multiValued) {
      add({
        id: `patch/${type.name}/${path}/replace`,
        title: `PATCH replace at "${path}" changes it, confirmed by GET`,
        run: async (run) => {
          const before = await run.sample(attribute, path, 'v', 0);
          const after = await run.sample(attribute, path, 'w', 1);
          if (before === undefined || after === undefined)
            return notApplicable(`no sample value can be built for ${path}`);
          const created = await createWith(run, type, 'a', withValue(located, before));
          const got = await patchAndRead(
            run,
            located,
            created.id,
            { op: 'replace', path, value: after },
            `PATCH replace ${path}`,
          );
          assert.ok(
            holds(after, got, attribute),
            `${path}: replaced with ${JSON.stringify(after)}, read back ${JSON.stringify(got)}`,
          );
          return PASSED;
        },
      });
      add({
        id: `patch/${type.name}/${path}/add`,
        title: `PATCH add at "${path}" sets it, confirmed by GET`,
        rfc: 'RFC 7644 3.5.2.1',
        run: async (run) => {
          const value = await run.sample(attribute, path, 'w', 1);
          if (value === undefined) return notApplicable(`no sample value can be built for ${path}`);
          const created = await run.create(type, 'a');
          const got = await patchAndRead(
            run,
            located,
            created.id,
            { op: 'add', path, value },
            `PATCH add ${path}`,
          );
          assert.ok(
            holds(value, got, attribute),
            `${path}: added ${JSON.stringify(value)}, read back ${JSON.stringify(got)}`,
          );
          return PASSED;
        },
      });
      if (!attribute.required) {
        add({
          id: `patch/${type.name}/${path}/remove`,
          title: `PATCH remove at "${path}" unassigns it, confirmed by GET`,
          rfc: 'RFC 7644 3.5.2.2',
          run: async (run) => {
            const value = await run.sample(attribute, path, 'v', 0);
            if (value === undefined) return notApplicable(`no sample value can be built for ${path}`);
            const created = await createWith(run, type, 'a', withValue(located, value));
            const got = await patchAndRead(
              run,
              located,
              created.id,
              { op: 'remove', path },
              `PATCH remove ${path}`,
            );
            assert.equal(got, undefined, `${path} is still ${JSON.stringify(got)} after remove`);
            return PASSED;
          },
        });
      }
      continue;
    }
    if (attribute.type === 'complex' && !attribute.multiValued) {
      for (const sub of attribute.subAttributes) {
        if (sub.mutability !== 'readWrite' || sub.type === 'complex') continue;
        const subPath = `${path}.${sub.name}`;
        add({
          id: `patch/${type.name}/${subPath}/replace`,
          title: `PATCH replace at "${subPath}" changes the sub-attribute only, confirmed by GET`,
          rfc: 'RFC 7644 3.5.2.3, 3.10',
          run: async (run) => {
            const value = await run.sample(sub, subPath, 'w', 1);
            if (value === undefined) return notApplicable(`no sample value can be built for ${subPath}`);
            const created = await run.create(type, 'a');
            const others = Object.entries(
              isObject(valueIn(created, located)) ? (valueIn(created, located) as Json) : {},
            ).filter(([key]) => key.toLowerCase() !== sub.name.toLowerCase());
            const got = await patchAndRead(
              run,
              located,
              created.id,
              { op: 'replace', path: subPath, value },
              `PATCH replace ${subPath}`,
            );
            assert.ok(
              holds(value, member(got, sub.name), sub),
              `${subPath}: replaced with ${JSON.stringify(value)}, read back ${JSON.stringify(member(got, sub.name))}`,
            );
            for (const [key, before] of others) {
              assert.deepEqual(
                member(got, key),
                before,
                `${path}.${key} changed although only ${subPath} was replaced`,
              );
            }
            return PASSED;
          },
        });
      }
      add({
        id: `patch/${type.name}/${path}/add`,
        title: `PATCH add at "${path}" with a complex value sets its sub-attributes, confirmed by GET`,
        rfc: 'RFC 7644 3.5.2.1',
        run: async (run) => {
          const value = await run.sample(attribute, path, 'w', 1);
          if (value === undefined) return notApplicable(`no writable sub-attribute of ${path}`);
          const created = await run.create(type, 'a');
          const got = await patchAndRead(
            run,
            located,
            created.id,
            { op: 'add', path, value },
            `PATCH add ${path}`,
          );
          assert.ok(
            holds(value, got, attribute),
            `${path}: added ${JSON.stringify(value)}, read back ${JSON.stringify(got)}`,
          );
          return PASSED;
        },
      });
      continue;
    }
    if (attribute.type === 'complex' && attribute.multiValued) {
      add({
        id: `patch/${type.name}/${path}/add`,
        title: `PATCH add at "${path}" appends a value, confirmed by GET`,
        rfc: 'RFC 7644 3.5.2.1',
        run: async (run) => {
          const first = await run.sample(attribute, path, 'v', 0);
          const second = await run.sample(attribute, path, 'w', 1);
          if (first === undefined || second === undefined)
            return notApplicable(`no sample value can be built for ${path}`);
          const created = await createWith(run, type, 'a', withValue(located, first));
          const got = await patchAndRead(
            run,
            located,
            created.id,
            { op: 'add', path, value: second },
            `PATCH add ${path}`,
          );
          assert.ok(
            holds(first, got, attribute) && holds(second, got, attribute),
            `${path}: held ${JSON.stringify(first)}, added ${JSON.stringify(second)}, read back ${JSON.stringify(got)}`,
          );
          return PASSED;
        },
      });
      const hasValue = attribute.subAttributes.some((sub) => sub.name === 'value');
      if (!hasValue) continue;
      const valueSub = attribute.subAttributes.find((sub) => sub.name === 'value');
      if (valueSub?.mutability === 'immutable') {
        add({
          id: `patch/${type.name}/${path}.value/immutable`,
          title: `PATCH replace at "${path}[value eq ...].value" (an immutable sub-attribute) is refused with 400 mutability`,
          rfc: 'RFC 7644 3.5.2, 3.12 (mutability); RFC 7643 2.2',
          run: async (run) => {
            const first = (await run.sample(attribute, path, 'v', 0)) as Json[] | undefined;
            const other = (await run.sample(attribute, path, 'w', 1)) as Json[] | undefined;
            if (first?.[0]?.value === undefined || other?.[0]?.value === undefined) {
              return notApplicable(`no sample values can be built for ${path}`);
            }
            const created = await createWith(run, type, 'a', withValue(located, first));
            const valuePath = `${path}[value eq ${JSON.stringify(first[0].value)}].value`;
            const reply = await patch(run, type, created.id, [
              { op: 'replace', path: valuePath, value: other[0].value },
            ]);
            expectScimError(reply, 400, 'mutability', `PATCH replace ${valuePath}`);
            return PASSED;
          },
        });
      }
      const target = attribute.subAttributes.find(
        (sub) =>
          sub.name !== 'value' &&
          sub.name !== 'primary' &&
          sub.mutability === 'readWrite' &&
          sub.type !== 'complex',
      );
      if (target !== undefined) {
        add({
          id: `patch/${type.name}/${path}/replace-by-filter`,
          title: `PATCH replace at "${path}[value eq ...].${target.name}" changes the matching value only, confirmed by GET`,
          rfc: 'RFC 7644 3.5.2.3, 3.10 (valuePath)',
          run: async (run) => {
            const first = (await run.sample(attribute, path, 'v', 0)) as Json[] | undefined;
            const second = (await run.sample(attribute, path, 'w', 1)) as Json[] | undefined;
            const changed = await run.sample(target, `${path}.${target.name}`, 'x', 2);
            if (first?.[0]?.value === undefined || second?.[0] === undefined || changed === undefined) {
              return notApplicable(`no sample values can be built for ${path}`);
            }
            const created = await createWith(
              run,
              type,
              'a',
              withValue(located, [...first, ...second.map((one) => ({ ...one, primary: false }))]),
            );
            const valuePath = `${path}[value eq ${JSON.stringify(first[0].value)}].${target.name}`;
            const got = await patchAndRead(
              run,
              located,
              created.id,
              { op: 'replace', path: valuePath, value: changed },
              `PATCH replace ${valuePath}`,
            );
            const list = Array.isArray(got) ? got.filter(isObject) : [];
            const matched = list.find((one) =>
              holds(
                first[0]?.value,
                member(one, 'value'),
                attribute.subAttributes.find((sub) => sub.name === 'value') ?? attribute,
              ),
            );
            assert.ok(
              matched !== undefined && holds(changed, member(matched, target.name), target),
              `${valuePath}: read back ${JSON.stringify(got)}`,
            );
            assert.ok(
              holds(second, got, attribute),
              `the other value of ${path} changed: ${JSON.stringify(got)}`,
            );
            return PASSED;
          },
        });
      }
      add({
        id: `patch/${type.name}/${path}/remove-by-filter`,
        title: `PATCH remove at "${path}[value eq ...]" removes the matching value only, confirmed by GET`,
        rfc: 'RFC 7644 3.5.2.2, 3.10 (valuePath)',
        run: async (run) => {
          const first = (await run.sample(attribute, path, 'v', 0)) as Json[] | undefined;
          const second = (await run.sample(attribute, path, 'w', 1)) as Json[] | undefined;
          if (first?.[0]?.value === undefined || second?.[0] === undefined)
            return notApplicable(`no sample values can be built for ${path}`);
          const kept: Json[] = second.map((one) => ({ ...one, primary: false }));
          const created = await createWith(run, type, 'a', withValue(located, [...first, ...kept]));
          const valuePath = `${path}[value eq ${JSON.stringify(first[0].value)}]`;
          const got = await patchAndRead(
            run,
            located,
            created.id,
            { op: 'remove', path: valuePath },
            `PATCH remove ${valuePath}`,
          );
          const valueSub = attribute.subAttributes.find((sub) => sub.name === 'value') ?? attribute;
          const list = Array.isArray(got) ? got.filter(isObject) : [];
          assert.ok(
            !list.some((one) => holds(first[0]?.value, member(one, 'value'), valueSub)),
            `${valuePath} is still there: ${JSON.stringify(got)}`,
          );
          assert.ok(
            list.some((one) => holds(kept[0]?.value, member(one, 'value'), valueSub)),
            `the other value of ${path} was removed too: ${JSON.stringify(got)}`,
          );
          return PASSED;
        },
      });
    }
  }
  return checks;
}

// ---- query: attributes/excludedAttributes, sort, paging, filters (RFC 7644 3.4.2, 3.4.3)

/** The attribute lists, sorts and filters are tried on: a unique string one, else a required string one. */
function keyAttribute(discovery: Discovery, type: ScimResourceType): SchemaAttribute | undefined {
  const attributes = discovery.schema(type.schema)?.attributes ?? [];
  const strings = attributes.filter(
    (attribute) =>
      attribute.type === 'string' &&
      !attribute.multiValued &&
      isWritable(attribute) &&
      attribute.canonicalValues.length === 0,
  );
  return (
    strings.find((attribute) => attribute.uniqueness !== 'none') ??
    strings.find((attribute) => attribute.required)
  );
}

/** Creates three resources whose key attribute ends in -a, -b, -c (in the order b, c, a). */
async function threeResources(
  run: CheckRun,
  type: ScimResourceType,
  key: SchemaAttribute,
  extra: (tag: string) => Json = () => ({}),
) {
  const made: Record<string, Json & { id: string }> = {};
  for (const tag of ['b', 'c', 'a']) {
    made[tag] = await createWith(run, type, tag, { [key.name]: run.text(key.name, tag), ...extra(tag) });
  }
  return made as Record<'a' | 'b' | 'c', Json & { id: string }>;
}

async function filtered(
  run: CheckRun,
  type: ScimResourceType,
  filter: string,
): Promise<{ ids: string[]; status: number; reply: Awaited<ReturnType<CheckRun['scim']['request']>> }> {
  const reply = await run.scim.request('GET', `${type.endpoint}?filter=${encodeURIComponent(filter)}`);
  if (reply.status !== 200) return { ids: [], status: reply.status, reply };
  return {
    ids: listResources(reply, `filter ${filter}`).map((resource) => String(member(resource, 'id'))),
    status: 200,
    reply,
  };
}

function queryChecks(discovery: Discovery, type: ScimResourceType): ScimCheck[] {
  const checks: ScimCheck[] = [];
  const key = keyAttribute(discovery, type);
  const schemaAttributes = discovery.schema(type.schema)?.attributes ?? [];
  /** an attribute returned by default that the projection tests ask for or leave out */
  const projected = (resource: Json): SchemaAttribute | undefined =>
    schemaAttributes.find(
      (attribute) => attribute.returned === 'default' && member(resource, attribute.name) !== undefined,
    );
  const always = new Set([
    'id',
    'schemas',
    ...schemaAttributes.filter((a) => a.returned === 'always').map((a) => a.name.toLowerCase()),
  ]);

  const projectionProblems = (
    resource: Json,
    kept: SchemaAttribute,
    mode: 'attributes' | 'excludedAttributes',
    full: Json,
  ): string[] => {
    const problems: string[] = [];
    const present = member(resource, kept.name) !== undefined;
    if (mode === 'attributes') {
      if (!present) problems.push(`${kept.name} was asked for but is missing`);
      if (member(resource, 'id') === undefined) problems.push('id is missing (returned "always")');
      for (const name of Object.keys(resource)) {
        if (!always.has(name.toLowerCase()) && name.toLowerCase() !== kept.name.toLowerCase()) {
          problems.push(`${name} is returned although only ${kept.name} was asked for`);
        }
      }
    } else {
      if (present) problems.push(`${kept.name} was excluded but is returned`);
      for (const name of Object.keys(full)) {
        if (
          name.toLowerCase() !== kept.name.toLowerCase() &&
          name !== 'meta' &&
          member(resource, name) === undefined
        ) {
          problems.push(`${name} is missing although only ${kept.name} was excluded`);
        }
      }
    }
    return problems;
  };

  for (const mode of ['attributes', 'excludedAttributes'] as const) {
    checks.push({
      id: `query/${type.name}/${mode}/by-id`,
      title: `GET ${type.endpoint}/{id}?${mode}= narrows the returned attributes`,
      rfc: 'RFC 7644 3.4.2.5, 3.9',
      features: [],
      run: async (run) => {
        const created = await run.create(type, 'a');
        const full = await run.read(type, created.id);
        const kept = projected(full);
        if (kept === undefined) return notApplicable(`no attribute of ${type.name} is returned by default`);
        const narrowed = await run.read(type, created.id, `?${mode}=${encodeURIComponent(kept.name)}`);
        noProblems(projectionProblems(narrowed, kept, mode, full), `GET ?${mode}=${kept.name}`);
        return PASSED;
      },
    });
    checks.push({
      id: `query/${type.name}/${mode}/list`,
      title: `GET ${type.endpoint}?${mode}= narrows every listed resource`,
      rfc: 'RFC 7644 3.4.2.5',
      features: [],
      run: async (run) => {
        const created = await run.create(type, 'a');
        const full = await run.read(type, created.id);
        const kept = projected(full);
        if (kept === undefined) return notApplicable(`no attribute of ${type.name} is returned by default`);
        const listed = listResources(
          await run.scim.request('GET', `${type.endpoint}?count=5&${mode}=${encodeURIComponent(kept.name)}`),
          `GET ${type.endpoint}?${mode}=`,
        );
        assert.ok(listed.length > 0, 'the list is empty although a resource was just created');
        for (const resource of listed) {
          const same = resource.id === created.id ? full : await run.read(type, String(resource.id));
          noProblems(
            projectionProblems(resource, kept, mode, same),
            `listed ${type.name} ${String(resource.id)}`,
          );
        }
        return PASSED;
      },
    });
    checks.push({
      id: `query/${type.name}/${mode}/search`,
      title: `POST ${type.endpoint}/.search with ${mode} narrows every resource`,
      rfc: 'RFC 7644 3.4.3',
      features: [],
      run: async (run) => {
        const created = await run.create(type, 'a');
        const full = await run.read(type, created.id);
        const kept = projected(full);
        if (kept === undefined) return notApplicable(`no attribute of ${type.name} is returned by default`);
        const reply = await run.scim.request('POST', `${type.endpoint}/.search`, {
          body: { schemas: [SEARCH_SCHEMA], [mode]: [kept.name], count: 5 },
        });
        // RFC 7644 3.4.3: POST /.search is a MAY and no ServiceProviderConfig field declares it.
        if ([404, 405, 501].includes(reply.status))
          return notApplicable(`POST ${type.endpoint}/.search answered ${reply.status}: not offered`);
        const listed = listResources(reply, `POST ${type.endpoint}/.search`);
        assert.ok(listed.length > 0, 'the search found nothing although a resource was just created');
        for (const resource of listed) {
          const same = resource.id === created.id ? full : await run.read(type, String(resource.id));
          noProblems(
            projectionProblems(resource, kept, mode, same),
            `searched ${type.name} ${String(resource.id)}`,
          );
        }
        return PASSED;
      },
    });
  }

  checks.push({
    id: `query/${type.name}/paging/past-the-end`,
    title: `GET ${type.endpoint} with startIndex past the end answers 200, no resources, the same totalResults`,
    rfc: 'RFC 7644 3.4.2.4',
    features: [],
    run: async (run) => {
      await run.create(type, 'a');
      const first = await run.scim.request('GET', `${type.endpoint}?startIndex=1&count=1`);
      const total = member(first.json, 'totalResults');
      assert.ok(Number.isInteger(total), `totalResults is ${JSON.stringify(total)}`);
      const past = await run.scim.request(
        'GET',
        `${type.endpoint}?startIndex=${Number(total) + 100}&count=10`,
      );
      assert.deepEqual(listResources(past, 'startIndex past the end'), [], 'resources listed past the end');
      assert.equal(member(past.json, 'totalResults'), total, 'totalResults changed past the end');
      return PASSED;
    },
  });
  checks.push({
    id: `query/${type.name}/paging/count-zero`,
    title: `GET ${type.endpoint}?count=0 answers only totalResults`,
    rfc: 'RFC 7644 3.4.2.4',
    features: [],
    run: async (run) => {
      await run.create(type, 'a');
      const reply = await run.scim.request('GET', `${type.endpoint}?count=0`);
      assert.deepEqual(listResources(reply, 'count=0'), [], 'count=0 listed resources');
      const total = member(reply.json, 'totalResults');
      assert.ok(
        Number.isInteger(total) && Number(total) >= 1,
        `totalResults is ${JSON.stringify(total)} with a resource present`,
      );
      const perPage = member(reply.json, 'itemsPerPage');
      assert.ok(perPage === undefined || perPage === 0, `itemsPerPage is ${JSON.stringify(perPage)}`);
      return PASSED;
    },
  });
  if (key === undefined) return checks;

  checks.push({
    id: `query/${type.name}/paging/consistent-pages`,
    title: `pages of one ${type.name} each (count=1) list each resource once and agree on totalResults`,
    rfc: 'RFC 7644 3.4.2.4',
    features: ['filter'],
    run: async (run) => {
      const made = await threeResources(run, type, key);
      const filter = encodeURIComponent(`${key.name} sw "${run.prefix}"`);
      const seen: string[] = [];
      for (const startIndex of [1, 2, 3]) {
        const reply = await run.scim.request(
          'GET',
          `${type.endpoint}?filter=${filter}&startIndex=${startIndex}&count=1`,
        );
        const listed = listResources(reply, `page ${startIndex}`);
        assert.equal(listed.length, 1, `page ${startIndex} listed ${listed.length} resources`);
        assert.equal(member(reply.json, 'totalResults'), 3, `page ${startIndex}: totalResults`);
        assert.equal(member(reply.json, 'startIndex'), startIndex, `page ${startIndex}: startIndex`);
        assert.equal(member(reply.json, 'itemsPerPage'), 1, `page ${startIndex}: itemsPerPage`);
        seen.push(String(member(listed[0], 'id')));
      }
      assert.deepEqual(
        seen.slice().sort(),
        [made.a.id, made.b.id, made.c.id].sort(),
        'pages repeat or miss a resource',
      );
      return PASSED;
    },
  });
  checks.push({
    id: `query/${type.name}/sort/${key.name}`,
    title: `sortBy=${key.name} with sortOrder ascending and descending orders the list`,
    rfc: 'RFC 7644 3.4.2.3',
    features: ['sort', 'filter'],
    run: async (run) => {
      const made = await threeResources(run, type, key);
      const filter = encodeURIComponent(`${key.name} sw "${run.prefix}"`);
      for (const [order, expected] of [
        ['ascending', [made.a.id, made.b.id, made.c.id]],
        ['descending', [made.c.id, made.b.id, made.a.id]],
      ] as const) {
        const reply = await run.scim.request(
          'GET',
          `${type.endpoint}?filter=${filter}&sortBy=${key.name}&sortOrder=${order}`,
        );
        const ids = listResources(reply, `sortOrder=${order}`).map((resource) => member(resource, 'id'));
        assert.deepEqual(ids, expected, `sortBy=${key.name}&sortOrder=${order}`);
      }
      return PASSED;
    },
  });

  const k = key.name;
  const email = k.toLowerCase() === 'username' ? '@scim-checks.example' : '';
  const filterCases: {
    name: string;
    title: string;
    filter: (run: CheckRun) => string;
    expect: ('a' | 'b' | 'c')[];
  }[] = [
    { name: 'eq', title: `${k} eq`, filter: (run) => `${k} eq "${run.text(k, 'b')}"`, expect: ['b'] },
    {
      name: 'case-insensitive-names',
      title: `attribute name and operator in another case (${k.toUpperCase()} EQ)`,
      filter: (run) => `${k.toUpperCase()} EQ "${run.text(k, 'b')}"`,
      expect: ['b'],
    },
    {
      name: 'case-exact',
      title: `${k} eq with the value upper-cased matches only when caseExact is false (declared ${key.caseExact})`,
      filter: (run) => `${k} eq "${run.text(k, 'b').toUpperCase()}"`,
      expect: key.caseExact ? [] : ['b'],
    },
    {
      name: 'ne',
      title: `${k} ne`,
      filter: (run) => `${k} ne "${run.text(k, 'b')}" and ${k} sw "${run.prefix}"`,
      expect: ['a', 'c'],
    },
    { name: 'co', title: `${k} co`, filter: (run) => `${k} co "${run.unique}-b"`, expect: ['b'] },
    { name: 'sw', title: `${k} sw`, filter: (run) => `${k} sw "${run.prefix}"`, expect: ['a', 'b', 'c'] },
    { name: 'ew', title: `${k} ew`, filter: (run) => `${k} ew "${run.unique}-c${email}"`, expect: ['c'] },
    {
      name: 'pr',
      title: `${k} pr`,
      filter: (run) => `${k} pr and ${k} sw "${run.prefix}"`,
      expect: ['a', 'b', 'c'],
    },
    {
      name: 'gt',
      title: `${k} gt (strings compare lexicographically)`,
      filter: (run) => `${k} gt "${run.text(k, 'a')}" and ${k} sw "${run.prefix}"`,
      expect: ['b', 'c'],
    },
    {
      name: 'ge',
      title: `${k} ge`,
      filter: (run) => `${k} ge "${run.text(k, 'b')}" and ${k} sw "${run.prefix}"`,
      expect: ['b', 'c'],
    },
    {
      name: 'lt',
      title: `${k} lt`,
      filter: (run) => `${k} lt "${run.text(k, 'b')}" and ${k} sw "${run.prefix}"`,
      expect: ['a'],
    },
    {
      name: 'le',
      title: `${k} le`,
      filter: (run) => `${k} le "${run.text(k, 'b')}" and ${k} sw "${run.prefix}"`,
      expect: ['a', 'b'],
    },
    {
      name: 'or',
      title: 'or',
      filter: (run) => `${k} eq "${run.text(k, 'a')}" or ${k} eq "${run.text(k, 'c')}"`,
      expect: ['a', 'c'],
    },
    {
      name: 'not',
      title: 'not (...)',
      filter: (run) => `not (${k} eq "${run.text(k, 'b')}") and ${k} sw "${run.prefix}"`,
      expect: ['a', 'c'],
    },
    {
      name: 'grouping',
      title: 'grouping with parentheses binds before and',
      filter: (run) =>
        `${k} sw "${run.prefix}" and (${k} eq "${run.text(k, 'a')}" or ${k} eq "${run.text(k, 'c')}")`,
      expect: ['a', 'c'],
    },
    {
      name: 'datetime-gt',
      title: 'dateTime gt on meta.lastModified',
      filter: (run) => `meta.lastModified gt "2000-01-01T00:00:00Z" and ${k} sw "${run.prefix}"`,
      expect: ['a', 'b', 'c'],
    },
    {
      name: 'datetime-future',
      title: 'dateTime gt a future instant on meta.lastModified finds nothing',
      filter: (run) =>
        `meta.lastModified gt "${new Date(Date.now() + 86_400_000).toISOString()}" and ${k} sw "${run.prefix}"`,
      expect: [],
    },
  ];
  for (const filterCase of filterCases) {
    checks.push({
      id: `filter/${type.name}/${filterCase.name}`,
      title: `filter ${filterCase.title} finds exactly the matching ${type.name}s`,
      rfc: 'RFC 7644 3.4.2.2',
      features: ['filter'],
      run: async (run) => {
        const made = await threeResources(run, type, key);
        const filter = filterCase.filter(run);
        const result = await filtered(run, type, filter);
        assert.equal(
          result.status,
          200,
          `filter ${filter} answered ${result.status}: ${result.reply.text.slice(0, 300)}`,
        );
        const expected = filterCase.expect.map((tag) => made[tag].id).sort();
        const names = new Map(Object.entries(made).map(([tag, resource]) => [resource.id, tag]));
        assert.deepEqual(
          result.ids.slice().sort(),
          expected,
          `filter ${filter}: expected [${filterCase.expect.join(', ')}], got [${result.ids.map((id) => names.get(id) ?? id).join(', ')}]`,
        );
        return PASSED;
      },
    });
  }
  const flag = schemaAttributes.find(
    (attribute) =>
      attribute.type === 'boolean' && !attribute.multiValued && attribute.mutability === 'readWrite',
  );
  if (flag !== undefined) {
    checks.push({
      id: `filter/${type.name}/boolean-${flag.name}`,
      title: `filter ${flag.name} eq false finds exactly the ${type.name}s with ${flag.name} false`,
      rfc: 'RFC 7644 3.4.2.2 (boolean)',
      features: ['filter'],
      run: async (run) => {
        const made = await threeResources(run, type, key, (tag) => ({ [flag.name]: tag !== 'b' }));
        const filter = `${flag.name} eq false and ${key.name} sw "${run.prefix}"`;
        const result = await filtered(run, type, filter);
        assert.equal(
          result.status,
          200,
          `filter ${filter} answered ${result.status}: ${result.reply.text.slice(0, 300)}`,
        );
        assert.deepEqual(result.ids, [made.b.id], `filter ${filter}`);
        return PASSED;
      },
    });
  }
  // caseExact of every other writable string attribute, through an eq filter on an upper-cased value
  const others = [
    ...COMMON_ATTRIBUTES.filter(
      (common) =>
        common.name === 'externalId' &&
        discovery.schema(type.schema)?.attributes.every((a) => a.name !== 'externalId'),
    ),
    ...schemaAttributes,
  ].filter(
    (attribute) =>
      attribute !== key &&
      attribute.type === 'string' &&
      !attribute.multiValued &&
      attribute.mutability === 'readWrite' &&
      attribute.canonicalValues.length === 0,
  );
  for (const other of others) {
    checks.push({
      id: `filter/${type.name}/case-exact/${other.name}`,
      title: `${other.name} eq with the value upper-cased matches only when caseExact is false (declared ${other.caseExact})`,
      rfc: 'RFC 7643 2.2 (caseExact), RFC 7644 3.4.2.2',
      features: ['filter'],
      run: async (run) => {
        const value = run.text(other.name, 'mixed');
        const made = await createWith(run, type, 'a', {
          [key.name]: run.text(key.name, 'a'),
          [other.name]: value,
        });
        const filter = `${other.name} eq "${value.toUpperCase()}" and ${key.name} sw "${run.prefix}"`;
        const result = await filtered(run, type, filter);
        if (result.status === 400 && member(result.reply.json, 'scimType') === 'invalidFilter') {
          return notApplicable(`the target does not filter on ${other.name} (400 invalidFilter)`);
        }
        assert.equal(
          result.status,
          200,
          `filter ${filter} answered ${result.status}: ${result.reply.text.slice(0, 300)}`,
        );
        assert.deepEqual(
          result.ids,
          other.caseExact ? [] : [made.id],
          `filter ${filter} (caseExact ${other.caseExact})`,
        );
        return PASSED;
      },
    });
  }
  return checks;
}

/** Every check for the target's discovery documents, in a stable order (ids are unique). */
export function generateChecks(discovery: Discovery): ScimCheck[] {
  const checks = discoveryChecks(discovery);
  for (const type of discovery.resourceTypes) {
    checks.push(
      ...resourceChecks(discovery, type),
      ...patchChecks(discovery, type),
      ...queryChecks(discovery, type),
    );
  }
  const seen = new Set<string>();
  return checks.filter((check) => {
    if (seen.has(check.id)) return false;
    seen.add(check.id);
    return true;
  });
}

/** Runs one check with its own fixtures, deleting what it created. */
export async function runCheck(check: ScimCheck, run: CheckRun): Promise<CheckOutcome> {
  try {
    return await check.run(run);
  } finally {
    await run.cleanUp();
  }
}
