// The target file: a YAML or JSON description of the implementation under test and the capabilities it offers.
// Encodes design.md "The target contract" (scim, saml, control); validated with zod, resolved with documented defaults.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** A secret is given inline or named by an environment variable, so target files can be committed. */
const secretSchema = z.union([z.string().min(1), z.object({ env: z.string().min(1) })]);

const scimSchema = z.object({
  /** SCIM base URL, e.g. https://example.test/scim/v2 (OKT-01) */
  baseUrl: z.url(),
  bearerKey: secretSchema,
});

const samlSchema = z
  .object({
    /** SP metadata URL; entityId and the HTTP-POST ACS are read from it when not given */
    metadataUrl: z.url().optional(),
    entityId: z.string().min(1).optional(),
    acsUrl: z.url().optional(),
    /** where an SP-initiated sign-in starts (optional; scenarios that start at the SP need it) */
    loginUrl: z.url().optional(),
    /** an invite link's page, with {token}; its form posts field `team` to start SSO (JIT-04, JIT-06) */
    inviteUrl: z.string().min(1).optional(),
    /** email-and-password sign-in forms (fields email, password); teamUrl contains {teamId} */
    passwordLogin: z.object({ personalUrl: z.url(), teamUrl: z.string().min(1).optional() }).optional(),
    /** the sign-up form (fields email, password, givenName, familyName; PRV-10, SSO-02) */
    signUpUrl: z.url().optional(),
    /** the forgot-password form (field email); its link is read from control's outbox (JIT-07) */
    forgotPasswordUrl: z.url().optional(),
    /** the organisation login portal page, with {org} for the organisation slug (ORG-01..06) */
    portalLoginUrl: z.string().min(1).optional(),
    /** a team's sign-in page, with {teamId}; its SSO links show the methods' labels (SSO-04) */
    teamLoginUrl: z.string().min(1).optional(),
    /**
     * How a sign-in outcome is read from the ACS answer: `json` ({error:{code}} on refusal), `redirect`
     * (Location carries `errorParam`), or `auto` (either).
     */
    outcome: z
      .object({
        mode: z.enum(['auto', 'json', 'redirect']).default('auto'),
        errorParam: z.string().default('error'),
      })
      .default({ mode: 'auto', errorParam: 'error' }),
  })
  .refine(
    (value) =>
      value.metadataUrl !== undefined || (value.entityId !== undefined && value.acsUrl !== undefined),
    {
      message: 'saml needs metadataUrl, or entityId and acsUrl',
    },
  );

/**
 * issue #14: an OpenID Connect relying party that trusts the simulator's OP. The RP is configured beforehand with the
 * issuer `http://127.0.0.1:<simulatorPort>/oauth2/default` and this client; the simulator registers the client with
 * the redirect URI. Outcomes are read as for SAML (`outcome`).
 */
const oidcSchema = z.object({
  /** where the RP's OIDC sign-in starts */
  loginUrl: z.url(),
  /** the RP's redirection endpoint, registered at the OP */
  redirectUri: z.url(),
  postLogoutRedirectUri: z.url().optional(),
  clientId: z.string().min(1),
  clientSecret: secretSchema,
  /** the simulator listens here so that the RP's configured issuer is reachable (scenarios then run one at a time) */
  simulatorPort: z.number().int().min(1).max(65535),
  outcome: z
    .object({
      mode: z.enum(['auto', 'json', 'redirect']).default('auto'),
      errorParam: z.string().default('error'),
    })
    .default({ mode: 'auto', errorParam: 'error' }),
});

const controlSchema = z.union([
  z.object({ url: z.url(), token: secretSchema }),
  /** a TypeScript module exporting createControlDriver(record) (resolved relative to the target file) */
  z.object({ adapter: z.string().min(1) }),
]);

export const targetFileSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['reference', 'http']).default('http'),
  scim: scimSchema.optional(),
  saml: samlSchema.optional(),
  oidc: oidcSchema.optional(),
  control: controlSchema.optional(),
});

export type TargetFile = z.infer<typeof targetFileSchema>;
export type SamlTargetConfig = z.infer<typeof samlSchema>;
export type OidcTargetConfig = Omit<z.infer<typeof oidcSchema>, 'clientSecret'> & { clientSecret: string };

export interface ResolvedScimConfig {
  baseUrl: string;
  bearerKey: string;
}
export type ResolvedControlConfig =
  | { kind: 'http'; url: string; token: string }
  | { kind: 'adapter'; module: string };

/** The target after secrets and relative paths are resolved: what the drivers are built from. */
export type ResolvedTarget =
  | { kind: 'reference'; name: string }
  | {
      kind: 'http';
      name: string;
      scim: ResolvedScimConfig | null;
      saml: SamlTargetConfig | null;
      oidc: OidcTargetConfig | null;
      control: ResolvedControlConfig | null;
    };

export const REFERENCE_TARGET: ResolvedTarget = { kind: 'reference', name: 'reference server' };

export class TargetConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetConfigError';
  }
}

function resolveSecret(secret: z.infer<typeof secretSchema>, env: NodeJS.ProcessEnv, where: string): string {
  if (typeof secret === 'string') return secret;
  const value = env[secret.env];
  if (value === undefined || value === '') {
    throw new TargetConfigError(`${where}: environment variable ${secret.env} is not set`);
  }
  return value;
}

/** Validates a parsed target document; `baseDir` anchors a relative adapter path. */
export function resolveTarget(
  document: unknown,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTarget {
  const parsed = targetFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new TargetConfigError(`invalid target file: ${problems.join('; ')}`);
  }
  const file = parsed.data;
  if (file.kind === 'reference') return { kind: 'reference', name: file.name };
  let control: ResolvedControlConfig | null = null;
  if (file.control !== undefined) {
    control =
      'adapter' in file.control
        ? { kind: 'adapter', module: path.resolve(baseDir, file.control.adapter) }
        : {
            kind: 'http',
            url: file.control.url,
            token: resolveSecret(file.control.token, env, 'control.token'),
          };
  }
  return {
    kind: 'http',
    name: file.name,
    scim:
      file.scim === undefined
        ? null
        : {
            baseUrl: file.scim.baseUrl,
            bearerKey: resolveSecret(file.scim.bearerKey, env, 'scim.bearerKey'),
          },
    saml: file.saml ?? null,
    oidc:
      file.oidc === undefined
        ? null
        : { ...file.oidc, clientSecret: resolveSecret(file.oidc.clientSecret, env, 'oidc.clientSecret') },
    control,
  };
}

/** Reads a .yaml/.yml/.json target file. */
export async function loadTargetFile(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedTarget> {
  const text = await readFile(file, 'utf8');
  const document: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  return resolveTarget(document, path.dirname(path.resolve(file)), env);
}
