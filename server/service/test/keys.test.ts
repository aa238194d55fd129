// Catalogue KEY-01..04: SCIM enablement and API keys through the team service.
// Checks typed error codes and stored state (keys listed, statuses) with an in-memory store.
import { describe, expect, it } from 'vitest';
import { errorCode, makeFixture } from './fixture.ts';

describe('KEY-01 SCIM only on Enterprise', () => {
  it.each(['Free', 'Basic', 'Professional'] as const)('refuses a key and SCIM on %s', (plan) => {
    const f = makeFixture({ plan });
    expect(errorCode(() => f.service.generateScimKey(f.team.id, f.ownerId))).toBe('plan_not_eligible');
    expect(errorCode(() => f.service.setScimEnabled(f.team.id, f.ownerId, true))).toBe('plan_not_eligible');
    expect(f.service.listScimKeys(f.team.id)).toEqual([]);
    expect(f.service.getTeam(f.team.id).scimEnabled).toBe(false);
  });

  it('allows a key on Enterprise, and leaving Enterprise turns SCIM off', () => {
    const f = makeFixture();
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    const { key, apiKey } = f.service.generateScimKey(f.team.id, f.ownerId);
    expect(apiKey.status).toBe('ACTIVE');
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(key.length).toBeGreaterThan(apiKey.prefix.length + 20);
    f.service.updateTeam(f.team.id, f.ownerId, { plan: 'Professional' });
    expect(f.service.getTeam(f.team.id).scimEnabled).toBe(false);
    expect(errorCode(() => f.service.authenticate(key))).toBe('scim_not_enabled');
  });
});

describe('KEY-02 exactly one SSO method', () => {
  it('refuses with none and with two SAML methods; email/password does not count', () => {
    const f = makeFixture({ saml: false });
    f.service.addAuthMethod(f.team.id, f.ownerId, { kind: 'password' });
    expect(errorCode(() => f.service.generateScimKey(f.team.id, f.ownerId))).toBe('sso_method_count');
    const saml = { idpEntityId: 'urn:a', idpSsoUrl: 'http://127.0.0.1/a', idpCertificates: [] };
    f.service.addAuthMethod(f.team.id, f.ownerId, { kind: 'saml', saml });
    expect(f.service.generateScimKey(f.team.id, f.ownerId).apiKey.status).toBe('ACTIVE');
    f.service.addAuthMethod(f.team.id, f.ownerId, { kind: 'saml', saml: { ...saml, idpEntityId: 'urn:b' } });
    expect(errorCode(() => f.service.generateScimKey(f.team.id, f.ownerId))).toBe('sso_method_count');
    expect(f.service.listScimKeys(f.team.id)).toHaveLength(1);
  });
});

describe('KEY-03 only admins enable SCIM and generate keys', () => {
  it('refuses a Member and a Guest, allows an Admin', () => {
    const f = makeFixture();
    const member = f.service.addMember(f.team.id, f.ownerId, {
      email: 'm@acme.example',
      givenName: 'M',
      familyName: 'M',
      role: 'Member',
    });
    const guest = f.service.addMember(f.team.id, f.ownerId, {
      email: 'g@acme.example',
      givenName: 'G',
      familyName: 'G',
      role: 'Guest',
    });
    const admin = f.service.addMember(f.team.id, f.ownerId, {
      email: 'a@acme.example',
      givenName: 'A',
      familyName: 'A',
      role: 'Admin',
    });
    for (const actor of [member, guest]) {
      expect(errorCode(() => f.service.setScimEnabled(f.team.id, actor.account.id, true))).toBe('forbidden');
      expect(errorCode(() => f.service.generateScimKey(f.team.id, actor.account.id))).toBe('forbidden');
    }
    expect(f.service.getTeam(f.team.id).scimEnabled).toBe(false);
    expect(f.service.setScimEnabled(f.team.id, admin.account.id, true).scimEnabled).toBe(true);
    expect(f.service.generateScimKey(f.team.id, admin.account.id).apiKey.status).toBe('ACTIVE');
  });
});

describe('KEY-04 key check', () => {
  it('accepts an ACTIVE key of a SCIM-enabled team and names the tenant', () => {
    const f = makeFixture();
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    const { key } = f.service.generateScimKey(f.team.id, f.ownerId);
    expect(f.service.authenticate(key)).toEqual({ teamId: f.team.id });
  });

  it('fails for a wrong key, a revoked key, and SCIM off', () => {
    const f = makeFixture();
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    const { key, apiKey } = f.service.generateScimKey(f.team.id, f.ownerId);
    expect(errorCode(() => f.service.authenticate(`${key}x`))).toBe('invalid_api_key');
    expect(errorCode(() => f.service.authenticate(''))).toBe('invalid_api_key');
    f.service.setScimEnabled(f.team.id, f.ownerId, false);
    expect(errorCode(() => f.service.authenticate(key))).toBe('scim_not_enabled');
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    expect(f.service.revokeScimKey(f.team.id, f.ownerId, apiKey.id).status).toBe('REVOKED');
    expect(errorCode(() => f.service.authenticate(key))).toBe('api_key_revoked');
  });

  it('a key that just authenticated fails at once after it is revoked, SCIM is turned off or the plan changes', () => {
    const f = makeFixture();
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    const { key, apiKey } = f.service.generateScimKey(f.team.id, f.ownerId);
    expect(f.service.authenticate(key)).toEqual({ teamId: f.team.id });
    expect(f.service.authenticate(key)).toEqual({ teamId: f.team.id });
    f.service.setScimEnabled(f.team.id, f.ownerId, false);
    expect(errorCode(() => f.service.authenticate(key))).toBe('scim_not_enabled');
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    expect(f.service.authenticate(key)).toEqual({ teamId: f.team.id });
    f.service.updateTeam(f.team.id, f.ownerId, { plan: 'Professional' });
    expect(errorCode(() => f.service.authenticate(key))).toBe('scim_not_enabled');
    f.service.updateTeam(f.team.id, f.ownerId, { plan: 'Enterprise' });
    f.service.setScimEnabled(f.team.id, f.ownerId, true);
    expect(f.service.authenticate(key)).toEqual({ teamId: f.team.id });
    f.service.revokeScimKey(f.team.id, f.ownerId, apiKey.id);
    expect(errorCode(() => f.service.authenticate(key))).toBe('api_key_revoked');
  });

  it('stores only a digest, never the key', () => {
    const f = makeFixture();
    const { key, apiKey } = f.service.generateScimKey(f.team.id, f.ownerId);
    const stored = f.store.apiKeys.get(apiKey.id);
    expect(stored?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key);
  });
});
