// Every catalogue row (shared/spec/catalogue.md, else the features' @ROW tags) has a guided scenario, and every
// scenario plays to the end against startDemo() with every step as expected, then again in another order. idsim #6.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';
import { rowsOf, SCENARIOS, ScenarioPlayer, type ScenarioProgress } from '../scenarios.ts';

const CATALOGUE = new URL('../../../shared/spec/catalogue.md', import.meta.url);
const FEATURES = new URL('../../features/', import.meta.url);
const ROW_PATTERN = /\b(JIT|SSO|KEY|PRV|DEA|REM|GRP|OKT|ORG)-\d{2}\b/g;

function catalogueRows(): string[] {
  if (existsSync(CATALOGUE)) {
    const rows = readFileSync(CATALOGUE, 'utf8')
      .split('\n')
      .map((line) => /^\|\s*([A-Z]{3}-\d{2})\s*\|/.exec(line)?.[1])
      .filter((row): row is string => row !== undefined);
    return [...new Set(rows)];
  }
  const tags = readdirSync(FEATURES)
    .filter((name) => name.endsWith('.feature'))
    .flatMap((name) =>
      [...readFileSync(new URL(name, FEATURES), 'utf8').matchAll(ROW_PATTERN)].map((m) => m[0]),
    );
  return [...new Set(tags)];
}

let demo: Demo;
let player: ScenarioPlayer;
let seatsAtStart: number;

beforeAll(async () => {
  demo = await startDemo({ logger: silentLogger });
  player = new ScenarioPlayer(demo.system);
  seatsAtStart = demo.system.reference.service.getTeam(demo.system.reference.teamId).seats.used;
});
afterAll(async () => {
  await demo?.close();
});

async function playToTheEnd(row: string): Promise<ScenarioProgress> {
  let progress = player.start(row);
  while (!progress.finished) progress = await player.playNext();
  return progress;
}

function failures(progress: ScenarioProgress): string[] {
  return progress.outcomes.flatMap((outcome, index) =>
    outcome.ok ? [] : [`${progress.row} step ${index + 1} "${progress.steps[index]}": ${outcome.summary}`],
  );
}

describe('guided scenarios', () => {
  it('covers every catalogue row, each row listed once in the picker', () => {
    const rows = catalogueRows();
    expect(rows.length).toBeGreaterThanOrEqual(61);
    const listed = player.list().map((entry) => entry.row);
    expect(rows.filter((row) => !listed.includes(row))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it.each(SCENARIOS.map((scenario) => [rowsOf(scenario).join(', '), scenario.row]))(
    'plays %s to the end with every step as expected',
    async (_rows, row) => {
      const progress = await playToTheEnd(row);
      expect(progress.outcomes.length).toBe(progress.steps.length);
      expect(failures(progress)).toEqual([]);
    },
  );

  it('plays every scenario again in reverse order (each restored what it changed)', async () => {
    for (const scenario of [...SCENARIOS].reverse()) {
      expect(failures(await playToTheEnd(scenario.row))).toEqual([]);
    }
    const { service, teamId } = demo.system.reference;
    const methods = service.listAuthMethods(teamId);
    expect(methods.find((method) => method.kind === 'saml')).toMatchObject({
      enabled: true,
      autoAddUsers: true,
      label: 'Acme IdP',
    });
    expect(methods.find((method) => method.kind === 'password')).toMatchObject({ enabled: true });
    expect(service.getTeam(teamId)).toMatchObject({
      scimEnabled: true,
      seats: { licensed: 50, used: seatsAtStart, autoFlex: false },
    });
    expect(demo.system.provisioning).toBe(true);
    expect(demo.system.simulator.directory.listApps()).toHaveLength(1);
    expect((await demo.system.testCredentials()).ok).toBe(true);
  });

  it('starts a row covered by a scenario listed under another row', () => {
    const progress = player.start('DEA-05');
    expect(progress).toMatchObject({ row: 'DEA-05', rows: ['DEA-03', 'DEA-04', 'DEA-05'], nextStep: 0 });
  });
});
