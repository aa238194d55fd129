// Connects the simulator's Directory to the SCIM pusher: every assign, unassign, profile or group change of one app
// is pushed to the app's SCIM endpoint (OKT-03; GRP-04 "push group membership immediately"; DEA-01 deactivation).
import type { App, Directory, DirectoryEvent, Person } from '../directory/index.ts';
import type { DesiredState, PushPerson } from './model.ts';
import { createPersonality, createPersonalityPusher } from './personalities.ts';
import type { ReconcileOptions, ReconcileSummary, ScimPusherConfig } from './pusher.ts';
import { ScimPusher } from './pusher.ts';
import type { QuarantineStatus } from './quarantine.ts';

/**
 * The app's IdP personality (issue #13) picks dialect, concurrency, timeout and quarantine; for Okta, OKT-04's
 * template picks the flavour: the catalogue app PATCHes, the generic SCIM 2.0 test app (made with the app
 * integration wizard) PUTs. Null when the app's provisioning is off or lacks URL or token.
 */
export function createPusherForApp(
  app: App,
  overrides: Partial<Omit<ScimPusherConfig, 'baseUrl' | 'key'>> = {},
): ScimPusher | null {
  const { enabled, scimBaseUrl, bearerToken } = app.provisioning;
  if (!enabled || !scimBaseUrl || !bearerToken) return null;
  const personality = createPersonality(app.idp ?? 'okta', {
    okta: { updateMode: app.template === 'scim-test-app' ? 'put' : 'patch' },
  });
  const { dialect, ...config } = overrides;
  if (dialect) return new ScimPusher({ ...config, dialect, baseUrl: scimBaseUrl, key: bearerToken });
  return createPersonalityPusher(personality, { ...config, baseUrl: scimBaseUrl, key: bearerToken });
}

/** A directory person as the pusher sees them; suspended or deprovisioned people are pushed as inactive. */
export function pushPersonOf(person: Person): PushPerson {
  return {
    id: person.id,
    userName: person.login,
    givenName: person.firstName,
    familyName: person.lastName,
    email: person.email,
    active: person.status === 'active',
  };
}

/**
 * What the app should hold: everyone assigned (directly or through a group, JIT-08) and the groups assigned to
 * the app, their members limited to people the app is assigned to.
 */
export function desiredStateForApp(directory: Directory, appId: string): DesiredState {
  const people = directory.assignedPeople(appId).map(pushPersonOf);
  const assigned = new Set(people.map((person) => person.id));
  const app = directory.getApp(appId);
  const groups = app.assignments.groups.map((groupId) => {
    const group = directory.getGroup(groupId);
    return {
      id: group.id,
      displayName: group.name,
      memberIds: group.memberIds.filter((id) => assigned.has(id)),
    };
  });
  return { people, groups };
}

function concernsApp(event: DirectoryEvent, appId: string): boolean {
  switch (event.type) {
    case 'app.created':
    case 'app.updated':
    case 'app.assigned':
    case 'app.unassigned':
      return event.app.id === appId;
    case 'app.deleted':
      return false;
    default:
      // Person and group changes may touch the app through its assignments; reconcile finds out cheaply.
      return true;
  }
}

/**
 * Follows the directory's events for one app and pushes each change at once. Changes that arrive while a push
 * runs are coalesced into one more run; reconcile sends only the difference, so nothing is pushed twice.
 */
export class DirectorySync {
  readonly #directory: Directory;
  readonly #appId: string;
  readonly #pusher: ScimPusher;
  readonly #options: ReconcileOptions;
  #unsubscribe: (() => void) | null = null;
  #running: Promise<void> | null = null;
  #dirty = false;
  #summaries: ReconcileSummary[] = [];
  /** Entra's quarantine: the next cycle runs at its nextAttempt by itself */
  #nextAttempt: ReturnType<typeof setTimeout> | null = null;
  #errors: unknown[] = [];

  constructor(directory: Directory, appId: string, pusher: ScimPusher, options: ReconcileOptions = {}) {
    this.#directory = directory;
    this.#appId = appId;
    this.#pusher = pusher;
    this.#options = options;
  }

  /** Subscribes to the directory and schedules a first full push. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#directory.events.on('*', (event) => {
      if (concernsApp(event, this.#appId)) this.schedule();
    });
    this.schedule();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#nextAttempt) clearTimeout(this.#nextAttempt);
    this.#nextAttempt = null;
  }

  /** Asks for a push of the current state (runs now, or once more after the running one). */
  schedule(): void {
    this.#dirty = true;
    if (!this.#running) this.#running = this.#drain();
  }

  /** Resolves when every scheduled push has run; returns their summaries since the last flush. */
  async flush(): Promise<ReconcileSummary[]> {
    while (this.#running) await this.#running;
    return this.#summaries.splice(0);
  }

  /** What the console shows: healthy, or Entra's quarantine with its next attempt. */
  status(): QuarantineStatus {
    return this.#pusher.provisioningStatus();
  }

  /** Errors that stopped a push before it could run (not per-resource failures: those are in the summaries). */
  drainErrors(): unknown[] {
    return this.#errors.splice(0);
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        try {
          const desired = desiredStateForApp(this.#directory, this.#appId);
          this.#summaries.push(await this.#pusher.reconcile(desired, this.#options));
        } catch (error) {
          // e.g. the app was deleted from the directory; kept for the caller, never an unhandled rejection
          this.#errors.push(error);
        }
      }
    } finally {
      this.#running = null;
      this.#planNextAttempt();
    }
  }

  /** In quarantine the IdP tries again at nextAttempt (Microsoft: cycles slow down to once a day), not at once. */
  #planNextAttempt(): void {
    if (this.#nextAttempt || !this.#unsubscribe) return;
    const { state, nextAttempt } = this.#pusher.provisioningStatus();
    if (state !== 'quarantined' || nextAttempt === null) return;
    const wait = Math.max(0, Date.parse(nextAttempt) - Date.now());
    this.#nextAttempt = setTimeout(() => {
      this.#nextAttempt = null;
      this.schedule();
    }, wait);
    this.#nextAttempt.unref();
  }
}
