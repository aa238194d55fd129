// Guided scenarios: every catalogue row (shared/spec/catalogue.md) played one step at a time against the live system,
// each step reporting what changed on the IdP side, the team side and the timeline. idsim issue #6.
import { ConsoleError } from './errors.ts';
import type { LiveSystem } from './live-system.ts';
import type { Scenario, StepOutcome } from './scenario-kit.ts';
import type { SystemSnapshot } from './scenario-restore.ts';
import { captureSystem, restoreSystem } from './scenario-restore.ts';
import { JIT_SCENARIOS } from './scenarios-jit.ts';
import { LIFECYCLE_SCENARIOS } from './scenarios-lifecycle.ts';
import { PORTAL_SCENARIOS } from './scenarios-portal.ts';
import { SCIM_SCENARIOS } from './scenarios-scim.ts';
import { SSO_SCENARIOS } from './scenarios-sso.ts';

export type { Scenario, ScenarioStep, StepOutcome } from './scenario-kit.ts';

/** One entry of the picker: a catalogue row and the scenario that plays it. */
export interface ScenarioSummary {
  row: string;
  title: string;
  /** the scenario's first row; equal to `row` unless the scenario covers several rows */
  scenarioRow: string;
  /** every row the scenario covers */
  rows: string[];
  steps: string[];
}

export interface ScenarioProgress {
  /** the row the scenario was started for */
  row: string;
  rows: string[];
  title: string;
  nextStep: number;
  steps: string[];
  outcomes: StepOutcome[];
  finished: boolean;
  /** everything the scenario changed has been put back (it finished, or was aborted) */
  restored: boolean;
  /** it was stopped before its last step (Abort, or another scenario started) */
  aborted: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  ...JIT_SCENARIOS,
  ...SSO_SCENARIOS,
  ...SCIM_SCENARIOS,
  ...LIFECYCLE_SCENARIOS,
  ...PORTAL_SCENARIOS,
];

export function rowsOf(scenario: Scenario): string[] {
  return [scenario.row, ...(scenario.alsoCovers ?? [])];
}

const ROW_ORDER = ['JIT', 'SSO', 'KEY', 'PRV', 'DEA', 'REM', 'GRP', 'OKT', 'ORG'];

function compareRows(a: string, b: string): number {
  const [prefixA = '', numberA = '0'] = a.split('-');
  const [prefixB = '', numberB = '0'] = b.split('-');
  return ROW_ORDER.indexOf(prefixA) - ROW_ORDER.indexOf(prefixB) || Number(numberA) - Number(numberB);
}

/** The scenario that plays a catalogue row, or undefined. */
export function scenarioForRow(row: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => rowsOf(scenario).includes(row));
}

interface Playing {
  row: string;
  scenario: Scenario;
  next: number;
  outcomes: StepOutcome[];
  memory: Map<string, string>;
  snapshot: SystemSnapshot | null;
  aborted: boolean;
}

/**
 * Plays one scenario at a time. Each plays inside a snapshot (scenario-restore.ts): when its last step has run, when
 * it is aborted, or when another one starts, everything it changed is put back; stopping the server never commits it.
 */
export class ScenarioPlayer {
  readonly #system: LiveSystem;
  #current: Playing | null = null;
  #busy = false;

  constructor(system: LiveSystem) {
    this.#system = system;
  }

  /** Every catalogue row with its scenario, in catalogue order. */
  list(): ScenarioSummary[] {
    return SCENARIOS.flatMap((scenario) =>
      rowsOf(scenario).map((row) => ({
        row,
        title: scenario.title,
        scenarioRow: scenario.row,
        rows: rowsOf(scenario),
        steps: scenario.steps.map((step) => step.title),
      })),
    ).sort((a, b) => compareRows(a.row, b.row));
  }

  async start(row: string): Promise<ScenarioProgress> {
    const scenario = scenarioForRow(row);
    if (!scenario) throw new ConsoleError('unknown_scenario', `no scenario for catalogue row ${row}`);
    if (this.#system.target().kind !== 'reference') {
      throw new ConsoleError(
        'not_available_for_target',
        'guided scenarios play against the reference server; switch the target back first',
      );
    }
    return this.#exclusive(async () => {
      await this.#restore(true);
      const snapshot = await captureSystem(this.#system);
      this.#current = { row, scenario, next: 0, outcomes: [], memory: new Map(), snapshot, aborted: false };
      this.#system.timeline.add({
        kind: 'note',
        title: `${row} started: its changes are undone when it ends or is aborted`,
        detail: scenario.title,
      });
      return this.progress() as ScenarioProgress;
    });
  }

  async playNext(): Promise<ScenarioProgress> {
    return this.#exclusive(async () => {
      const current = this.#current;
      if (!current) throw new ConsoleError('unknown_scenario', 'no scenario is started');
      const step = current.scenario.steps[current.next];
      if (!step || current.snapshot === null)
        throw new ConsoleError('scenario_finished', 'every step of this scenario has been played');
      let outcome: StepOutcome;
      try {
        outcome = await step.run(this.#system, current.memory);
      } catch (error) {
        outcome = {
          ok: false,
          summary: `The step failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      current.outcomes.push(outcome);
      current.next += 1;
      this.#system.timeline.add({
        kind: 'note',
        title: `${current.row} step ${current.next}: ${step.title} — ${outcome.ok ? 'as expected' : 'NOT as expected'}`,
        detail: outcome.summary,
      });
      if (current.next >= current.scenario.steps.length) await this.#restore(false);
      return this.progress() as ScenarioProgress;
    });
  }

  /** Stops the current scenario and puts back what it changed. */
  async abort(): Promise<ScenarioProgress | null> {
    return this.#exclusive(async () => {
      await this.#restore(true);
      return this.progress();
    });
  }

  /** Server shutdown: the scratch transaction is rolled back now (the IdP side lives in memory and goes anyway). */
  close(): void {
    this.#current?.snapshot?.scratch.discard();
  }

  progress(): ScenarioProgress | null {
    const current = this.#current;
    if (!current) return null;
    return {
      row: current.row,
      rows: rowsOf(current.scenario),
      title: current.scenario.title,
      nextStep: current.next,
      steps: current.scenario.steps.map((step) => step.title),
      outcomes: [...current.outcomes],
      finished: current.next >= current.scenario.steps.length || current.aborted,
      restored: current.snapshot === null,
      aborted: current.aborted,
    };
  }

  async #restore(aborting: boolean): Promise<void> {
    const current = this.#current;
    if (current === null || current.snapshot === null) return;
    const snapshot = current.snapshot;
    current.snapshot = null;
    current.aborted = aborting && current.next < current.scenario.steps.length;
    await restoreSystem(this.#system, snapshot);
    this.#system.timeline.add({
      kind: 'note',
      title: `${current.row} ${current.aborted ? 'aborted' : 'finished'}: everything it changed is put back`,
      detail: 'team-side writes rolled back; IdP people, groups, assignments and app settings as before',
    });
  }

  async #exclusive<T>(run: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new ConsoleError('scenario_running', 'a scenario step is still running');
    this.#busy = true;
    try {
      return await run();
    } finally {
      this.#busy = false;
    }
  }
}
