// Writes one scenario's transcript (every SCIM, SAML and control exchange) to reports/<run-id>/transcripts/.
// design.md "Reports": the SCIM and SAML transcripts of every scenario are part of a run's report.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpExchange } from './target.ts';

export interface ScenarioTranscript {
  scenario: string;
  uri: string;
  tags: string[];
  status: string;
  scim: HttpExchange[];
  saml: HttpExchange[];
  control: HttpExchange[];
  /** the OpenID Connect browser dance (issue #14) */
  oidc: HttpExchange[];
}

export function transcriptFileName(uri: string, scenario: string, pickleId: string): string {
  const feature = path.basename(uri, '.feature');
  const slug = scenario
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${feature}--${slug}--${pickleId.slice(0, 8)}.json`;
}

export async function writeTranscript(
  dir: string,
  pickleId: string,
  meta: { scenario: string; uri: string; tags: string[]; status: string },
  exchanges: readonly HttpExchange[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const transcript: ScenarioTranscript = {
    ...meta,
    scim: exchanges.filter((exchange) => exchange.channel === 'scim'),
    saml: exchanges.filter((exchange) => exchange.channel === 'saml'),
    control: exchanges.filter((exchange) => exchange.channel === 'control'),
    oidc: exchanges.filter((exchange) => exchange.channel === 'oidc'),
  };
  const file = path.join(dir, transcriptFileName(meta.uri, meta.scenario, pickleId));
  await writeFile(file, `${JSON.stringify(transcript, null, 2)}\n`);
  return file;
}
