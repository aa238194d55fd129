// SCIM for a team: turning it on and off, its API keys (generate, import, revoke, list) and the bearer-key check
// run on every SCIM request. Catalogue KEY-01..04, SSO-06.
import type { ApiKeyView, TeamView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import { assertPlanAllowsScim } from '../domain/plans.ts';
import {
  assertMayGenerateScimKey,
  assertScimKeyUsable,
  newScimKeySecret,
  SCIM_KEY_SHOWN_CHARS,
} from '../domain/scim-keys.ts';
import { digestSecret } from '../domain/tokens.ts';
import type { ScimTenant } from '../scim/directory.ts';
import type { ServiceContext } from './context.ts';
import { assertImportableScimKey } from './imported-scim-key.ts';
import { requireTeam } from './lifecycle.ts';
import { appendAudit, requireAdmin } from './service-kit.ts';
import { apiKeyView, teamView } from './views.ts';

export function setScimEnabled(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  enabled: boolean,
): TeamView {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'enable SCIM'); // KEY-03
    if (enabled) assertPlanAllowsScim(team.plan); // KEY-01
    // SSO-06: enabling SCIM removes nobody.
    ctx.store.teams.update({ ...team, scimEnabled: enabled });
    appendAudit(ctx, { type: enabled ? 'scim.enabled' : 'scim.disabled', teamId, accountId: actorId });
    return teamView(requireTeam(ctx, teamId));
  });
}

export function generateScimKey(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
): { key: string; apiKey: ApiKeyView } {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'generate a SCIM API key'); // KEY-03
    assertMayGenerateScimKey(team, ctx.store.authMethods.listByTeam(teamId)); // KEY-01, KEY-02
    const key = newScimKeySecret();
    const apiKey = {
      id: ctx.newId(),
      teamId,
      digest: digestSecret(key),
      prefix: key.slice(0, SCIM_KEY_SHOWN_CHARS),
      status: 'ACTIVE' as const,
      createdAt: ctx.nowIso(),
    };
    ctx.store.apiKeys.insert(apiKey);
    appendAudit(ctx, { type: 'scim.key_generated', teamId, accountId: actorId, data: { keyId: apiKey.id } });
    return { key, apiKey: apiKeyView(apiKey) };
  });
}

/**
 * A caller-chosen key ("a known SCIM key" for scripts, idsim issue #2): KEY-01..03 apply as for generateScimKey, the
 * key must pass assertImportableScimKey and is stored only as its digest. Importing a key that is already an ACTIVE
 * key of this team returns it unchanged (a restart with the same key); any other holder is a conflict.
 */
export function importScimKey(ctx: ServiceContext, teamId: string, actorId: string, key: string): ApiKeyView {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'add a SCIM API key'); // KEY-03
    assertMayGenerateScimKey(team, ctx.store.authMethods.listByTeam(teamId)); // KEY-01, KEY-02
    assertImportableScimKey(key);
    const digest = digestSecret(key);
    const existing = ctx.store.apiKeys.getByDigest(digest);
    if (existing) {
      if (existing.teamId === teamId && existing.status === 'ACTIVE') return apiKeyView(existing);
      throw new DomainError('uniqueness', 'this SCIM API key is already in use', { attribute: 'key' });
    }
    const apiKey = {
      id: ctx.newId(),
      teamId,
      digest,
      // a listing shows at most a quarter of a chosen key (generated keys show their fixed prefix + 6)
      prefix: key.slice(0, Math.min(SCIM_KEY_SHOWN_CHARS, Math.floor(key.length / 4))),
      status: 'ACTIVE' as const,
      createdAt: ctx.nowIso(),
    };
    ctx.store.apiKeys.insert(apiKey);
    appendAudit(ctx, { type: 'scim.key_imported', teamId, accountId: actorId, data: { keyId: apiKey.id } });
    return apiKeyView(apiKey);
  });
}

export function revokeScimKey(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  keyId: string,
): ApiKeyView {
  return ctx.store.transaction(() => {
    requireAdmin(ctx, teamId, actorId, 'revoke a SCIM API key');
    const key = ctx.store.apiKeys.get(keyId);
    if (!key || key.teamId !== teamId) throw new DomainError('not_found', `API key ${keyId} not found`);
    const next = { ...key, status: 'REVOKED' as const };
    ctx.store.apiKeys.update(next);
    appendAudit(ctx, { type: 'scim.key_revoked', teamId, accountId: actorId, data: { keyId } });
    return apiKeyView(next);
  });
}

export function listScimKeys(ctx: ServiceContext, teamId: string): ApiKeyView[] {
  return ctx.store.transaction(() => ctx.store.apiKeys.listByTeam(teamId).map(apiKeyView));
}

/** KEY-04: sha256 lookup and constant-time compare, no KDF per request (shared/targets.md). */
export class ScimKeyAuthenticator {
  /** digest → team id of SCIM keys found usable, valid while the store's change count is #usableKeysAt */
  readonly #usableKeys = new Map<string, string>();
  #usableKeysAt = -1;
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * KEY-04 on every SCIM request. Keys found usable are remembered by digest until the store next changes (any
   * write: a revoked key, SCIM turned off, a plan change), so a revoked key still fails at once while the hot path
   * runs no query. Looking a SHA-256 digest up in a Map leaks nothing about the key.
   */
  authenticate(bearerKey: string): ScimTenant {
    const digest = digestSecret(bearerKey);
    const changeCount = this.#ctx.store.changeCount();
    if (changeCount !== this.#usableKeysAt) {
      this.#usableKeys.clear();
      this.#usableKeysAt = changeCount;
    }
    const cachedTeamId = this.#usableKeys.get(digest);
    if (cachedTeamId !== undefined) return { teamId: cachedTeamId };
    return this.#ctx.store.transaction(() => {
      const stored = this.#ctx.store.apiKeys.getByDigest(digest);
      const team = stored ? this.#ctx.store.teams.get(stored.teamId) : null;
      assertScimKeyUsable(stored, digest, team);
      this.#usableKeys.set(digest, stored.teamId);
      return { teamId: stored.teamId };
    });
  }
}
