// The Store on SQLite (node:sqlite DatabaseSync): a file for `npm start`, `:memory:` for tests.
// Prepared statements are cached per SQL text; SCIM filters compile to SQL via scim-filter-sql.ts (RFC 7644 3.4.2.2).
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { OidcConnection, OrgPermission, SamlConnection } from '../control/port.ts';
import type {
  Account,
  ApiKey,
  AuditEvent,
  AuthMethod,
  GrantKind,
  Group,
  Invite,
  Membership,
  Organisation,
  OrganisationMembership,
  PasswordResetToken,
  Team,
  VerifiedDomain,
  Workspace,
  WorkspaceGrant,
} from '../domain/model.ts';
import { migrate } from './migrations.ts';
import { compileScimFilter, compileScimSort, type ScimSqlMapping } from './scim-filter-sql.ts';
import type { MemberRow, Page, PageQuery, ScratchTransaction, Store } from './store.ts';

type Row = Record<string, unknown>;

/** SCIM User attributes (canonical paths) over `memberships m JOIN accounts a`; PRV-01/PRV-04 mapping. */
export const USER_SQL_MAPPING: ScimSqlMapping = {
  attributes: {
    id: { expr: 'm.id', type: 'string', caseExact: true },
    // RFC 7643 4.1.1: userName caseExact=false; PRV-01: it carries the account email. Unique: accounts_email is a
    // NOCASE unique index and an account has one membership per team.
    username: { expr: 'a.email', type: 'string', caseExact: false, unique: true },
    // Decision (brief): externalId compared case-insensitively, as Entra matches on it.
    externalid: { expr: 'm.external_id', type: 'string', caseExact: false },
    'name.givenname': { expr: 'a.given_name', type: 'string', caseExact: false },
    'name.familyname': { expr: 'a.family_name', type: 'string', caseExact: false },
    displayname: { expr: "trim(a.given_name || ' ' || a.family_name)", type: 'string', caseExact: false },
    'emails.value': { expr: 'a.email', type: 'string', caseExact: false },
    'emails.type': { expr: "'work'", type: 'string', caseExact: false },
    'emails.primary': { expr: '1', type: 'boolean', caseExact: false },
    active: { expr: "(m.status = 'active')", type: 'boolean', caseExact: false },
    'meta.created': { expr: 'm.created_at', type: 'datetime', caseExact: false },
    'meta.lastmodified': { expr: 'm.updated_at', type: 'datetime', caseExact: false },
  },
};

/** SCIM Group attributes over `groups g`, members in `group_members` (RFC 7643 4.2). */
export const GROUP_SQL_MAPPING: ScimSqlMapping = {
  attributes: {
    id: { expr: 'g.id', type: 'string', caseExact: true },
    displayname: { expr: 'g.display_name', type: 'string', caseExact: false },
    externalid: { expr: 'g.external_id', type: 'string', caseExact: false },
    'meta.created': { expr: 'g.created_at', type: 'datetime', caseExact: false },
    'meta.lastmodified': { expr: 'g.updated_at', type: 'datetime', caseExact: false },
  },
  multiValued: {
    members: {
      exists: (inner) =>
        `EXISTS (SELECT 1 FROM group_members gm JOIN memberships mm ON mm.id = gm.membership_id ` +
        `JOIN accounts ma ON ma.id = mm.account_id WHERE gm.group_id = g.id AND (${inner}))`,
      attributes: {
        value: { expr: 'gm.membership_id', type: 'string', caseExact: true },
        display: { expr: 'ma.email', type: 'string', caseExact: false },
      },
    },
  },
};

const bool = (value: boolean): number => (value ? 1 : 0);
const str = (value: unknown): string => String(value);
const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

function toOrganisation(row: Row): Organisation {
  return {
    id: str(row.id),
    slug: str(row.slug),
    name: str(row.name),
    portalJitEnabled: row.portal_jit_enabled === 1,
    privateInstance: row.private_instance === 1,
    defaultPermission: str(row.default_permission) as OrgPermission,
    recentAuthHours: Number(row.recent_auth_hours),
    portalAuthMethodId: strOrNull(row.portal_auth_method_id),
  };
}

function toTeam(row: Row): Team {
  return {
    id: str(row.id),
    organisationId: str(row.organisation_id),
    name: str(row.name),
    plan: str(row.plan) as Team['plan'],
    licensedSeats: Number(row.licensed_seats),
    usedSeats: Number(row.used_seats),
    autoFlex: row.auto_flex === 1,
    trueUp: row.true_up === 1,
    scimEnabled: row.scim_enabled === 1,
  };
}

function toAccount(row: Row, prefix = ''): Account {
  return {
    id: str(row[`${prefix}id`]),
    email: str(row[`${prefix}email`]),
    givenName: str(row[`${prefix}given_name`]),
    familyName: str(row[`${prefix}family_name`]),
    username: strOrNull(row[`${prefix}username`]),
    passwordHash: strOrNull(row[`${prefix}password_hash`]),
    createdAt: str(row[`${prefix}created_at`]),
  };
}

function toMembership(row: Row): Membership {
  return {
    id: str(row.id),
    teamId: str(row.team_id),
    accountId: str(row.account_id),
    role: str(row.role) as Membership['role'],
    status: str(row.status) as Membership['status'],
    managedByScim: row.managed_by_scim === 1,
    externalId: strOrNull(row.external_id),
    version: Number(row.version),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

function toInvite(row: Row): Invite {
  return {
    id: str(row.id),
    teamId: str(row.team_id),
    email: str(row.email),
    role: str(row.role) as Invite['role'],
    tokenDigest: str(row.token_digest),
    status: str(row.status) as Invite['status'],
    expiresAt: str(row.expires_at),
    createdAt: str(row.created_at),
  };
}

function toAuthMethod(row: Row): AuthMethod {
  return {
    id: str(row.id),
    teamId: str(row.team_id),
    kind: str(row.kind) as AuthMethod['kind'],
    label: str(row.label),
    enabled: row.enabled === 1,
    autoAddUsers: row.auto_add_users === 1,
    saml: row.saml_json === null ? null : (JSON.parse(str(row.saml_json)) as SamlConnection),
    oidc:
      row.oidc_json === null || row.oidc_json === undefined
        ? null
        : (JSON.parse(str(row.oidc_json)) as OidcConnection),
    createdAt: str(row.created_at),
  };
}

function toApiKey(row: Row): ApiKey {
  return {
    id: str(row.id),
    teamId: str(row.team_id),
    digest: str(row.digest),
    prefix: str(row.prefix),
    status: str(row.status) as ApiKey['status'],
    createdAt: str(row.created_at),
  };
}

function toDomain(row: Row): VerifiedDomain {
  return {
    organisationId: str(row.organisation_id),
    name: str(row.name),
    verified: row.verified === 1,
    captureTeamId: strOrNull(row.capture_team_id),
  };
}

function toWorkspace(row: Row): Workspace {
  return {
    id: str(row.id),
    teamId: str(row.team_id),
    name: str(row.name),
    type: str(row.type) as Workspace['type'],
    ownerId: strOrNull(row.owner_id),
    createdAt: str(row.created_at),
  };
}

function toGrant(row: Row): WorkspaceGrant {
  return {
    workspaceId: str(row.workspace_id),
    kind: str(row.kind) as GrantKind,
    memberId: str(row.member_id),
    role: str(row.role) as WorkspaceGrant['role'],
  };
}

function toGroup(row: Row): Group {
  return {
    id: str(row.id),
    teamId: str(row.team_id),
    displayName: str(row.display_name),
    externalId: strOrNull(row.external_id),
    managedByScim: row.managed_by_scim === 1,
    version: Number(row.version),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

function toAudit(row: Row): AuditEvent {
  return {
    id: Number(row.id),
    at: str(row.at),
    type: str(row.type),
    teamId: strOrNull(row.team_id),
    accountId: strOrNull(row.account_id),
    data: JSON.parse(str(row.data_json)) as Record<string, unknown>,
  };
}

const MEMBER_COLUMNS =
  'm.*, a.id AS a_id, a.email AS a_email, a.given_name AS a_given_name, a.family_name AS a_family_name, ' +
  'a.username AS a_username, a.password_hash AS a_password_hash, a.created_at AS a_created_at';

function toMemberRow(row: Row): MemberRow {
  return { membership: toMembership(row), account: toAccount(row, 'a_') };
}

/** Longest IN (...) list bound at once (SQLite's default variable limit is far above this). */
const IN_CHUNK = 500;

class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #depth = 0;
  #writes = 0;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA foreign_keys = ON');
    if (path !== ':memory:' && path !== '') {
      this.#db.exec('PRAGMA journal_mode = WAL');
      this.#db.exec('PRAGMA synchronous = NORMAL');
      this.#db.exec('PRAGMA busy_timeout = 5000');
      // The default 2 MiB page cache holds a few thousand members; 64 MiB keeps a 100k-member team's hot pages.
      this.#db.exec('PRAGMA cache_size = -65536');
    }
    migrate(this.#db);
  }

  /** Prepared statement cache: one StatementSync per distinct SQL text (filters compile to parameterised SQL). */
  #stmt(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#stmt(sql).get(...params) as Row | undefined;
  }

  #all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#stmt(sql).all(...params) as Row[];
  }

  #run(sql: string, ...params: SQLInputValue[]): void {
    this.#writes += 1;
    this.#stmt(sql).run(...params);
  }

  #inChunks(ids: readonly string[], fn: (placeholders: string, chunk: string[]) => void): void {
    for (let start = 0; start < ids.length; start += IN_CHUNK) {
      const chunk = ids.slice(start, start + IN_CHUNK);
      fn(chunk.map(() => '?').join(', '), chunk);
    }
  }

  transaction<T>(fn: () => T): T {
    const outer = this.#depth === 0;
    const savepoint = `sp_${this.#depth}`;
    this.#stmt(outer ? 'BEGIN' : `SAVEPOINT ${savepoint}`).run();
    this.#depth += 1;
    try {
      const result = fn();
      this.#depth -= 1;
      this.#stmt(outer ? 'COMMIT' : `RELEASE ${savepoint}`).run();
      return result;
    } catch (error) {
      this.#depth -= 1;
      if (outer) {
        this.#stmt('ROLLBACK').run();
      } else {
        this.#stmt(`ROLLBACK TO ${savepoint}`).run();
        this.#stmt(`RELEASE ${savepoint}`).run();
      }
      throw error;
    }
  }

  openScratch(): ScratchTransaction {
    if (this.#depth !== 0) throw new Error('a scratch transaction cannot open inside another transaction');
    this.#stmt('BEGIN').run();
    this.#depth += 1;
    let open = true;
    return {
      get open() {
        return open;
      },
      discard: () => {
        if (!open) return;
        open = false;
        this.#depth -= 1;
        if (this.#db.isOpen && this.#db.isTransaction) this.#stmt('ROLLBACK').run();
        // every cached read is stale now
        this.#writes += 1;
      },
    };
  }

  changeCount(): number {
    // Every write goes through #run (or insertMembersBulk), which counts it: no query, because this runs on every
    // SCIM request (a SQLite call costs ~20 us there, bench:scim-steps). A rolled-back write still counts, which only
    // drops a cache early.
    return this.#writes;
  }

  close(): void {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  readonly organisations: Store['organisations'] = {
    insert: (o) =>
      this.#run(
        'INSERT INTO organisations (id, slug, name, portal_jit_enabled, private_instance, default_permission, recent_auth_hours, portal_auth_method_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        o.id,
        o.slug,
        o.name,
        bool(o.portalJitEnabled),
        bool(o.privateInstance),
        o.defaultPermission,
        o.recentAuthHours,
        o.portalAuthMethodId,
      ),
    update: (o) =>
      this.#run(
        'UPDATE organisations SET slug = ?, name = ?, portal_jit_enabled = ?, private_instance = ?, default_permission = ?, recent_auth_hours = ?, portal_auth_method_id = ? WHERE id = ?',
        o.slug,
        o.name,
        bool(o.portalJitEnabled),
        bool(o.privateInstance),
        o.defaultPermission,
        o.recentAuthHours,
        o.portalAuthMethodId,
        o.id,
      ),
    get: (id) => {
      const row = this.#get('SELECT * FROM organisations WHERE id = ?', id);
      return row ? toOrganisation(row) : null;
    },
    getBySlug: (slug) => {
      const row = this.#get('SELECT * FROM organisations WHERE slug = ?', slug);
      return row ? toOrganisation(row) : null;
    },
  };

  readonly teams: Store['teams'] = {
    insert: (t) =>
      this.#run(
        'INSERT INTO teams (id, organisation_id, name, plan, licensed_seats, used_seats, auto_flex, true_up, scim_enabled) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)',
        t.id,
        t.organisationId,
        t.name,
        t.plan,
        t.licensedSeats,
        bool(t.autoFlex),
        bool(t.trueUp),
        bool(t.scimEnabled),
      ),
    update: (t) =>
      this.#run(
        'UPDATE teams SET organisation_id = ?, name = ?, plan = ?, licensed_seats = ?, auto_flex = ?, true_up = ?, scim_enabled = ? WHERE id = ?',
        t.organisationId,
        t.name,
        t.plan,
        t.licensedSeats,
        bool(t.autoFlex),
        bool(t.trueUp),
        bool(t.scimEnabled),
        t.id,
      ),
    get: (id) => {
      const row = this.#get('SELECT * FROM teams WHERE id = ?', id);
      return row ? toTeam(row) : null;
    },
  };

  readonly accounts: Store['accounts'] = {
    insert: (a) =>
      this.#run(
        'INSERT INTO accounts (id, email, given_name, family_name, username, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        a.id,
        a.email,
        a.givenName,
        a.familyName,
        a.username,
        a.passwordHash,
        a.createdAt,
      ),
    update: (a) =>
      this.#run(
        'UPDATE accounts SET email = ?, given_name = ?, family_name = ?, username = ?, password_hash = ? WHERE id = ?',
        a.email,
        a.givenName,
        a.familyName,
        a.username,
        a.passwordHash,
        a.id,
      ),
    get: (id) => {
      const row = this.#get('SELECT * FROM accounts WHERE id = ?', id);
      return row ? toAccount(row) : null;
    },
    getByEmail: (email) => {
      const row = this.#get('SELECT * FROM accounts WHERE email = ? COLLATE NOCASE', email);
      return row ? toAccount(row) : null;
    },
    usernameTaken: (username) =>
      this.#get('SELECT 1 AS x FROM accounts WHERE username = ?', username) !== undefined,
    listByEmailDomain: (domain) =>
      this.#all(
        "SELECT * FROM accounts WHERE email LIKE ? ESCAPE '\\' ORDER BY created_at, id",
        `%@${domain.replace(/[\\%_]/g, (character) => `\\${character}`)}`,
      ).map((row) => toAccount(row)),
  };

  readonly memberships: Store['memberships'] = {
    insert: (m) =>
      this.#run(
        'INSERT INTO memberships (id, team_id, account_id, role, status, managed_by_scim, external_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        m.id,
        m.teamId,
        m.accountId,
        m.role,
        m.status,
        bool(m.managedByScim),
        m.externalId,
        m.version,
        m.createdAt,
        m.updatedAt,
      ),
    update: (m) =>
      this.#run(
        'UPDATE memberships SET role = ?, status = ?, managed_by_scim = ?, external_id = ?, version = ?, updated_at = ? WHERE id = ?',
        m.role,
        m.status,
        bool(m.managedByScim),
        m.externalId,
        m.version,
        m.updatedAt,
        m.id,
      ),
    delete: (id) => this.#run('DELETE FROM memberships WHERE id = ?', id),
    get: (id) => {
      const row = this.#get('SELECT * FROM memberships WHERE id = ?', id);
      return row ? toMembership(row) : null;
    },
    getByAccount: (teamId, accountId) => {
      const row = this.#get(
        'SELECT * FROM memberships WHERE team_id = ? AND account_id = ?',
        teamId,
        accountId,
      );
      return row ? toMembership(row) : null;
    },
    listByTeam: (teamId) =>
      this.#all('SELECT * FROM memberships WHERE team_id = ? ORDER BY created_at, id', teamId).map(
        toMembership,
      ),
    listByAccount: (accountId) =>
      this.#all('SELECT * FROM memberships WHERE account_id = ? ORDER BY created_at, id', accountId).map(
        toMembership,
      ),
    countActiveWithRole: (teamId, role) =>
      Number(
        this.#get(
          "SELECT COUNT(*) AS n FROM memberships WHERE team_id = ? AND status = 'active' AND role = ?",
          teamId,
          role,
        )?.n ?? 0,
      ),
    getMemberRow: (teamId, membershipId) => {
      const row = this.#get(
        `SELECT ${MEMBER_COLUMNS} FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.id = ? AND m.team_id = ?`,
        membershipId,
        teamId,
      );
      return row ? toMemberRow(row) : null;
    },
    listMemberRows: (teamId, query) =>
      this.#page(
        'memberships m JOIN accounts a ON a.id = m.account_id',
        'm.team_id = ?',
        teamId,
        MEMBER_COLUMNS,
        USER_SQL_MAPPING,
        'm.created_at, m.id',
        query,
        toMemberRow,
      ),
    findByExternalId: (teamId, externalId) => {
      const row = this.#get(
        'SELECT * FROM memberships WHERE team_id = ? AND external_id = ? COLLATE NOCASE',
        teamId,
        externalId,
      );
      return row ? toMembership(row) : null;
    },
    existingIds: (teamId, ids) => {
      const found = new Set<string>();
      this.#inChunks([...new Set(ids)], (placeholders, chunk) => {
        for (const row of this.#all(
          `SELECT id FROM memberships WHERE team_id = ? AND id IN (${placeholders})`,
          teamId,
          ...chunk,
        )) {
          found.add(str(row.id));
        }
      });
      return found;
    },
  };

  #page<T>(
    from: string,
    scope: string,
    teamId: string,
    columns: string,
    mapping: ScimSqlMapping,
    defaultOrder: string,
    query: PageQuery,
    map: (row: Row) => T,
  ): Page<T> {
    let where = scope;
    const params: SQLInputValue[] = [teamId];
    // Okta's existence check, `userName eq "x"`, finds at most one row: nothing to sort or count.
    let atMostOneRow = false;
    if (query.filter) {
      const compiled = compileScimFilter(query.filter, mapping);
      where = `${scope} AND ${compiled.where}`;
      params.push(...compiled.params);
      atMostOneRow = compiled.atMostOneRow;
    }
    const countAll = () =>
      Number(this.#get(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`, ...params)?.n ?? 0);
    if (query.count <= 0) return { totalResults: countAll(), items: [] };
    const sort = compileScimSort(query.sortBy, query.sortOrder, mapping);
    const order = sort === '' ? defaultOrder : `${sort}, ${defaultOrder}`;
    const offset = Math.max(0, query.startIndex - 1);
    const rows = this.#all(
      `SELECT ${columns} FROM ${from} WHERE ${where}${atMostOneRow ? '' : ` ORDER BY ${order}`} LIMIT ? OFFSET ?`,
      ...params,
      query.count,
      offset,
    );
    // A first page that is not full already holds every match: no COUNT query.
    const total = offset === 0 && (rows.length < query.count || atMostOneRow) ? rows.length : countAll();
    return { totalResults: total, items: rows.map(map) };
  }

  readonly invites: Store['invites'] = {
    insert: (i) =>
      this.#run(
        'INSERT INTO invites (id, team_id, email, role, token_digest, status, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        i.id,
        i.teamId,
        i.email,
        i.role,
        i.tokenDigest,
        i.status,
        i.expiresAt,
        i.createdAt,
      ),
    update: (i) =>
      this.#run('UPDATE invites SET status = ?, expires_at = ? WHERE id = ?', i.status, i.expiresAt, i.id),
    getByDigest: (digest) => {
      const row = this.#get('SELECT * FROM invites WHERE token_digest = ?', digest);
      return row ? toInvite(row) : null;
    },
    listByTeam: (teamId) =>
      this.#all('SELECT * FROM invites WHERE team_id = ? ORDER BY created_at, id', teamId).map(toInvite),
  };

  readonly authMethods: Store['authMethods'] = {
    insert: (m) =>
      this.#run(
        'INSERT INTO auth_methods (id, team_id, kind, label, enabled, auto_add_users, saml_json, oidc_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        m.id,
        m.teamId,
        m.kind,
        m.label,
        bool(m.enabled),
        bool(m.autoAddUsers),
        m.saml === null ? null : JSON.stringify(m.saml),
        m.oidc === null ? null : JSON.stringify(m.oidc),
        m.createdAt,
      ),
    update: (m) =>
      this.#run(
        'UPDATE auth_methods SET label = ?, enabled = ?, auto_add_users = ?, saml_json = ?, oidc_json = ? WHERE id = ?',
        m.label,
        bool(m.enabled),
        bool(m.autoAddUsers),
        m.saml === null ? null : JSON.stringify(m.saml),
        m.oidc === null ? null : JSON.stringify(m.oidc),
        m.id,
      ),
    delete: (id) => this.#run('DELETE FROM auth_methods WHERE id = ?', id),
    get: (id) => {
      const row = this.#get('SELECT * FROM auth_methods WHERE id = ?', id);
      return row ? toAuthMethod(row) : null;
    },
    listByTeam: (teamId) =>
      this.#all('SELECT * FROM auth_methods WHERE team_id = ? ORDER BY created_at, id', teamId).map(
        toAuthMethod,
      ),
  };

  readonly apiKeys: Store['apiKeys'] = {
    insert: (k) =>
      this.#run(
        'INSERT INTO api_keys (id, team_id, digest, prefix, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        k.id,
        k.teamId,
        k.digest,
        k.prefix,
        k.status,
        k.createdAt,
      ),
    update: (k) => this.#run('UPDATE api_keys SET status = ? WHERE id = ?', k.status, k.id),
    get: (id) => {
      const row = this.#get('SELECT * FROM api_keys WHERE id = ?', id);
      return row ? toApiKey(row) : null;
    },
    getByDigest: (digest) => {
      const row = this.#get('SELECT * FROM api_keys WHERE digest = ?', digest);
      return row ? toApiKey(row) : null;
    },
    listByTeam: (teamId) =>
      this.#all('SELECT * FROM api_keys WHERE team_id = ? ORDER BY created_at, id', teamId).map(toApiKey),
  };

  readonly domains: Store['domains'] = {
    upsert: (d) =>
      this.#run(
        'INSERT INTO domains (organisation_id, name, verified, capture_team_id) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (organisation_id, name) DO UPDATE SET verified = excluded.verified, capture_team_id = excluded.capture_team_id',
        d.organisationId,
        d.name,
        bool(d.verified),
        d.captureTeamId,
      ),
    get: (organisationId, name) => {
      const row = this.#get(
        'SELECT * FROM domains WHERE organisation_id = ? AND name = ?',
        organisationId,
        name,
      );
      return row ? toDomain(row) : null;
    },
    listByOrganisation: (organisationId) =>
      this.#all('SELECT * FROM domains WHERE organisation_id = ? ORDER BY name', organisationId).map(
        toDomain,
      ),
    findVerified: (name) => {
      const row = this.#get(
        'SELECT * FROM domains WHERE name = ? AND verified = 1 ORDER BY organisation_id LIMIT 1',
        name,
      );
      return row ? toDomain(row) : null;
    },
  };

  readonly workspaces: Store['workspaces'] = {
    insert: (w) =>
      this.#run(
        'INSERT INTO workspaces (id, team_id, name, type, owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        w.id,
        w.teamId,
        w.name,
        w.type,
        w.ownerId,
        w.createdAt,
      ),
    update: (w) =>
      this.#run(
        'UPDATE workspaces SET name = ?, type = ?, owner_id = ? WHERE id = ?',
        w.name,
        w.type,
        w.ownerId,
        w.id,
      ),
    get: (id) => {
      const row = this.#get('SELECT * FROM workspaces WHERE id = ?', id);
      return row ? toWorkspace(row) : null;
    },
    listByTeam: (teamId) =>
      this.#all('SELECT * FROM workspaces WHERE team_id = ? ORDER BY created_at, id', teamId).map(
        toWorkspace,
      ),
    listInvolving: (teamId, accountId) =>
      this.#all(
        'SELECT * FROM workspaces WHERE team_id = ? AND (owner_id = ? OR id IN ' +
          "(SELECT workspace_id FROM workspace_grants WHERE kind = 'account' AND member_id = ?)) ORDER BY created_at, id",
        teamId,
        accountId,
        accountId,
      ).map(toWorkspace),
    grants: (workspaceId) =>
      this.#all(
        'SELECT * FROM workspace_grants WHERE workspace_id = ? ORDER BY kind, member_id',
        workspaceId,
      ).map(toGrant),
    setGrant: (g) =>
      this.#run(
        'INSERT INTO workspace_grants (workspace_id, kind, member_id, role) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (workspace_id, kind, member_id) DO UPDATE SET role = excluded.role',
        g.workspaceId,
        g.kind,
        g.memberId,
        g.role,
      ),
    removeGrant: (workspaceId, kind, memberId) =>
      this.#run(
        'DELETE FROM workspace_grants WHERE workspace_id = ? AND kind = ? AND member_id = ?',
        workspaceId,
        kind,
        memberId,
      ),
    removeGrantsOfMember: (kind, memberId) =>
      this.#run('DELETE FROM workspace_grants WHERE kind = ? AND member_id = ?', kind, memberId),
  };

  readonly groups: Store['groups'] = {
    insert: (g) =>
      this.#run(
        'INSERT INTO groups (id, team_id, display_name, external_id, managed_by_scim, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        g.id,
        g.teamId,
        g.displayName,
        g.externalId,
        bool(g.managedByScim),
        g.version,
        g.createdAt,
        g.updatedAt,
      ),
    update: (g) =>
      this.#run(
        'UPDATE groups SET display_name = ?, external_id = ?, managed_by_scim = ?, version = ?, updated_at = ? WHERE id = ?',
        g.displayName,
        g.externalId,
        bool(g.managedByScim),
        g.version,
        g.updatedAt,
        g.id,
      ),
    delete: (id) => this.#run('DELETE FROM groups WHERE id = ?', id),
    get: (teamId, id) => {
      const row = this.#get('SELECT * FROM groups WHERE id = ? AND team_id = ?', id, teamId);
      return row ? toGroup(row) : null;
    },
    getByDisplayName: (teamId, displayName) => {
      const row = this.#get(
        'SELECT * FROM groups WHERE team_id = ? AND display_name = ? COLLATE NOCASE',
        teamId,
        displayName,
      );
      return row ? toGroup(row) : null;
    },
    listByTeam: (teamId) =>
      this.#all('SELECT * FROM groups WHERE team_id = ? ORDER BY created_at, id', teamId).map(toGroup),
    list: (teamId, query) =>
      this.#page(
        'groups g',
        'g.team_id = ?',
        teamId,
        'g.*',
        GROUP_SQL_MAPPING,
        'g.created_at, g.id',
        query,
        toGroup,
      ),
    memberIds: (groupId) =>
      this.#all(
        'SELECT membership_id FROM group_members WHERE group_id = ? ORDER BY membership_id',
        groupId,
      ).map((row) => str(row.membership_id)),
    members: (groupId) =>
      this.#all(
        'SELECT gm.membership_id, m.account_id, a.email FROM group_members gm JOIN memberships m ON m.id = gm.membership_id ' +
          'JOIN accounts a ON a.id = m.account_id WHERE gm.group_id = ? ORDER BY gm.membership_id',
        groupId,
      ).map((row) => ({
        membershipId: str(row.membership_id),
        accountId: str(row.account_id),
        display: str(row.email),
      })),
    countMembers: (groupId) =>
      Number(this.#get('SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?', groupId)?.n ?? 0),
    addMembers: (groupId, membershipIds) => {
      for (const membershipId of membershipIds) {
        this.#run(
          'INSERT OR IGNORE INTO group_members (group_id, membership_id) VALUES (?, ?)',
          groupId,
          membershipId,
        );
      }
    },
    removeMembers: (groupId, membershipIds) => {
      for (const membershipId of membershipIds) {
        this.#run(
          'DELETE FROM group_members WHERE group_id = ? AND membership_id = ?',
          groupId,
          membershipId,
        );
      }
    },
    groupsOfMember: (membershipId) =>
      this.#all('SELECT group_id FROM group_members WHERE membership_id = ?', membershipId).map((row) =>
        str(row.group_id),
      ),
    removeMemberEverywhere: (membershipId) =>
      this.#run('DELETE FROM group_members WHERE membership_id = ?', membershipId),
  };

  readonly passwordResets: Store['passwordResets'] = {
    insert: (t) =>
      this.#run(
        'INSERT INTO password_resets (digest, account_id, expires_at, used_at) VALUES (?, ?, ?, ?)',
        t.digest,
        t.accountId,
        t.expiresAt,
        t.usedAt,
      ),
    getByDigest: (digest) => {
      const row = this.#get('SELECT * FROM password_resets WHERE digest = ?', digest);
      return row
        ? ({
            digest: str(row.digest),
            accountId: str(row.account_id),
            expiresAt: str(row.expires_at),
            usedAt: strOrNull(row.used_at),
          } satisfies PasswordResetToken)
        : null;
    },
    markUsed: (digest, usedAt) =>
      this.#run('UPDATE password_resets SET used_at = ? WHERE digest = ?', usedAt, digest),
  };

  readonly organisationMemberships: Store['organisationMemberships'] = {
    upsert: (m) =>
      this.#run(
        'INSERT INTO organisation_memberships (organisation_id, account_id, permission, created_at) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (organisation_id, account_id) DO UPDATE SET permission = excluded.permission',
        m.organisationId,
        m.accountId,
        m.permission,
        m.createdAt,
      ),
    get: (organisationId, accountId) => {
      const row = this.#get(
        'SELECT * FROM organisation_memberships WHERE organisation_id = ? AND account_id = ?',
        organisationId,
        accountId,
      );
      return row ? toOrgMembership(row) : null;
    },
    listByAccount: (accountId) =>
      this.#all(
        'SELECT * FROM organisation_memberships WHERE account_id = ? ORDER BY created_at',
        accountId,
      ).map(toOrgMembership),
  };

  readonly audit: Store['audit'] = {
    append: (event) => {
      const row = this.#get(
        'INSERT INTO audit_events (at, type, team_id, account_id, data_json) VALUES (?, ?, ?, ?, ?) RETURNING *',
        event.at,
        event.type,
        event.teamId,
        event.accountId,
        JSON.stringify(event.data),
      );
      if (!row) throw new Error('audit insert returned no row');
      return toAudit(row);
    },
    list: (filter) =>
      this.#all(
        'SELECT * FROM audit_events WHERE (?1 IS NULL OR team_id = ?1) AND (?2 IS NULL OR account_id = ?2) ' +
          'AND (?3 IS NULL OR type = ?3) ORDER BY id',
        filter.teamId ?? null,
        filter.accountId ?? null,
        filter.type ?? null,
      ).map(toAudit),
  };

  /** A write to SAML SP state: not counted by changeCount(), which only team-data read caches follow. */
  #runState(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.#stmt(sql).run(...params).changes);
  }

  readonly usedAssertions: Store['usedAssertions'] = {
    // The upsert only overwrites an expired entry; `changes` is 0 when a live one holds the key.
    consume: (key, expiresAtMs, nowMs) =>
      this.#runState(
        'INSERT INTO saml_used_assertions (key, expires_at_ms) VALUES (?1, ?2) ' +
          'ON CONFLICT (key) DO UPDATE SET expires_at_ms = excluded.expires_at_ms ' +
          'WHERE saml_used_assertions.expires_at_ms <= ?3',
        key,
        expiresAtMs,
        nowMs,
      ) === 1,
    countLive: (nowMs) =>
      Number(
        this.#get('SELECT COUNT(*) AS n FROM saml_used_assertions WHERE expires_at_ms > ?', nowMs)?.n ?? 0,
      ),
    sweep: (nowMs) => {
      this.#runState('DELETE FROM saml_used_assertions WHERE expires_at_ms <= ?', nowMs);
    },
  };

  readonly pendingSamlRequests: Store['pendingSamlRequests'] = {
    put: (r) => {
      this.#runState(
        'INSERT OR REPLACE INTO saml_pending_requests (kind, request_id, method_id, created_at_ms, expires_at_ms, context_json) ' +
          'VALUES (?, ?, ?, ?, ?, ?)',
        r.kind,
        r.requestId,
        r.methodId,
        r.createdAtMs,
        r.expiresAtMs,
        JSON.stringify(r.context),
      );
    },
    get: (kind, requestId, nowMs) => {
      const row = this.#get(
        'SELECT * FROM saml_pending_requests WHERE kind = ? AND request_id = ? AND expires_at_ms > ?',
        kind,
        requestId,
        nowMs,
      );
      if (row === undefined) return null;
      return {
        kind,
        requestId: str(row.request_id),
        methodId: str(row.method_id),
        createdAtMs: Number(row.created_at_ms),
        expiresAtMs: Number(row.expires_at_ms),
        context: JSON.parse(str(row.context_json)) as Record<string, string>,
      };
    },
    delete: (kind, requestId) => {
      this.#runState('DELETE FROM saml_pending_requests WHERE kind = ? AND request_id = ?', kind, requestId);
    },
    sweep: (nowMs) => {
      this.#runState('DELETE FROM saml_pending_requests WHERE expires_at_ms <= ?', nowMs);
    },
  };

  readonly sessionRevocations: Store['sessionRevocations'] = {
    insert: (r) => {
      this.#runState(
        'INSERT INTO saml_session_revocations (method_id, name_id, session_index, revoked_at_ms, expires_at_ms) ' +
          'VALUES (?, ?, ?, ?, ?)',
        r.methodId,
        r.nameId,
        r.sessionIndex,
        r.revokedAtMs,
        r.expiresAtMs,
      );
    },
    listLive: (methodId, nameId, nowMs) =>
      this.#all(
        'SELECT * FROM saml_session_revocations WHERE method_id = ? AND name_id = ? AND expires_at_ms > ? ORDER BY id',
        methodId,
        nameId,
        nowMs,
      ).map((row) => ({
        methodId: str(row.method_id),
        nameId: str(row.name_id),
        sessionIndex: strOrNull(row.session_index),
        revokedAtMs: Number(row.revoked_at_ms),
        expiresAtMs: Number(row.expires_at_ms),
      })),
    countLivePrincipals: (nowMs) =>
      Number(
        this.#get(
          'SELECT COUNT(*) AS n FROM (SELECT DISTINCT method_id, name_id FROM saml_session_revocations WHERE expires_at_ms > ?)',
          nowMs,
        )?.n ?? 0,
      ),
    sweep: (nowMs) => {
      this.#runState('DELETE FROM saml_session_revocations WHERE expires_at_ms <= ?', nowMs);
    },
  };

  readonly serverSecrets: Store['serverSecrets'] = {
    getOrCreate: (name, create) => {
      // INSERT OR IGNORE then read: the first value written wins, also against another process on the same file.
      this.#runState(
        'INSERT OR IGNORE INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)',
        name,
        create(),
        new Date().toISOString(),
      );
      const row = this.#get('SELECT value FROM server_secrets WHERE name = ?', name);
      return Buffer.from(row?.value as Uint8Array);
    },
  };

  insertMembersBulk(rows: readonly MemberRow[]): void {
    this.#writes += 1;
    this.transaction(() => {
      const insertAccount = this.#stmt(
        'INSERT INTO accounts (id, email, given_name, family_name, username, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const insertMembership = this.#stmt(
        'INSERT INTO memberships (id, team_id, account_id, role, status, managed_by_scim, external_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const { account: a, membership: m } of rows) {
        insertAccount.run(a.id, a.email, a.givenName, a.familyName, a.username, a.passwordHash, a.createdAt);
        insertMembership.run(
          m.id,
          m.teamId,
          m.accountId,
          m.role,
          m.status,
          bool(m.managedByScim),
          m.externalId,
          m.version,
          m.createdAt,
          m.updatedAt,
        );
      }
    });
  }
}

function toOrgMembership(row: Row): OrganisationMembership {
  return {
    organisationId: str(row.organisation_id),
    accountId: str(row.account_id),
    permission: str(row.permission) as OrgPermission,
    createdAt: str(row.created_at),
  };
}

/** Opens (creating if needed) a SQLite store and runs its migrations. `':memory:'` for tests. */
export function openSqliteStore(options: { path: string }): Store {
  return new SqliteStore(options.path);
}
