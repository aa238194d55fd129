// Turns a run's cucumber messages (the NDJSON envelopes) into one outcome per scenario, n/a included.
// design.md "The target contract": a scenario skipped for a missing capability is n/a, never passed.
import { NOT_APPLICABLE_MEDIA_TYPE } from '../applicability.ts';

export type ScenarioStatus =
  | 'passed'
  | 'failed'
  | 'not-applicable'
  | 'skipped'
  | 'pending'
  | 'undefined'
  | 'ambiguous';

export interface ScenarioOutcome {
  pickleId: string;
  name: string;
  uri: string;
  feature: string;
  tags: string[];
  status: ScenarioStatus;
  /** first failure message, trimmed */
  message: string | null;
  /** the scenario's Gherkin steps in order, with how each one ended (empty when the messages carry no steps) */
  steps: StepOutcome[];
}

export interface StepOutcome {
  text: string;
  /** cucumber's step status, lower case: passed, failed, skipped, undefined, ... */
  status: string;
  message: string | null;
}

/** The subset of cucumber's Envelope this module reads (the @cucumber/messages shapes). */
interface Envelope {
  gherkinDocument?: { uri?: string; feature?: { name?: string } };
  pickle?: {
    id: string;
    uri: string;
    name: string;
    tags: { name: string }[];
    steps?: { id: string; text: string }[];
  };
  testCase?: { id: string; pickleId: string; testSteps?: { id: string; pickleStepId?: string }[] };
  testCaseStarted?: { id: string; testCaseId: string; attempt?: number };
  testStepFinished?: {
    testCaseStartedId: string;
    testStepId?: string;
    testStepResult: { status: string; message?: string };
  };
  testCaseFinished?: { testCaseStartedId: string; willBeRetried?: boolean };
  attachment?: { testCaseStartedId?: string; mediaType: string; body: string };
}

const SEVERITY: Record<string, number> = {
  FAILED: 6,
  AMBIGUOUS: 5,
  UNDEFINED: 4,
  PENDING: 3,
  SKIPPED: 2,
  UNKNOWN: 1,
  PASSED: 0,
};

const STATUS_OF: Record<string, ScenarioStatus> = {
  FAILED: 'failed',
  AMBIGUOUS: 'ambiguous',
  UNDEFINED: 'undefined',
  PENDING: 'pending',
  SKIPPED: 'skipped',
  UNKNOWN: 'failed',
  PASSED: 'passed',
};

interface Attempt {
  testCaseId: string;
  worst: string;
  message: string | null;
  notApplicable: boolean;
  retried: boolean;
  /** pickle step id → its result in this attempt */
  stepResults: Map<string, { status: string; message: string | null }>;
}

function firstLines(message: string | undefined): string | null {
  return message === undefined ? null : message.split('\n').slice(0, 3).join(' ').slice(0, 300);
}

export function summariseEnvelopes(envelopes: Iterable<unknown>): ScenarioOutcome[] {
  const features = new Map<string, string>();
  const pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  const testCases = new Map<string, string>();
  /** test step id → the pickle step it runs (hooks have none) */
  const pickleStepOf = new Map<string, string>();
  const attempts = new Map<string, Attempt>();
  const order: string[] = [];

  for (const raw of envelopes) {
    const envelope = raw as Envelope;
    if (envelope.gherkinDocument?.uri !== undefined) {
      features.set(envelope.gherkinDocument.uri, envelope.gherkinDocument.feature?.name ?? '');
    } else if (envelope.pickle) {
      pickles.set(envelope.pickle.id, envelope.pickle);
    } else if (envelope.testCase) {
      testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
      for (const testStep of envelope.testCase.testSteps ?? []) {
        if (testStep.pickleStepId !== undefined) pickleStepOf.set(testStep.id, testStep.pickleStepId);
      }
    } else if (envelope.testCaseStarted) {
      const started = envelope.testCaseStarted;
      attempts.set(started.id, {
        testCaseId: started.testCaseId,
        worst: 'PASSED',
        message: null,
        notApplicable: false,
        retried: false,
        stepResults: new Map(),
      });
      order.push(started.id);
    } else if (envelope.testStepFinished) {
      const attempt = attempts.get(envelope.testStepFinished.testCaseStartedId);
      const result = envelope.testStepFinished.testStepResult;
      if (attempt && (SEVERITY[result.status] ?? 6) > (SEVERITY[attempt.worst] ?? 0)) {
        attempt.worst = result.status;
        attempt.message = firstLines(result.message) ?? attempt.message;
      }
      const pickleStepId = pickleStepOf.get(envelope.testStepFinished.testStepId ?? '');
      if (attempt && pickleStepId !== undefined) {
        attempt.stepResults.set(pickleStepId, {
          status: result.status.toLowerCase(),
          message: firstLines(result.message),
        });
      }
    } else if (envelope.testCaseFinished) {
      const attempt = attempts.get(envelope.testCaseFinished.testCaseStartedId);
      if (attempt) attempt.retried = envelope.testCaseFinished.willBeRetried === true;
    } else if (envelope.attachment?.mediaType === NOT_APPLICABLE_MEDIA_TYPE) {
      const id = envelope.attachment.testCaseStartedId;
      const attempt = id === undefined ? undefined : attempts.get(id);
      if (attempt) attempt.notApplicable = true;
    }
  }

  const outcomes: ScenarioOutcome[] = [];
  for (const startedId of order) {
    const attempt = attempts.get(startedId);
    if (!attempt || attempt.retried) continue;
    const pickle = pickles.get(testCases.get(attempt.testCaseId) ?? '');
    if (!pickle) continue;
    // n/a only when nothing failed: a scenario that fails in a hook before the marker stays failed
    const status: ScenarioStatus =
      attempt.notApplicable && attempt.worst === 'SKIPPED'
        ? 'not-applicable'
        : (STATUS_OF[attempt.worst] ?? 'failed');
    outcomes.push({
      pickleId: pickle.id,
      name: pickle.name,
      uri: pickle.uri,
      feature: features.get(pickle.uri) ?? pickle.uri,
      tags: pickle.tags.map((tag) => tag.name),
      status,
      message: status === 'passed' || status === 'not-applicable' ? null : attempt.message,
      steps: (pickle.steps ?? []).map((step) => {
        const result = attempt.stepResults.get(step.id);
        return {
          text: step.text,
          status: result?.status ?? 'not run',
          message: result?.message ?? null,
        };
      }),
    });
  }
  return outcomes;
}

export function parseNdjson(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

export interface OutcomeCounts {
  total: number;
  passed: number;
  failed: number;
  notApplicable: number;
  other: number;
}

export function countOutcomes(outcomes: readonly ScenarioOutcome[]): OutcomeCounts {
  const counts: OutcomeCounts = { total: outcomes.length, passed: 0, failed: 0, notApplicable: 0, other: 0 };
  for (const outcome of outcomes) {
    if (outcome.status === 'passed') counts.passed += 1;
    else if (outcome.status === 'failed') counts.failed += 1;
    else if (outcome.status === 'not-applicable') counts.notApplicable += 1;
    else counts.other += 1;
  }
  return counts;
}

/** The run passes only when every applicable scenario passed (n/a never counts as passed, nor blocks). */
export function everyApplicablePassed(outcomes: readonly ScenarioOutcome[]): boolean {
  return outcomes.every((outcome) => outcome.status === 'passed' || outcome.status === 'not-applicable');
}
