// Public entry of the store layer: the Store interface and its SQLite implementation.
// design.md "store": one interface, SQLite file for `npm start`, `:memory:` for tests.
export { MIGRATIONS, migrate } from './migrations.ts';
export { GROUP_SQL_MAPPING, openSqliteStore, USER_SQL_MAPPING } from './sqlite-store.ts';
export type {
  AccountRepository,
  MemberRow,
  MembershipRepository,
  Page,
  PageQuery,
  PendingSamlRequestRepository,
  PendingSamlRequestRow,
  ServerSecretRepository,
  SessionRevocationRepository,
  SessionRevocationRow,
  Store,
  UsedAssertionRepository,
} from './store.ts';
