// Numbered schema migrations for the SQLite store, applied in order and recorded in `schema_migrations`.
// Indexes cover the SCIM lookups of shared/targets.md (userName, externalId, email, displayName; NOCASE per RFC 7643 2.1).
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'team domain',
    sql: `
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  portal_jit_enabled INTEGER NOT NULL,
  private_instance INTEGER NOT NULL,
  default_permission TEXT NOT NULL,
  recent_auth_hours INTEGER NOT NULL
);
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  plan TEXT NOT NULL,
  licensed_seats INTEGER NOT NULL,
  used_seats INTEGER NOT NULL DEFAULT 0,
  auto_flex INTEGER NOT NULL,
  true_up INTEGER NOT NULL,
  scim_enabled INTEGER NOT NULL
);
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  username TEXT,
  password_hash TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX accounts_email ON accounts(email COLLATE NOCASE);
CREATE UNIQUE INDEX accounts_username ON accounts(username) WHERE username IS NOT NULL;
CREATE TABLE memberships (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  role TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
  managed_by_scim INTEGER NOT NULL,
  external_id TEXT,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (team_id, account_id)
);
CREATE INDEX memberships_account ON memberships(account_id);
CREATE INDEX memberships_external_id ON memberships(team_id, external_id COLLATE NOCASE);
CREATE INDEX memberships_team_role ON memberships(team_id, status, role);
CREATE INDEX memberships_team_created ON memberships(team_id, created_at, id);
CREATE TRIGGER memberships_seat_insert AFTER INSERT ON memberships WHEN NEW.status = 'active'
BEGIN UPDATE teams SET used_seats = used_seats + 1 WHERE id = NEW.team_id; END;
CREATE TRIGGER memberships_seat_delete AFTER DELETE ON memberships WHEN OLD.status = 'active'
BEGIN UPDATE teams SET used_seats = used_seats - 1 WHERE id = OLD.team_id; END;
CREATE TRIGGER memberships_seat_update AFTER UPDATE OF status ON memberships WHEN OLD.status <> NEW.status
BEGIN
  UPDATE teams SET used_seats = used_seats + (CASE WHEN NEW.status = 'active' THEN 1 ELSE -1 END)
  WHERE id = NEW.team_id;
END;
CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  token_digest TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX invites_team ON invites(team_id);
CREATE TABLE auth_methods (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  auto_add_users INTEGER NOT NULL,
  saml_json TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX auth_methods_team ON auth_methods(team_id);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  digest TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
  created_at TEXT NOT NULL
);
CREATE INDEX api_keys_team ON api_keys(team_id);
CREATE TABLE domains (
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  verified INTEGER NOT NULL,
  capture_team_id TEXT REFERENCES teams(id),
  PRIMARY KEY (organisation_id, name)
);
CREATE INDEX domains_name ON domains(name, verified);
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  owner_id TEXT REFERENCES accounts(id),
  created_at TEXT NOT NULL
);
CREATE INDEX workspaces_team ON workspaces(team_id, owner_id);
CREATE TABLE workspace_grants (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  kind TEXT NOT NULL,
  member_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (workspace_id, kind, member_id)
);
CREATE INDEX workspace_grants_member ON workspace_grants(kind, member_id);
CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  display_name TEXT NOT NULL,
  external_id TEXT,
  managed_by_scim INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX groups_display_name ON groups(team_id, display_name COLLATE NOCASE);
CREATE INDEX groups_team_created ON groups(team_id, created_at, id);
CREATE INDEX groups_external_id ON groups(team_id, external_id COLLATE NOCASE);
CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, membership_id)
);
CREATE INDEX group_members_membership ON group_members(membership_id);
CREATE TABLE password_resets (
  digest TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE TABLE organisation_memberships (
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  permission TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (organisation_id, account_id)
);
CREATE INDEX organisation_memberships_account ON organisation_memberships(account_id);
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  team_id TEXT,
  account_id TEXT,
  data_json TEXT NOT NULL
);
CREATE INDEX audit_events_team ON audit_events(team_id);
CREATE INDEX audit_events_account ON audit_events(account_id);
`,
  },
  {
    version: 2,
    name: 'organisation portal SSO method',
    // ORG-01; SET NULL so that removing the method leaves the portal without SSO instead of a dangling id.
    sql: `
ALTER TABLE organisations ADD COLUMN portal_auth_method_id TEXT REFERENCES auth_methods(id) ON DELETE SET NULL;
`,
  },
  {
    version: 3,
    name: 'SAML SP state and server secrets',
    // idsim issue #10: what protects a sign-in survives a restart. Used assertion IDs (profiles 4.1.4.5), the SP's
    // pending AuthnRequests and LogoutRequests (core 3.2.2 InResponseTo), SAML sessions ended by single logout
    // (core 3.7.3.2), each with an expiry in epoch ms that sweeping deletes by; and the session cookie's HMAC key.
    // No foreign keys: these rows outlive nothing and name methods only to match them.
    sql: `
CREATE TABLE saml_used_assertions (
  key TEXT PRIMARY KEY,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX saml_used_assertions_expiry ON saml_used_assertions(expires_at_ms);
CREATE TABLE saml_pending_requests (
  kind TEXT NOT NULL CHECK (kind IN ('authn', 'logout')),
  request_id TEXT NOT NULL,
  method_id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  context_json TEXT NOT NULL,
  PRIMARY KEY (kind, request_id)
);
CREATE INDEX saml_pending_requests_expiry ON saml_pending_requests(expires_at_ms);
CREATE TABLE saml_session_revocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  method_id TEXT NOT NULL,
  name_id TEXT NOT NULL,
  session_index TEXT,
  revoked_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX saml_session_revocations_principal ON saml_session_revocations(method_id, name_id);
CREATE INDEX saml_session_revocations_expiry ON saml_session_revocations(expires_at_ms);
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'OpenID Connect auth methods',
    // issue #14: kind 'oidc' keeps its OP and client (issuer, client id, secret, scopes) as JSON, like saml_json.
    sql: `
ALTER TABLE auth_methods ADD COLUMN oidc_json TEXT;
`,
  },
];

/** Applies every migration newer than the recorded version, each in its own transaction. Returns the version. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  let current = row.version ?? 0;
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    current = migration.version;
  }
  return current;
}
