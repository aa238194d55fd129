// The SAML fault catalogue: every fault by id and family, and the one function that turns a genuine Response into
// a faulty one. idsim issue #11; the entries cite their SAML sections, papers and CVEs (references.ts).

import { readFileSync } from 'node:fs';
import { certToBase64 } from '../../../protocol/saml/index.ts';
import {
  defaultSigningCredentials,
  rogueSigningCredentials,
  type SigningCredentials,
  signingCredentialsFromPem,
} from '../keys.ts';
import { CONDITION_FAULTS } from './conditions.ts';
import { IDENTITY_FAULTS } from './identity.ts';
import { PARSING_FAULTS } from './parsing.ts';
import { ALGORITHM_FAULTS, KEY_FAULTS, SIGNATURE_SCOPE_FAULTS } from './signatures.ts';
import type {
  FaultBuild,
  FaultContext,
  FaultDefinition,
  FaultIdentities,
  FaultNeed,
  GenuineResponse,
} from './types.ts';
import { FaultNotApplicable } from './types.ts';
import { WRAPPING_FAULTS } from './wrapping.ts';

export { FOREIGN_AUDIENCE, FOREIGN_IDP, FOREIGN_URL } from './conditions.ts';
export * from './types.ts';
export { FAULT_FAMILIES } from './types.ts';

export const FAULT_CATALOGUE: readonly FaultDefinition[] = [
  ...WRAPPING_FAULTS,
  ...SIGNATURE_SCOPE_FAULTS,
  ...KEY_FAULTS,
  ...ALGORITHM_FAULTS,
  ...PARSING_FAULTS,
  ...IDENTITY_FAULTS,
  ...CONDITION_FAULTS,
];

const BY_ID = new Map(FAULT_CATALOGUE.map((fault) => [fault.id, fault]));

export const FAULT_IDS: readonly string[] = FAULT_CATALOGUE.map((fault) => fault.id);

export function findFault(id: string): FaultDefinition | undefined {
  return BY_ID.get(id);
}

export function isFaultId(value: unknown): value is string {
  return typeof value === 'string' && BY_ID.has(value);
}

/** One fault as plain JSON (API, console, report card): everything but the builder. */
export interface FaultSummary {
  id: string;
  family: string;
  title: string;
  explanation: string;
  references: FaultDefinition['references'];
  expected: FaultDefinition['expected'];
  needs: readonly FaultNeed[];
}

export function faultSummary(fault: FaultDefinition): FaultSummary {
  return {
    id: fault.id,
    family: fault.family,
    title: fault.title,
    explanation: fault.explanation,
    references: fault.references,
    expected: fault.expected,
    needs: fault.needs ?? [],
  };
}

/** The catalogue as plain JSON. */
export function catalogueView(): FaultSummary[] {
  return FAULT_CATALOGUE.map(faultSummary);
}

/** The genuine Response a fault starts from, resolved for these identities. */
export interface GenuineRequest {
  signResponse: boolean;
  signAssertion: boolean;
  nameId: string;
  email: string;
  /** the InResponseTo the genuine Response answers (SP-initiated faults) */
  inResponseTo: string | undefined;
}

export function genuineRequestFor(
  fault: FaultDefinition,
  identities: FaultIdentities,
  ctx: Pick<FaultContext, 'pendingRequestId'> & Partial<FaultContext>,
): GenuineRequest {
  const sign = fault.genuine?.sign ?? 'both';
  const nameId = fault.genuine?.nameId?.(identities) ?? identities.attacker;
  return {
    signResponse: sign !== 'assertion',
    signAssertion: sign !== 'response',
    nameId,
    email: fault.genuine?.email?.(identities) ?? nameId,
    inResponseTo: fault.inResponseTo?.(ctx as FaultContext),
  };
}

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

/** The TEST-ONLY keys the faults sign with (fixtures/): untrusted, retired, and the IdP key under bad certificates. */
export interface FaultKeys {
  rogue: SigningCredentials;
  retired: SigningCredentials;
  expiredCertBase64: string;
  notYetValidCertBase64: string;
}

let keys: FaultKeys | undefined;
export function faultKeys(): FaultKeys {
  keys ??= {
    rogue: rogueSigningCredentials(),
    retired: signingCredentialsFromPem(
      fixture('idp-retired-signing.key'),
      fixture('idp-retired-signing.crt'),
    ),
    expiredCertBase64: certToBase64(fixture('idp-signing-expired.crt')),
    notYetValidCertBase64: certToBase64(fixture('idp-signing-not-yet-valid.crt')),
  };
  return keys;
}

export interface FaultInput {
  identities: FaultIdentities;
  idpEntityId: string;
  /** the IdP's key (default: the simulator's fixture key) */
  credentials?: SigningCredentials;
  now: Date;
  /** builds a genuine Response as the IdP would (new IDs each call) */
  genuine(request: GenuineRequest): Promise<GenuineResponse>;
  spEncryptionCert?: string | undefined;
  previous?: { assertionId: string; xml: string } | undefined;
  pendingRequestId?: string | undefined;
  otherSpRequestId?: string | undefined;
}

export interface FaultyResponse {
  fault: FaultDefinition;
  genuine: GenuineResponse;
  faulty: FaultBuild;
}

/** The needs a fault has that this input does not meet (the fault is then not applicable). */
export function unmetNeeds(
  fault: FaultDefinition,
  input: Omit<FaultInput, 'genuine' | 'now' | 'identities' | 'idpEntityId'>,
): FaultNeed[] {
  const met: Record<FaultNeed, boolean> = {
    'previous-response': input.previous !== undefined,
    'sp-initiated': input.pendingRequestId !== undefined,
    'other-sp-request': input.otherSpRequestId !== undefined,
    'encryption-cert': input.spEncryptionCert !== undefined,
  };
  return (fault.needs ?? []).filter((need) => !met[need]);
}

/** Builds the genuine Response the fault starts from, then the faulty bytes. Throws FaultNotApplicable when it cannot. */
export async function buildFaultyResponse(faultId: string, input: FaultInput): Promise<FaultyResponse> {
  const fault = findFault(faultId);
  if (fault === undefined) throw new FaultNotApplicable(`no fault ${faultId} in the catalogue`);
  const missing = unmetNeeds(fault, input);
  if (missing.length > 0) throw new FaultNotApplicable(`${fault.id} needs: ${missing.join(', ')}`);
  const faultKeySet = faultKeys();
  const base = {
    pendingRequestId: input.pendingRequestId,
    otherSpRequestId: input.otherSpRequestId,
  };
  const request = genuineRequestFor(fault, input.identities, base);
  const ctx: FaultContext = {
    identities: input.identities,
    idpEntityId: input.idpEntityId,
    idp: input.credentials ?? defaultSigningCredentials(),
    rogue: faultKeySet.rogue,
    retired: faultKeySet.retired,
    expiredCertBase64: faultKeySet.expiredCertBase64,
    notYetValidCertBase64: faultKeySet.notYetValidCertBase64,
    now: input.now,
    another: () => input.genuine(request),
    spEncryptionCert: input.spEncryptionCert,
    previous: input.previous,
    pendingRequestId: input.pendingRequestId,
    otherSpRequestId: input.otherSpRequestId,
  };
  const genuine = await input.genuine(request);
  const faulty = await fault.build(genuine, ctx);
  return { fault, genuine, faulty };
}
