// oidc-provider's storage adapter, in memory and per simulator instance; clients are read from the directory's apps.
// oidc-provider adapter contract (lib/adapters/memory_adapter.js); OIDC core 2 (client metadata) from the app's oidc.

import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Directory } from '../directory/index.ts';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/** One store shared by the provider's models (names prefix the keys), so revokeByGrantId sees every model. */
export class OidcMemoryStore {
  readonly #entries = new Map<string, Stored>();
  readonly #grants = new Map<string, Set<string>>();
  readonly #uids = new Map<string, string>();
  readonly #userCodes = new Map<string, string>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    this.#prune();
    this.#entries.set(key, {
      payload,
      expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
    });
    if (payload.grantId !== undefined) {
      const members = this.#grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.#grants.set(payload.grantId, members);
    }
    if (payload.uid !== undefined) this.#uids.set(payload.uid, key);
    if (payload.userCode !== undefined) this.#userCodes.set(payload.userCode, key);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  byUid(uid: string): AdapterPayload | undefined {
    const key = this.#uids.get(uid);
    return key === undefined ? undefined : this.get(key);
  }

  byUserCode(code: string): AdapterPayload | undefined {
    const key = this.#userCodes.get(code);
    return key === undefined ? undefined : this.get(key);
  }

  revokeGrant(grantId: string): void {
    for (const key of this.#grants.get(grantId) ?? []) this.#entries.delete(key);
    this.#grants.delete(grantId);
  }

  /** Every stored Session payload (to end the provider sessions of a person whose IdP session ended). */
  payloadsOf(model: string): AdapterPayload[] {
    const out: AdapterPayload[] = [];
    for (const [key, entry] of this.#entries) if (key.startsWith(`${model}:`)) out.push(entry.payload);
    return out;
  }

  #prune(): void {
    if (this.#entries.size < 5000) return;
    const now = Date.now();
    for (const [key, entry] of this.#entries)
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#entries.delete(key);
  }
}

/** The client metadata oidc-provider validates (RFC 7591 2), from an app's OIDC client. */
function clientMetadata(directory: Directory, clientId: string): AdapterPayload | undefined {
  const app = directory.findAppByClientId(clientId);
  if (app === undefined) return undefined;
  const { oidc } = app;
  return {
    client_id: oidc.clientId,
    ...(oidc.tokenEndpointAuthMethod === 'none' ? {} : { client_secret: oidc.clientSecret }),
    client_name: app.name,
    redirect_uris: [...oidc.redirectUris],
    post_logout_redirect_uris: [...oidc.postLogoutRedirectUris],
    token_endpoint_auth_method: oidc.tokenEndpointAuthMethod,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    // Okta's ID tokens always carry auth_time (OIDC core 2: require_auth_time makes it so here).
    require_auth_time: true,
  };
}

/** The adapter factory oidc-provider instantiates per model name. */
export function oidcAdapterFactory(store: OidcMemoryStore, directory: Directory): (name: string) => Adapter {
  return (name) => {
    const key = (id: string): string => `${name}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        store.set(key(id), payload, expiresIn);
      },
      async find(id) {
        if (name === 'Client') return clientMetadata(directory, id);
        return store.get(key(id));
      },
      async findByUid(uid) {
        return store.byUid(uid);
      },
      async findByUserCode(userCode) {
        return store.byUserCode(userCode);
      },
      async consume(id) {
        const payload = store.get(key(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        store.revokeGrant(grantId);
      },
    };
  };
}
