// Public entry of the team service: the factory, the service class and the seeders.
// ControlService (server/control/port.ts) and ScimDirectory (server/scim/directory.ts) are both implemented here.
export type { ServiceContext, TeamServiceOptions } from './context.ts';
export {
  DEMO_ADMIN_EMAIL,
  DEMO_ADMIN_PASSWORD,
  DEMO_ORGANISATION_SLUG,
  type DemoSeedResult,
  seedDemo,
  seedUsers,
} from './demo-seed.ts';
export { createScimReadyTeam, type ScimReadyTeam, type ScimReadyTeamOptions } from './scim-ready-team.ts';
export {
  type AuditInput,
  createTeamService,
  DEFAULT_RECENT_AUTH_HOURS,
  type OrganisationMembershipView,
  type PortalAdmission,
  type RegisteredAccount,
  TeamService,
  type TeamSignInFacts,
} from './team-service.ts';
