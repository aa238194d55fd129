// Builds request values and resources from a target's own schemas: sample values per attribute type, the smallest
// body a resource type accepts (its required attributes), and the resources a check creates and later deletes.
// RFC 7643 2.3 (data types), 2.4 (multi-valued), 7 (required, mutability, canonicalValues, referenceTypes).
import assert from 'node:assert/strict';
import type { HttpReply, ScimDriver } from '../target.ts';
import type { Discovery, SchemaAttribute, ScimResourceType } from './discovery.ts';

export type Json = Record<string, unknown>;

/** A domain of its own, so sample userNames and emails never collide with a target's real data. */
export const SAMPLE_DOMAIN = 'scim-checks.example';

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case-insensitive read of a JSON member (RFC 7643 2.1: attribute names are case-insensitive). */
export function member(node: unknown, name: string): unknown {
  if (!isObject(node)) return undefined;
  if (Object.hasOwn(node, name)) return node[name];
  const lower = name.toLowerCase();
  const key = Object.keys(node).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : node[key];
}

export function isWritable(attribute: SchemaAttribute): boolean {
  return (
    attribute.mutability === 'readWrite' ||
    attribute.mutability === 'immutable' ||
    attribute.mutability === 'writeOnly'
  );
}

/** Strings that look like mail addresses where the attribute is one (userName, emails.value). */
function emailLike(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === 'username' || lower === 'emails.value';
}

/** The resource type whose id a `value` sub-attribute holds, read from its sibling `$ref`'s referenceTypes. */
export function referencedResourceType(
  parent: SchemaAttribute,
  discovery: Discovery,
): ScimResourceType | undefined {
  const ref = parent.subAttributes.find((sub) => sub.name === '$ref');
  const names = ref?.referenceTypes ?? [];
  return discovery.resourceTypes.find((type) => names.includes(type.name));
}

export interface SampleOptions {
  /** also fill readOnly sub-attributes (a value for a readOnly attribute, to see it refused or ignored) */
  includeReadOnly?: boolean;
}

/**
 * One check's run: a unique token for its values, the resources it created (deleted afterwards), and the ids of
 * resources a reference attribute (members.value) can point at.
 */
export class CheckRun {
  readonly unique: string;
  private readonly created: { endpoint: string; id: string }[] = [];
  readonly notes: string[] = [];

  readonly scim: ScimDriver;
  readonly discovery: Discovery;

  constructor(scim: ScimDriver, discovery: Discovery) {
    this.scim = scim;
    this.discovery = discovery;
    this.unique = Math.random().toString(36).slice(2, 10);
  }

  /** `chk-<unique>-<tag>`, plus a mail domain where the attribute holds an address. */
  text(path: string, tag: string): string {
    const base = `chk-${this.unique}-${tag}`;
    return emailLike(path) ? `${base}@${SAMPLE_DOMAIN}` : base;
  }

  /** The common prefix of every `text()` value of this run (for `sw` filters that see only this run's data). */
  get prefix(): string {
    return `chk-${this.unique}-`;
  }

  /**
   * A value of the attribute's type, different for each tag; undefined when none can be made (a reference to a
   * resource type that cannot be created, a complex attribute without a writable sub-attribute).
   */
  async sample(
    attribute: SchemaAttribute,
    path: string,
    tag: string,
    index = 0,
    options: SampleOptions = {},
  ): Promise<unknown> {
    if (attribute.multiValued) {
      const one = await this.single(attribute, path, tag, index, options);
      return one === undefined ? undefined : [one];
    }
    return this.single(attribute, path, tag, index, options);
  }

  private async single(
    attribute: SchemaAttribute,
    path: string,
    tag: string,
    index: number,
    options: SampleOptions,
  ): Promise<unknown> {
    if (attribute.canonicalValues.length > 0) {
      return attribute.canonicalValues[index % attribute.canonicalValues.length];
    }
    switch (attribute.type) {
      case 'string':
        return this.text(path, tag);
      case 'boolean':
        return index % 2 === 0;
      case 'integer':
        return 7 + index;
      case 'decimal':
        return 1.5 + index;
      case 'dateTime':
        return new Date(Date.UTC(2020, 0, 1 + index)).toISOString().replace('.000Z', 'Z');
      case 'binary':
        return Buffer.from(`idsim ${tag}`).toString('base64');
      case 'reference':
        // RFC 7643 2.3.7: "external" and "uri" references are URIs; resource references need a real resource.
        if (attribute.referenceTypes.some((type) => type === 'external' || type === 'uri')) {
          return `https://${SAMPLE_DOMAIN}/${this.unique}/${tag}`;
        }
        return undefined;
      case 'complex': {
        const value: Json = {};
        for (const sub of attribute.subAttributes) {
          if (!isWritable(sub) && options.includeReadOnly !== true) continue;
          if (sub.name === 'value' && referencedResourceType(attribute, this.discovery) !== undefined) {
            const target = referencedResourceType(attribute, this.discovery) as ScimResourceType;
            value.value = (await this.create(target, `${tag}-ref`)).id;
            continue;
          }
          if (sub.name === 'primary' && sub.type === 'boolean') {
            value.primary = index === 0;
            continue;
          }
          const subValue = await this.sample(sub, `${path}.${sub.name}`, tag, index, options);
          if (subValue !== undefined) value[sub.name] = subValue;
        }
        return Object.keys(value).length === 0 ? undefined : value;
      }
    }
  }

  /** The smallest body of the resource type: its schema URN and every required writable attribute (recursively). */
  async minimalBody(type: ScimResourceType, tag: string): Promise<Json> {
    const schema = this.discovery.schema(type.schema);
    const body: Json = { schemas: [type.schema] };
    for (const attribute of schema?.attributes ?? []) {
      if (!attribute.required || !isWritable(attribute)) continue;
      const value = await this.requiredValue(attribute, attribute.name, tag);
      if (value !== undefined) body[attribute.name] = value;
    }
    for (const extension of type.schemaExtensions) {
      if (!extension.required) continue;
      const extensionBody: Json = {};
      for (const attribute of this.discovery.schema(extension.schema)?.attributes ?? []) {
        if (!attribute.required || !isWritable(attribute)) continue;
        const value = await this.requiredValue(attribute, attribute.name, tag);
        if (value !== undefined) extensionBody[attribute.name] = value;
      }
      body[extension.schema] = extensionBody;
      (body.schemas as string[]).push(extension.schema);
    }
    return body;
  }

  /** A required attribute's value; a complex one carries only its required sub-attributes (or all, if none are). */
  private async requiredValue(attribute: SchemaAttribute, path: string, tag: string): Promise<unknown> {
    if (attribute.type !== 'complex') return this.sample(attribute, path, tag);
    const required = attribute.subAttributes.filter((sub) => sub.required && isWritable(sub));
    if (required.length === 0) return this.sample(attribute, path, tag);
    const value: Json = {};
    for (const sub of required) value[sub.name] = await this.sample(sub, `${path}.${sub.name}`, tag);
    return attribute.multiValued ? [value] : value;
  }

  /** POSTs a body to the type's endpoint; remembers a created resource for deletion. */
  async post(type: ScimResourceType, body: Json): Promise<HttpReply> {
    const reply = await this.scim.request('POST', type.endpoint, { body });
    const id = member(reply.json, 'id');
    if (reply.status === 201 && typeof id === 'string') this.created.push({ endpoint: type.endpoint, id });
    return reply;
  }

  /** Creates a resource (minimal body plus `extra`), failing the check with the exchange when it is refused. */
  async create(type: ScimResourceType, tag: string, extra: Json = {}): Promise<Json & { id: string }> {
    const body = { ...(await this.minimalBody(type, tag)), ...extra };
    const reply = await this.post(type, body);
    assert.equal(
      reply.status,
      201,
      `POST ${type.endpoint} with ${JSON.stringify(body)} (built from the required attributes in /Schemas) ` +
        `answered ${reply.status}: ${reply.text.slice(0, 300)}`,
    );
    assert.ok(
      isObject(reply.json) && typeof reply.json.id === 'string',
      `POST ${type.endpoint} returned no id`,
    );
    return reply.json as Json & { id: string };
  }

  async read(type: ScimResourceType, id: string, query = ''): Promise<Json> {
    const reply = await this.scim.request('GET', `${type.endpoint}/${encodeURIComponent(id)}${query}`);
    assert.equal(
      reply.status,
      200,
      `GET ${type.endpoint}/${id}${query} answered ${reply.status}: ${reply.text.slice(0, 300)}`,
    );
    assert.ok(isObject(reply.json), `GET ${type.endpoint}/${id} did not answer a JSON object`);
    return reply.json;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Deletes what this run created, newest first; a failed delete is not the check's concern. */
  async cleanUp(): Promise<void> {
    for (const resource of this.created.reverse()) {
      await this.scim
        .request('DELETE', `${resource.endpoint}/${encodeURIComponent(resource.id)}`)
        .catch(() => undefined);
    }
  }
}
