// Every catalogue row (shared/spec/catalogue.md, else the features' @ROW tags) has a guided scenario, and every
// scenario plays to the end against startDemo() with every step as expected; each one, finished, aborted or replaced
// part-way, leaves the team and the IdP exactly as they were (idsim issues #6 and #15 item 2).
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
let before: string;

/** Everything a scenario could leave behind, on both sides, without ids and times that a replay changes. */
function fingerprint(): string {
  const { service, teamId } = demo.system.reference;
  const directory = demo.system.simulator.directory;
  const team = service.getTeam(teamId);
  const accountEmail = new Map(service.listMembers(teamId).map((m) => [m.account.id, m.account.email]));
  return JSON.stringify({
    team: { plan: team.plan, seats: team.seats, scim: team.scimEnabled, name: team.name },
    methods: service.listAuthMethods(teamId).map((m) => [m.kind, m.label, m.enabled, m.autoAddUsers]),
    members: service
      .listMembers(teamId)
      .map((m) => [m.account.email, m.status, m.role, m.managedByScim])
      .sort(),
    workspaces: service
      .listWorkspaces(teamId)
      .map((w) => [w.name, w.type, w.members.map((g) => [accountEmail.get(g.id) ?? g.kind, g.role])])
      .sort(),
    groups: service
      .listGroups(teamId)
      .map((g) => [g.displayName, g.memberIds.length])
      .sort(),
    invites: service.listInvites(teamId).map((i) => [i.email, i.status]),
    keys: service.listScimKeys(teamId).map((k) => [k.prefix, k.status]),
    people: directory.listPeople().map((p) => [p.login, p.status]),
    idpGroups: directory.listGroups().map((g) => [g.name, g.memberIds.length]),
    apps: directory.listApps().map((a) => [a.name, a.assignments, a.assertionEncryption]),
    provisioning: demo.system.provisioning,
    scimKey: demo.system.reference.scimKey,
  });
}

beforeAll(async () => {
  demo = await startDemo({ logger: silentLogger });
  player = new ScenarioPlayer(demo.system);
  seatsAtStart = demo.system.reference.service.getTeam(demo.system.reference.teamId).seats.used;
  before = fingerprint();
});
afterAll(async () => {
  await demo?.close();
});

async function playToTheEnd(row: string): Promise<ScenarioProgress> {
  let progress = await player.start(row);
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
      expect(progress).toMatchObject({ restored: true, aborted: false });
      expect(fingerprint()).toBe(before);
    },
  );

  it('puts everything back when a scenario is replaced part-way by another, or aborted', async () => {
    const reversed = [...SCENARIOS].reverse();
    for (const [index, scenario] of reversed.entries()) {
      // a different cut for each scenario: after 1, 2, ... steps, never the last one
      const cut = 1 + (index % Math.max(1, scenario.steps.length - 1));
      let progress = await player.start(scenario.row);
      while (progress.nextStep < Math.min(cut, scenario.steps.length - 1)) progress = await player.playNext();
      expect(progress.restored).toBe(false);
    }
    const aborted = await player.abort();
    expect(aborted).toMatchObject({ restored: true, finished: true });
    expect(fingerprint()).toBe(before);
  });

  it('plays every scenario again in reverse order (each restored what it changed)', async () => {
    for (const scenario of [...SCENARIOS].reverse()) {
      expect(failures(await playToTheEnd(scenario.row))).toEqual([]);
    }
    expect(fingerprint()).toBe(before);
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

  it('starts a row covered by a scenario listed under another row', async () => {
    const progress = await player.start('DEA-05');
    expect(progress).toMatchObject({ row: 'DEA-05', rows: ['DEA-03', 'DEA-04', 'DEA-05'], nextStep: 0 });
  });
});
