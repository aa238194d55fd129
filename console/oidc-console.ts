// The console's OpenID Connect sign-in: turns an OIDC method on for the demo team (its client added to the IdP app,
// which then offers SAML and OIDC with the same assignments), signs people in over OIDC, and puts each ID token the
// reference RP checked on the timeline, decoded, with its verdict. Issue #14; OIDC core 3.1.
import { randomBytes } from 'node:crypto';
import type { IdTokenRecord } from '../server/oidc/relying-party.ts';
import { ConsoleError } from './errors.ts';
import type { LiveSystem, SignInOutcome } from './live-system.ts';

export interface OidcConsoleState {
  /** the reference team has an OIDC method whose client the IdP app carries */
  enabled: boolean;
  methodId: string | null;
  issuer: string;
  /** the ID tokens the reference RP checked, newest first (decoded header and claims, verdict) */
  idTokens: IdTokenRecord[];
}

export class OidcConsole {
  readonly #system: () => LiveSystem;
  #methodId: string | null = null;

  constructor(system: () => LiveSystem) {
    this.#system = system;
  }

  state(): OidcConsoleState {
    const system = this.#system();
    return {
      enabled: this.#methodId !== null,
      methodId: this.#methodId,
      issuer: `${system.simulator.baseUrl}/oauth2/default`,
      idTokens: system.reference.oidc?.rp.records().slice(0, 5) ?? [],
    };
  }

  /**
   * On: an OIDC method on the team (JIT as the SAML method has it) and the client on the IdP app. Off: both removed
   * (KEY-02 counts the OIDC method as an SSO method, so a new SCIM key needs it off again).
   */
  setEnabled(on: boolean): void {
    const system = this.#system();
    const { service, teamId, adminAccountId, samlMethodId, baseUrl } = system.reference;
    if (on === (this.#methodId !== null)) return;
    if (!on && this.#methodId !== null) {
      service.removeAuthMethod(teamId, adminAccountId, this.#methodId);
      this.#methodId = null;
      return;
    }
    const saml = service.listAuthMethods(teamId).find((m) => m.id === samlMethodId);
    const clientId = `0oa${randomBytes(8).toString('hex')}`;
    const clientSecret = randomBytes(24).toString('base64url');
    const method = service.addAuthMethod(teamId, adminAccountId, {
      kind: 'oidc',
      label: 'Okta (OIDC)',
      enabled: true,
      autoAddUsers: saml?.autoAddUsers ?? false,
      oidc: {
        issuer: `${system.simulator.baseUrl}/oauth2/default`,
        clientId,
        clientSecret,
        scopes: ['email', 'profile', 'groups'],
      },
    });
    system.simulator.directory.updateApp(system.appId, {
      oidc: {
        clientId,
        clientSecret,
        redirectUris: [`${baseUrl}/oidc/${method.id}/callback`],
        postLogoutRedirectUris: [`${baseUrl}/oidc/${method.id}/signed-out`],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    });
    this.#methodId = method.id;
  }

  /** RP-initiated OIDC sign-in at the reference server, through the simulator's OP (cookies kept per person). */
  async signIn(personId: string): Promise<SignInOutcome> {
    const system = this.#system();
    if (this.#methodId === null) {
      throw new ConsoleError('not_available_for_target', 'turn OpenID Connect sign-in on first');
    }
    const outcome = await system.signInAt(
      personId,
      `${system.reference.baseUrl}/oidc/${this.#methodId}/login`,
    );
    const record = system.reference.oidc?.rp.records()[0];
    if (record !== undefined) {
      system.timeline.add({
        kind: 'note',
        title: `ID token ${record.verdict === 'accepted' ? 'accepted' : `refused: ${record.verdict}`} (${String(record.claims?.email ?? 'no email')})`,
        detail: JSON.stringify(
          { header: record.header, claims: record.claims, detail: record.detail },
          null,
          2,
        ),
      });
    }
    return outcome;
  }
}
