// A target described by a target file: SCIM, SAML and control reached over HTTP, or control through an adapter module.
// Encodes design.md "The target contract": only the capabilities the file names are offered; others make scenarios n/a.
import { pathToFileURL } from 'node:url';
import type { ResolvedTarget } from '../config.ts';
import { createHttpControlDriver } from '../control-http.ts';
import { createOidcDriver } from '../oidc-http.ts';
import { createFixedSamlDriver, readSpMetadata } from '../saml-http.ts';
import { createHttpScimDriver } from '../scim-http.ts';
import type { Capability, ControlDriver, TargetFactory, TranscriptSink } from '../target.ts';

/** What a control adapter module exports (control: { adapter: ./my-adapter.ts } in the target file). */
export interface ControlAdapterModule {
  createControlDriver(record: TranscriptSink): ControlDriver | Promise<ControlDriver>;
}

function isAdapterModule(value: unknown): value is ControlAdapterModule {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { createControlDriver?: unknown }).createControlDriver === 'function'
  );
}

export async function createHttpTargetFactory(
  target: Extract<ResolvedTarget, { kind: 'http' }>,
): Promise<TargetFactory> {
  const capabilities = new Set<Capability>();
  if (target.scim !== null) capabilities.add('scim');
  if (target.saml !== null) capabilities.add('saml');
  if (target.control !== null) capabilities.add('control');
  if (target.oidc !== null) capabilities.add('oidc');
  const oidcConfig = target.oidc;
  const oidc =
    oidcConfig === null
      ? null
      : createOidcDriver({
          loginUrl: () => oidcConfig.loginUrl,
          redirectUri: () => oidcConfig.redirectUri,
          postLogoutRedirectUri: () => oidcConfig.postLogoutRedirectUri ?? null,
          client: { clientId: oidcConfig.clientId, clientSecret: oidcConfig.clientSecret },
          issuerPort: oidcConfig.simulatorPort,
          outcome: oidcConfig.outcome,
        });

  let sp: { entityId: string; acsUrl: string } | null = null;
  const saml = target.saml;
  if (saml !== null) {
    if (saml.entityId !== undefined && saml.acsUrl !== undefined) {
      sp = { entityId: saml.entityId, acsUrl: saml.acsUrl };
    } else if (saml.metadataUrl !== undefined) {
      const response = await fetch(saml.metadataUrl);
      sp = readSpMetadata(await response.text());
    }
  }

  let adapter: ControlAdapterModule | null = null;
  const control = target.control;
  if (control?.kind === 'adapter') {
    const loaded: unknown = await import(pathToFileURL(control.module).href);
    if (!isAdapterModule(loaded))
      throw new Error(`${control.module} does not export createControlDriver(record)`);
    adapter = loaded;
  }

  return {
    name: target.name,
    capabilities,
    async open(record) {
      let controlDriver: ControlDriver | null = null;
      if (control?.kind === 'http') {
        controlDriver = createHttpControlDriver({ baseUrl: control.url, token: control.token, record });
      } else if (adapter !== null) {
        controlDriver = await adapter.createControlDriver(record);
      }
      const scim = target.scim;
      return {
        name: target.name,
        capabilities,
        control: controlDriver,
        oidc,
        saml:
          sp === null || saml === null
            ? null
            : createFixedSamlDriver(
                sp.entityId,
                sp.acsUrl,
                record,
                saml.outcome.mode,
                saml.outcome.errorParam,
                saml.loginUrl ?? null,
                saml.passwordLogin === undefined
                  ? null
                  : {
                      personalUrl: saml.passwordLogin.personalUrl,
                      teamUrl: saml.passwordLogin.teamUrl ?? null,
                    },
                saml.inviteUrl ?? null,
                saml.signUpUrl ?? null,
                saml.forgotPasswordUrl ?? null,
                saml.portalLoginUrl ?? null,
                saml.teamLoginUrl ?? null,
              ),
        openScim: async () =>
          scim === null ? null : createHttpScimDriver(scim.baseUrl, scim.bearerKey, record),
        scimWithKey: (key) => (scim === null ? null : createHttpScimDriver(scim.baseUrl, key, record)),
        close: async () => {},
      };
    },
  };
}
