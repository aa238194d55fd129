// Per-fault verdicts of an @oidc-rp-security run: read from the attachments the verdict step writes, rendered as
// oidc-faults.md beside conformance.md (issue #14: "the RP fault run produces per-fault verdicts").

export const OIDC_VERDICT_MEDIA_TYPE = 'application/vnd.idsim.oidc-fault-verdict+json';

export interface OidcFaultVerdict {
  fault: string;
  expected: 'accept' | 'refuse';
  /** what the RP did: `accept`, or `refuse (<code>)` */
  verdict: string;
  reference: string;
  /** the RP did what a sound RP does */
  sound: boolean;
}

export function collectOidcVerdicts(envelopes: Iterable<unknown>): OidcFaultVerdict[] {
  const verdicts: OidcFaultVerdict[] = [];
  for (const raw of envelopes) {
    const attachment = (raw as { attachment?: { mediaType?: string; body?: string } }).attachment;
    if (attachment?.mediaType !== OIDC_VERDICT_MEDIA_TYPE || attachment.body === undefined) continue;
    const body = JSON.parse(attachment.body) as Omit<OidcFaultVerdict, 'sound'>;
    verdicts.push({ ...body, sound: body.verdict.startsWith(body.expected) });
  }
  return verdicts;
}

export function renderOidcVerdicts(target: string, verdicts: readonly OidcFaultVerdict[]): string {
  const lines = [
    `# OIDC relying-party faults: ${target}`,
    '',
    `${verdicts.filter((v) => v.sound).length} of ${verdicts.length} faults handled as a sound RP does.`,
    '',
    '| fault | expected | the RP | sound | rule |',
    '|---|---|---|---|---|',
    ...verdicts.map(
      (v) => `| ${v.fault} | ${v.expected} | ${v.verdict} | ${v.sound ? 'yes' : '**no**'} | ${v.reference} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
