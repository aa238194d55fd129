// The SAML fault audit: a genuine control sign-in, then every catalogue fault posted to the target's ACS, each
// outcome read through the target's own SamlDriver and judged against the fault's expected verdict (issue #11).

import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { decodeAndInflate, keyDescriptorCertificates, NS_METADATA } from '../../protocol/saml/index.ts';
import { genuineBuilder } from '../../simulator/saml/faults/genuine.ts';
import {
  buildFaultyResponse,
  type ExpectedVerdict,
  FAULT_CATALOGUE,
  type FaultDefinition,
  type FaultIdentities,
  FaultNotApplicable,
  type FaultReference,
  faultSummary,
  unmetNeeds,
} from '../../simulator/saml/faults/index.ts';
import { defaultSigningCredentials } from '../../simulator/saml/keys.ts';
import { recordedFetch } from '../recorded-fetch.ts';
import type { HttpExchange, SamlDriver, SignInOutcome, TargetFactory, TargetSession } from '../target.ts';

/** The IdP every target trusts (conformance/README.md: entity ID and fixture certificate). */
export const AUDIT_IDP_ENTITY_ID = 'https://idp.idsim.test/metadata';
const IDP_CERT = readFileSync(
  new URL('../../simulator/saml/fixtures/idp-signing.crt', import.meta.url),
  'utf8',
);

export const DEFAULT_IDENTITIES: FaultIdentities = {
  attacker: 'mallory.attacker@example.test',
  victim: 'kristin.oakes@example.test',
};

/** refused · accepted as the identity the IdP signed · ACCEPTED (vulnerable) · could not be run here. */
export type AuditVerdict = 'refused' | 'accepted-as-signed' | 'accepted' | 'not-applicable' | 'error';

export interface AuditRow {
  id: string;
  family: string;
  title: string;
  explanation: string;
  references: readonly FaultReference[];
  expected: ExpectedVerdict;
  verdict: AuditVerdict;
  /** the verdict is one the fault allows (n/a rows are neither) */
  pass: boolean;
  /** critical: someone else's account was opened; high: a Response that must be refused was accepted */
  severity: 'critical' | 'high' | null;
  signedIdentity: string | null;
  landedAs: string | null;
  code: string | null;
  status: number | null;
  note: string;
  /** accounts or memberships that appeared on the target while this fault ran (control capability) */
  created: string[];
  exchanges: HttpExchange[];
  genuineXml: string | null;
  faultyText: string | null;
  ms: number;
}

export interface ControlSignIn {
  ok: boolean;
  detail: string;
  exchanges: HttpExchange[];
}

export interface AuditResult {
  target: string;
  startedAt: string;
  wallMs: number;
  identities: FaultIdentities;
  control: ControlSignIn;
  rows: AuditRow[];
  summary: AuditSummary;
}

export interface AuditSummary {
  grade: 'A' | 'B' | 'C' | 'D' | 'F' | '-';
  total: number;
  passed: number;
  failed: number;
  critical: number;
  notApplicable: number;
  byFamily: Record<string, { passed: number; failed: number; notApplicable: number }>;
}

export interface AuditOptions {
  factory: TargetFactory;
  identities?: FaultIdentities;
  /** a subset of fault ids (default: the whole catalogue) */
  faults?: readonly string[];
  now?: () => Date;
}

/** Non-ASCII and invisible characters written as \u{...} so a person can see them. */
export function visible(value: string): string {
  return value.replace(/[^\x21-\x7e]/g, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/** ASCII-only case folding: the one comparison emails get (catalogue PRV-01 / SSO-07). */
function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

interface Endpoint {
  acsUrl: string;
  audience: string;
  loginUrl: string | null;
  /** a second SP (another auth method) on the same target, for InResponseTo of another SP */
  otherLoginUrl: string | null;
  teamId: string | null;
}

/** With the control capability: a team whose SAML method trusts the simulated IdP, plus a second method. */
async function prepare(session: TargetSession, saml: SamlDriver): Promise<Endpoint> {
  const control = session.control;
  if (control === null) {
    return {
      acsUrl: saml.acsUrl(),
      audience: saml.audience(),
      loginUrl: saml.loginUrl(),
      otherLoginUrl: null,
      teamId: null,
    };
  }
  const { team, owner } = await control.createTeam({
    name: 'SAML audit',
    plan: 'Enterprise',
    licensedSeats: 100,
    owner: { email: 'olivia.owner@example.test', givenName: 'Olivia', familyName: 'Owner' },
  });
  const connection = {
    idpEntityId: AUDIT_IDP_ENTITY_ID,
    idpSsoUrl: 'https://idp.idsim.test/saml/sso',
    idpCertificates: [IDP_CERT],
  };
  const add = (label: string) =>
    control.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      label,
      enabled: true,
      autoAddUsers: true,
      saml: connection,
    });
  const method = await add('SSO');
  const other = await add('Other SSO');
  return {
    acsUrl: saml.acsUrl(method.id),
    audience: saml.audience(method.id),
    loginUrl: saml.loginUrl(method.id),
    otherLoginUrl: saml.loginUrl(other.id),
    teamId: team.id,
  };
}

/** SAML metadata 2.4.1.1: the SP's use="encryption" certificate, when its metadata (at the audience URL) has one. */
export async function spEncryptionCert(
  audience: string,
  record: (e: HttpExchange) => void,
): Promise<string | undefined> {
  if (!/^https?:\/\//.test(audience)) return undefined;
  try {
    const reply = await recordedFetch('saml', record, {
      method: 'GET',
      url: audience,
      headers: { accept: 'application/samlmetadata+xml' },
    });
    if (reply.status !== 200) return undefined;
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(reply.text, 'text/xml');
    const role = doc.getElementsByTagNameNS(NS_METADATA, 'SPSSODescriptor').item(0);
    const cert =
      role === null
        ? undefined
        : keyDescriptorCertificates(role, 'encryption', { includeUnlabelled: false })[0];
    return cert;
  } catch {
    return undefined;
  }
}

/** Starts an SP-initiated sign-in and reads the AuthnRequest ID from the redirect to the IdP (bindings 3.4.4). */
export async function startSpInitiated(
  loginUrl: string | null,
  record: (e: HttpExchange) => void,
): Promise<string | undefined> {
  if (loginUrl === null) return undefined;
  const reply = await recordedFetch('saml', record, {
    method: 'GET',
    url: loginUrl,
    headers: { accept: 'text/html' },
  });
  const location = reply.headers.location;
  if (location === undefined) return undefined;
  const request = new URL(location, loginUrl).searchParams.get('SAMLRequest');
  if (request === null) return undefined;
  return /\sID="([^"]+)"/.exec(decodeAndInflate(request))?.[1];
}

/** Where a fault's needs come from on a target (audit and Gherkin steps alike). */
export interface NeedSources {
  previous: { assertionId: string; xml: string } | undefined;
  encryptionCert: () => Promise<string | undefined>;
  loginUrl: string | null;
  otherLoginUrl: string | null;
  record: (exchange: HttpExchange) => void;
}

/** What a fault needs from the target, fetched only when it needs it (an SP-initiated start, the SP's key...). */
export async function gatherNeeds(
  fault: FaultDefinition,
  sources: NeedSources,
): Promise<{
  previous: { assertionId: string; xml: string } | undefined;
  spEncryptionCert: string | undefined;
  pendingRequestId: string | undefined;
  otherSpRequestId: string | undefined;
}> {
  const needs = fault.needs ?? [];
  return {
    previous: sources.previous,
    spEncryptionCert: needs.includes('encryption-cert') ? await sources.encryptionCert() : undefined,
    pendingRequestId: needs.includes('sp-initiated')
      ? await startSpInitiated(sources.loginUrl, sources.record)
      : undefined,
    otherSpRequestId: needs.includes('other-sp-request')
      ? await startSpInitiated(sources.otherLoginUrl, sources.record)
      : undefined,
  };
}

async function memberIds(session: TargetSession, teamId: string | null): Promise<Set<string>> {
  if (session.control === null || teamId === null) return new Set();
  const members = await session.control.listMembers(teamId);
  return new Set(members.map((m) => `${m.account.email}`));
}

export function judge(
  fault: FaultDefinition,
  outcome: SignInOutcome,
  signedIdentity: string,
): Pick<AuditRow, 'verdict' | 'pass' | 'severity' | 'landedAs' | 'note'> {
  if (!outcome.accepted) {
    return {
      verdict: 'refused',
      pass: true,
      severity: null,
      landedAs: null,
      note:
        fault.expected === 'refuse'
          ? 'Refused, as it must be.'
          : 'Refused: stricter than required, and safe.',
    };
  }
  const landedAs = outcome.accountEmail ?? null;
  if (landedAs !== null && asciiLower(landedAs) === asciiLower(signedIdentity)) {
    const pass = fault.expected === 'accept-as-signed';
    return {
      verdict: 'accepted-as-signed',
      pass,
      severity: pass ? null : 'high',
      landedAs,
      note: pass
        ? `Accepted as ${visible(landedAs)}, the identity the IdP signed: correct.`
        : `Accepted (as ${visible(landedAs)}, the signed identity), but this Response must be refused.`,
    };
  }
  return {
    verdict: 'accepted',
    pass: false,
    severity: landedAs === null && fault.expected === 'refuse' ? 'high' : 'critical',
    landedAs,
    note:
      landedAs === null
        ? 'Accepted, and the target did not say as whom: it cannot be shown to be the signed identity.'
        : `ACCEPTED as ${visible(landedAs)}, though the IdP signed ${visible(signedIdentity)}: a sign-in as someone else.`,
  };
}

function gradeOf(rows: readonly AuditRow[], controlOk: boolean): AuditSummary['grade'] {
  if (!controlOk) return '-';
  const failed = rows.filter((r) => !r.pass && r.verdict !== 'not-applicable');
  if (failed.some((r) => r.severity === 'critical')) return 'F';
  if (failed.length === 0) return 'A';
  if (failed.length <= 2) return 'B';
  if (failed.length <= 5) return 'C';
  return 'D';
}

export function summarise(rows: readonly AuditRow[], controlOk: boolean): AuditSummary {
  const byFamily: AuditSummary['byFamily'] = {};
  for (const row of rows) {
    const entry = byFamily[row.family] ?? { passed: 0, failed: 0, notApplicable: 0 };
    byFamily[row.family] = entry;
    if (row.verdict === 'not-applicable') entry.notApplicable += 1;
    else if (row.pass) entry.passed += 1;
    else entry.failed += 1;
  }
  const applicable = rows.filter((r) => r.verdict !== 'not-applicable');
  return {
    grade: gradeOf(rows, controlOk),
    total: rows.length,
    passed: applicable.filter((r) => r.pass).length,
    failed: applicable.filter((r) => !r.pass).length,
    critical: applicable.filter((r) => r.severity === 'critical').length,
    notApplicable: rows.length - applicable.length,
    byFamily,
  };
}

function textOf(fault: FaultDefinition, bytes: Buffer): string {
  return bytes.toString(fault.raw?.encoding ?? 'utf8');
}

/** Runs the audit against one target session. */
export async function runSamlAudit(options: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const identities = options.identities ?? DEFAULT_IDENTITIES;
  let bucket: HttpExchange[] = [];
  const session = await options.factory.open((exchange) => bucket.push(exchange));
  const record = (exchange: HttpExchange): void => {
    bucket.push(exchange);
  };
  const rows: AuditRow[] = [];
  const control: ControlSignIn = { ok: false, detail: '', exchanges: [] };
  try {
    const saml = session.saml;
    if (saml === null) {
      control.detail = 'the target offers no saml capability (acsUrl / metadata in the target file)';
      return finish();
    }
    const endpoint = await prepare(session, saml);
    const credentials = defaultSigningCredentials();
    const genuine = genuineBuilder({
      issuer: AUDIT_IDP_ENTITY_ID,
      acsUrl: endpoint.acsUrl,
      audience: endpoint.audience,
      credentials,
      now,
    });
    const encryptionCert = await spEncryptionCert(endpoint.audience, record);

    // The control: genuine sign-ins for both people must succeed, or the run proves nothing.
    bucket = control.exchanges;
    let previous: { assertionId: string; xml: string } | undefined;
    // a target that names only the account id: the control sign-ins tell whose id is whose
    const knownAccounts = new Map<string, string>();
    for (const who of [identities.victim, identities.attacker]) {
      const built = await genuine({
        signResponse: true,
        signAssertion: true,
        nameId: who,
        email: who,
        inResponseTo: undefined,
      });
      let outcome: SignInOutcome;
      try {
        outcome = await saml.postResponse(endpoint.acsUrl, Buffer.from(built.xml).toString('base64'));
      } catch (error) {
        control.detail = `the target's ACS ${endpoint.acsUrl} could not be reached (${(error as Error).message})`;
        return finish();
      }
      if (!outcome.accepted) {
        control.detail = `the genuine sign-in of ${who} was refused (${outcome.code ?? outcome.status}): fix the target's trust in the IdP first`;
        return finish();
      }
      if (
        outcome.accountEmail !== undefined &&
        outcome.accountEmail !== null &&
        asciiLower(outcome.accountEmail) !== asciiLower(who)
      ) {
        control.detail = `the genuine sign-in of ${who} landed as ${outcome.accountEmail}`;
        return finish();
      }
      if (outcome.accountId !== null) knownAccounts.set(outcome.accountId, outcome.accountEmail ?? who);
      previous = { assertionId: built.assertionId, xml: built.xml };
    }
    control.ok = true;
    control.detail = `genuine sign-ins of ${identities.victim} and ${identities.attacker} accepted`;

    const wanted =
      options.faults === undefined
        ? FAULT_CATALOGUE
        : FAULT_CATALOGUE.filter((f) => options.faults?.includes(f.id));
    for (const fault of wanted) {
      const exchanges: HttpExchange[] = [];
      bucket = exchanges;
      const t0 = Date.now();
      const { needs: _needs, ...summary } = faultSummary(fault);
      const row: AuditRow = {
        ...summary,
        verdict: 'not-applicable',
        pass: false,
        severity: null,
        signedIdentity: null,
        landedAs: null,
        code: null,
        status: null,
        note: '',
        created: [],
        exchanges,
        genuineXml: null,
        faultyText: null,
        ms: 0,
      };
      rows.push(row);
      try {
        const needs = await gatherNeeds(fault, {
          previous,
          encryptionCert: async () => encryptionCert,
          loginUrl: endpoint.loginUrl,
          otherLoginUrl: endpoint.otherLoginUrl,
          record,
        });
        const missing = unmetNeeds(fault, needs);
        if (missing.length > 0)
          throw new FaultNotApplicable(`the target does not offer: ${missing.join(', ')}`);
        const before = await memberIds(session, endpoint.teamId);
        const built = await buildFaultyResponse(fault.id, {
          identities,
          idpEntityId: AUDIT_IDP_ENTITY_ID,
          credentials,
          now: now(),
          genuine,
          ...needs,
        });
        row.genuineXml = built.genuine.xml;
        row.faultyText = textOf(fault, built.faulty.bytes);
        row.signedIdentity = built.faulty.signedIdentity;
        const posted = await saml.postResponse(endpoint.acsUrl, built.faulty.bytes.toString('base64'));
        const outcome: SignInOutcome = {
          ...posted,
          accountEmail:
            posted.accountEmail ??
            (posted.accountId === null ? null : (knownAccounts.get(posted.accountId) ?? null)),
        };
        Object.assign(row, judge(fault, outcome, built.faulty.signedIdentity));
        row.code = outcome.code;
        row.status = outcome.status;
        const after = await memberIds(session, endpoint.teamId);
        row.created = [...after].filter((m) => !before.has(m));
        if (row.verdict === 'refused' && row.created.length > 0) {
          row.pass = false;
          row.severity = 'high';
          row.note = `Refused, but it still created: ${row.created.join(', ')}.`;
        }
      } catch (error) {
        if (error instanceof FaultNotApplicable) {
          row.verdict = 'not-applicable';
          row.note = error.message;
        } else {
          row.verdict = 'error';
          row.note = `the audit could not run this fault: ${(error as Error).message}`;
        }
      }
      row.ms = Date.now() - t0;
    }
    return finish();
  } finally {
    await session.close();
  }

  function finish(): AuditResult {
    return {
      target: options.factory.name,
      startedAt: new Date(started).toISOString(),
      wallMs: Date.now() - started,
      identities,
      control,
      rows,
      summary: summarise(rows, control.ok),
    };
  }
}
