// The acceptance profiles `idsim conformance --profile <name>` knows, by name (idsim issue #12).
// okta-oin: Okta's OIN spec and CRUD tests; entra: Microsoft's SCIM validator list.
import { ENTRA_PROFILE } from './entra.ts';
import { OKTA_OIN_PROFILE } from './okta-oin.ts';
import type { AcceptanceProfile } from './profile.ts';

export const PROFILES: readonly AcceptanceProfile[] = [OKTA_OIN_PROFILE, ENTRA_PROFILE];

export function profileNamed(name: string): AcceptanceProfile | undefined {
  return PROFILES.find((profile) => profile.name === name);
}
