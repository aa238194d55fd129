// A small typed event emitter for directory changes, so the SCIM pusher can follow assignments and updates.
// idsim issue #3 (change events: assign / unassign / update); event types documented on DirectoryEvent.

import type { App, Group, Person } from './types.ts';

/**
 * Every change the directory announces, after it is applied:
 * - `person.created` / `person.updated` (any field, status included) / `person.deleted`
 * - `group.created` / `group.updated` (rename or membership; `addedIds`/`removedIds` list member changes) / `group.deleted`
 * - `app.created` / `app.updated` / `app.deleted`
 * - `app.assigned` / `app.unassigned`: a person or a group was (un)assigned to an app directly.
 *   People who gain or lose access through a group membership change are announced by `group.updated`.
 */
export type DirectoryEvent =
  | { type: 'person.created'; person: Person }
  | { type: 'person.updated'; person: Person; previous: Person }
  | { type: 'person.deleted'; person: Person }
  | { type: 'group.created'; group: Group }
  | { type: 'group.updated'; group: Group; addedIds: string[]; removedIds: string[] }
  | { type: 'group.deleted'; group: Group }
  | { type: 'app.created'; app: App }
  | { type: 'app.updated'; app: App }
  | { type: 'app.deleted'; app: App }
  | { type: 'app.assigned'; app: App; subject: AssignmentSubject }
  | { type: 'app.unassigned'; app: App; subject: AssignmentSubject };

export type AssignmentSubject = { kind: 'person'; id: string } | { kind: 'group'; id: string };

export type DirectoryEventType = DirectoryEvent['type'];
export type DirectoryEventOf<T extends DirectoryEventType> = Extract<DirectoryEvent, { type: T }>;
export type DirectoryListener<T extends DirectoryEventType> = (event: DirectoryEventOf<T>) => void;

/** Synchronous, typed fan-out; a listener that throws does not stop the others or the change. */
export class DirectoryEvents {
  readonly #listeners = new Map<DirectoryEventType | '*', Set<(event: DirectoryEvent) => void>>();
  readonly #errors: unknown[] = [];

  /** Subscribes to one event type, or `'*'` for all; returns the unsubscribe function. */
  on<T extends DirectoryEventType>(type: T, listener: DirectoryListener<T>): () => void;
  on(type: '*', listener: (event: DirectoryEvent) => void): () => void;
  on(type: DirectoryEventType | '*', listener: (event: never) => void): () => void {
    const set = this.#listeners.get(type) ?? new Set();
    const wrapped = listener as (event: DirectoryEvent) => void;
    set.add(wrapped);
    this.#listeners.set(type, set);
    return () => {
      set.delete(wrapped);
    };
  }

  emit(event: DirectoryEvent): void {
    for (const key of [event.type, '*'] as const) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          listener(event);
        } catch (error) {
          this.#errors.push(error);
        }
      }
    }
  }

  /** Errors thrown by listeners since the last call (kept so tests can assert none happened). */
  drainListenerErrors(): unknown[] {
    return this.#errors.splice(0);
  }
}
