// zod schemas for the control API's request bodies and queries (docs/control-api.openapi.yaml, components/schemas).
// Shapes mirror the ControlService inputs of server/control/port.ts; strict objects, so a misspelt field is a 400.
import { z } from 'zod';
import { parseIdpMetadata, SamlXmlError } from '../../protocol/saml/index.ts';
import type {
  AuthMethodKind,
  OidcConnection,
  OrgPermission,
  PlanName,
  SamlConnection,
  TeamRole,
  WorkspaceRole,
  WorkspaceType,
} from './port.ts';

const nonEmpty = z.string().trim().min(1);
const identifier = z.string().min(1).max(200);
const email = z.email();

export const planNameSchema = z.enum([
  'Free',
  'Basic',
  'Professional',
  'Enterprise',
]) satisfies z.ZodType<PlanName>;
export const teamRoleSchema = z.enum([
  'Super Admin',
  'Admin',
  'Member',
  'Guest',
]) satisfies z.ZodType<TeamRole>;
export const authMethodKindSchema = z.enum(['password', 'saml', 'oidc']) satisfies z.ZodType<AuthMethodKind>;
export const workspaceTypeSchema = z.enum([
  'private',
  'internal',
  'public',
  'partner',
]) satisfies z.ZodType<WorkspaceType>;
export const workspaceRoleSchema = z.enum(['Admin', 'Editor', 'Viewer']) satisfies z.ZodType<WorkspaceRole>;
export const orgPermissionSchema = z.enum([
  'member',
  'contributor',
  'admin',
]) satisfies z.ZodType<OrgPermission>;

const seatCount = z.number().int().min(0).max(1_000_000);

export const newPersonSchema = z.strictObject({
  email,
  givenName: z.string(),
  familyName: z.string(),
  password: z.string().min(1).optional(),
});

export const samlConnectionSchema = z.strictObject({
  idpEntityId: nonEmpty,
  idpSsoUrl: z.url(),
  idpCertificates: z.array(nonEmpty),
  idpSloUrl: z.url().optional(),
  // written out (false) when not given, so the method's view always shows the SHA-1 opt-in
  allowSha1: z.boolean().default(false),
}) satisfies z.ZodType<SamlConnection>;

/**
 * The IdP's metadata document instead of its fields (what an admin copies from Okta's "Identity Provider metadata"):
 * entityID, the HTTP-Redirect SingleSignOnService, the signing certificates and the HTTP-Redirect SingleLogoutService
 * are read from it (saml-metadata-2.0-os 2.4.3). Metadata it cannot use is a validation issue on idpMetadataXml.
 */
const samlFromMetadataSchema = z
  .strictObject({ idpMetadataXml: nonEmpty, allowSha1: z.boolean().default(false) })
  .transform((input, ctx): SamlConnection => {
    try {
      const metadata = parseIdpMetadata(input.idpMetadataXml);
      return {
        idpEntityId: metadata.entityId,
        idpSsoUrl: metadata.ssoRedirectUrl,
        idpCertificates: metadata.signingCertificates,
        ...(metadata.sloRedirectUrl === undefined ? {} : { idpSloUrl: metadata.sloRedirectUrl }),
        allowSha1: input.allowSha1,
      };
    } catch (error) {
      if (!(error instanceof SamlXmlError)) throw error;
      ctx.addIssue({
        code: 'custom',
        path: ['idpMetadataXml'],
        message: `unusable IdP metadata: ${error.message}`,
      });
      return z.NEVER;
    }
  });

/**
 * A SAML method's IdP: its fields, or its metadata document. Chosen by the presence of idpMetadataXml rather than
 * by z.union, so a refusal names the field that is wrong instead of "saml: Invalid input".
 */
export const samlInputSchema = z.unknown().transform((value, ctx): SamlConnection => {
  const fromMetadata = typeof value === 'object' && value !== null && 'idpMetadataXml' in value;
  const result = (fromMetadata ? samlFromMetadataSchema : samlConnectionSchema).safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

export const createOrganisationBody = z.strictObject({
  slug: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'lower-case letters, digits and dashes, starting with a letter or digit',
    ),
  name: nonEmpty,
  privateInstance: z.boolean().optional(),
});

export const updatePortalBody = z.strictObject({
  jitEnabled: z.boolean().optional(),
  privateInstance: z.boolean().optional(),
  defaultPermission: orgPermissionSchema.optional(),
  recentAuthHours: z
    .number()
    .positive()
    .max(24 * 365)
    .optional(),
  /** ORG-01: the SAML method serving the portal's SSO page; null clears it */
  authMethodId: identifier.nullable().optional(),
});

export const createTeamBody = z.strictObject({
  organisationId: identifier.optional(),
  name: nonEmpty,
  plan: planNameSchema,
  licensedSeats: seatCount,
  autoFlex: z.boolean().optional(),
  trueUp: z.boolean().optional(),
  owner: newPersonSchema,
});

export const updateTeamBody = z.strictObject({
  plan: planNameSchema.optional(),
  licensedSeats: seatCount.optional(),
  autoFlex: z.boolean().optional(),
  trueUp: z.boolean().optional(),
});

export const addMemberBody = newPersonSchema.extend({ role: teamRoleSchema });

export const setMemberRoleBody = z.strictObject({ role: teamRoleSchema });

export const removeMemberQuery = z.object({ handoverTo: identifier.optional() });

export const findAccountQuery = z.object({ email });

export const changeEmailBody = z.strictObject({ email });

export const changePasswordBody = z.strictObject({
  /** null (or absent) for an account that has no password yet (JIT-10) */
  currentPassword: z.string().nullable().optional(),
  newPassword: z.string().min(1),
});

export const createInviteBody = z.strictObject({ email, role: teamRoleSchema.optional() });

/** issue #14: an OIDC method's OP (by issuer, read through discovery) and client. */
export const oidcConnectionSchema = z.strictObject({
  issuer: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token (RFC 6749 3.3)')).optional(),
}) satisfies z.ZodType<OidcConnection>;

export const addAuthMethodBody = z.strictObject({
  kind: authMethodKindSchema,
  label: z.string().optional(),
  enabled: z.boolean().optional(),
  autoAddUsers: z.boolean().optional(),
  saml: samlInputSchema.optional(),
  oidc: oidcConnectionSchema.optional(),
});

export const updateAuthMethodBody = z.strictObject({
  label: z.string().optional(),
  enabled: z.boolean().optional(),
  autoAddUsers: z.boolean().optional(),
  saml: samlInputSchema.optional(),
  oidc: oidcConnectionSchema.partial().optional(),
});

export const setScimEnabledBody = z.strictObject({ enabled: z.boolean() });

export const addDomainBody = z.strictObject({
  // ASCII only, matched case-insensitively; the service folds ASCII case (a Unicode case mapping must not turn
  // U+212A KELVIN SIGN into a `k`, idsim #10).
  name: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'a DNS domain name')
    .transform((name) => name.replace(/[A-Z]/g, (letter) => letter.toLowerCase())),
});

export const setDomainCaptureBody = z.strictObject({ teamId: identifier.nullable() });

export const createWorkspaceBody = z.strictObject({
  name: nonEmpty,
  type: workspaceTypeSchema,
  ownerId: identifier.optional(),
});

export const shareWorkspaceBody = z.strictObject({
  kind: z.enum(['account', 'group']),
  id: identifier,
  role: workspaceRoleSchema,
});

export const createGroupBody = z.strictObject({ displayName: nonEmpty });

/** GRP-03: account ids of active team members */
export const addGroupMembersBody = z.strictObject({ accountIds: z.array(identifier).min(1).max(1000) });

/** JIT-07: the operator's outbox, optionally for one recipient */
export const outboxQuery = z.object({ to: email.optional() });
