// Public surface of the simulator's directory: the Directory class, seeding, SP metadata import and events.
// idsim issue #3 (directory); JIT-08 / ORG-06 (assignment), OKT-04 (app templates).

export type { PasswordCheck } from './credentials.ts';
export { checkPassword } from './credentials.ts';
export type { AppChanges, NewApp, NewPerson, PersonChanges } from './directory.ts';
export { DEFAULT_PASSWORD, Directory } from './directory.ts';
export type { DirectoryErrorCode } from './errors.ts';
export { DirectoryError } from './errors.ts';
export type {
  AssignmentSubject,
  DirectoryEvent,
  DirectoryEventOf,
  DirectoryEventType,
  DirectoryListener,
} from './events.ts';
export { DirectoryEvents } from './events.ts';
export type { IdpAppTemplate } from './idp-app-templates.ts';
export { IDP_APP_TEMPLATES } from './idp-app-templates.ts';
export type { SeedOptions } from './seed.ts';
export { seedDirectory } from './seed.ts';
export { importSpMetadataFromUrl, parseSpMetadata } from './sp-metadata.ts';
export type {
  App,
  AppTemplate,
  AttributeStatement,
  Group,
  IdpPersonality,
  OidcApp,
  OidcClient,
  Person,
  PersonStatus,
  ProvisioningSettings,
  ResponseSigning,
  SamlApp,
  ServiceProvider,
} from './types.ts';
export { DEFAULT_ATTRIBUTE_STATEMENTS, IDP_PERSONALITIES } from './types.ts';
