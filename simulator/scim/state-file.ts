// Reads the people and groups to push from a JSON or CSV file (the CLI's --from), validated with zod.
// OKT-02 mapping (userName, givenName, familyName; email and active as Okta sends); RFC 4180 CSV.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { DesiredState, PushGroup, PushPerson } from './model.ts';

const personSchema = z.object({
  id: z.string().min(1).optional(),
  userName: z.string().min(1),
  givenName: z.string(),
  familyName: z.string(),
  email: z.string().min(1).optional(),
  active: z.boolean().optional(),
});

const groupSchema = z.object({
  id: z.string().min(1).optional(),
  displayName: z.string().min(1),
  /** person ids (or userNames) */
  memberIds: z.array(z.string()).default([]),
});

const stateSchema = z.object({
  people: z.array(personSchema),
  groups: z.array(groupSchema).default([]),
});

export class StateFileError extends Error {
  readonly code = 'invalid_state_file';
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

function toPerson(input: z.infer<typeof personSchema>): PushPerson {
  return {
    id: input.id ?? input.userName,
    userName: input.userName,
    givenName: input.givenName,
    familyName: input.familyName,
    email: input.email ?? input.userName,
    active: input.active ?? true,
  };
}

/** JSON: `{ "people": [{userName, givenName, familyName, email?, active?, id?}], "groups": [{displayName, memberIds}] }`. */
export function parseStateJson(text: string): DesiredState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) throw new StateFileError(z.prettifyError(parsed.error));
  const people = parsed.data.people.map(toPerson);
  const idOf = new Map<string, string>();
  for (const person of people) {
    idOf.set(person.id, person.id);
    idOf.set(person.userName, person.id);
  }
  const groups: PushGroup[] = parsed.data.groups.map((group) => ({
    id: group.id ?? `group:${group.displayName}`,
    displayName: group.displayName,
    memberIds: group.memberIds.map((member) => {
      const id = idOf.get(member);
      if (id === undefined)
        throw new StateFileError(`group "${group.displayName}": unknown member ${member}`);
      return id;
    }),
  }));
  return { people, groups };
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((row) => row.some((cell) => cell.trim() !== ''));
}

/**
 * CSV with a header row: userName, givenName, familyName required; id, email, active (true/false) and groups
 * (group names separated by `;`) optional. Groups are made from the names found.
 */
export function parseStateCsv(text: string): DesiredState {
  const [header, ...rows] = parseCsvRecords(text);
  if (!header) throw new StateFileError('empty CSV');
  const column = new Map(header.map((name, index) => [name.trim(), index]));
  for (const required of ['userName', 'givenName', 'familyName']) {
    if (!column.has(required)) throw new StateFileError(`CSV header lacks the column ${required}`);
  }
  const cell = (row: string[], name: string): string | undefined => {
    const index = column.get(name);
    return index === undefined ? undefined : row[index]?.trim();
  };
  const groups = new Map<string, PushGroup>();
  const people = rows.map((row, index) => {
    const userName = cell(row, 'userName');
    if (!userName) throw new StateFileError(`CSV row ${index + 2}: userName is empty`);
    const active = cell(row, 'active');
    if (active !== undefined && active !== '' && !/^(true|false)$/i.test(active)) {
      throw new StateFileError(`CSV row ${index + 2}: active must be true or false`);
    }
    const person: PushPerson = {
      id: cell(row, 'id') || userName,
      userName,
      givenName: cell(row, 'givenName') ?? '',
      familyName: cell(row, 'familyName') ?? '',
      email: cell(row, 'email') || userName,
      active: active === undefined || active === '' ? true : active.toLowerCase() === 'true',
    };
    for (const name of (cell(row, 'groups') ?? '').split(';').map((item) => item.trim())) {
      if (name === '') continue;
      const group = groups.get(name) ?? { id: `group:${name}`, displayName: name, memberIds: [] };
      group.memberIds.push(person.id);
      groups.set(name, group);
    }
    return person;
  });
  return { people, groups: [...groups.values()] };
}

/** Reads `file` as CSV when it ends in .csv, else as JSON. */
export async function readStateFile(file: string): Promise<DesiredState> {
  const text = await readFile(file, 'utf8');
  return file.toLowerCase().endsWith('.csv') ? parseStateCsv(text) : parseStateJson(text);
}
