// What a guided scenario may change, captured before it starts and put back however it ends (finished, aborted,
// replaced by another, the page reloaded or the server stopped): the team side through a scratch transaction of the
// store (nothing a scenario writes is ever committed), the IdP side and the console's own wiring from a snapshot.
// idsim issue #15 item 2.
import type { ScratchTransaction } from '../server/store/store.ts';
import type { App, Group, Person } from '../simulator/directory/index.ts';
import type { PushMappingSnapshot } from '../simulator/scim/pusher.ts';
import type { LiveSystem } from './live-system.ts';

export interface SystemSnapshot {
  scratch: ScratchTransaction;
  people: Map<string, Person>;
  groups: Map<string, Group>;
  apps: Map<string, App>;
  provisioning: boolean;
  mapping: PushMappingSnapshot | undefined;
  scimKey: string;
  idpClockOffsetMs: number;
}

/** Takes the snapshot and opens the scratch transaction: from here on, team-side writes are provisional. */
export async function captureSystem(system: LiveSystem): Promise<SystemSnapshot> {
  await system.settle();
  const directory = system.simulator.directory;
  const snapshot: Omit<SystemSnapshot, 'scratch'> = {
    people: new Map(directory.listPeople().map((p) => [p.id, structuredClone(p)])),
    groups: new Map(directory.listGroups().map((g) => [g.id, structuredClone(g)])),
    apps: new Map(directory.listApps().map((a) => [a.id, structuredClone(a)])),
    provisioning: system.provisioning,
    mapping: system.pushMapping(),
    scimKey: system.reference.scimKey,
    idpClockOffsetMs: system.idpClock.offsetMs,
  };
  return { ...snapshot, scratch: system.reference.service.openScratch() };
}

/**
 * Puts everything back: pushing stops first (so the IdP's undo is not sent as SCIM), the scratch transaction is
 * rolled back, the directory is made equal to the snapshot, and pushing resumes with the mapping of before.
 */
export async function restoreSystem(system: LiveSystem, snapshot: SystemSnapshot): Promise<void> {
  await system.settle();
  system.stopProvisioning();
  snapshot.scratch.discard();
  restoreDirectory(system, snapshot);
  system.reference.scimKey = snapshot.scimKey;
  system.idpClock.offsetMs = snapshot.idpClockOffsetMs;
  if (snapshot.provisioning) {
    system.startProvisioning(snapshot.mapping === undefined ? {} : { mapping: snapshot.mapping });
    await system.settle();
  }
}

function restoreDirectory(system: LiveSystem, snapshot: SystemSnapshot): void {
  const directory = system.simulator.directory;
  for (const app of directory.listApps()) if (!snapshot.apps.has(app.id)) directory.deleteApp(app.id);
  for (const group of directory.listGroups())
    if (!snapshot.groups.has(group.id)) directory.deleteGroup(group.id);
  for (const person of directory.listPeople()) {
    const before = snapshot.people.get(person.id);
    if (before === undefined) {
      directory.deletePerson(person.id);
      continue;
    }
    const { id: _id, ...fields } = before;
    if (JSON.stringify({ ...person, id: undefined }) !== JSON.stringify({ ...before, id: undefined }))
      directory.updatePerson(person.id, fields);
  }
  const present = new Set(directory.listPeople().map((p) => p.id));
  for (const group of directory.listGroups()) {
    const before = snapshot.groups.get(group.id);
    if (before === undefined) continue;
    if (group.name !== before.name) directory.renameGroup(group.id, before.name);
    const extra = group.memberIds.filter((id) => !before.memberIds.includes(id));
    const missing = before.memberIds.filter((id) => !group.memberIds.includes(id) && present.has(id));
    if (extra.length > 0) directory.removeGroupMembers(group.id, extra);
    if (missing.length > 0) directory.addGroupMembers(group.id, missing);
  }
  const groups = new Set(directory.listGroups().map((g) => g.id));
  for (const app of directory.listApps()) {
    const before = snapshot.apps.get(app.id);
    if (before === undefined) continue;
    for (const kind of ['people', 'groups'] as const) {
      const subject = kind === 'people' ? 'person' : 'group';
      const exists = kind === 'people' ? present : groups;
      for (const id of app.assignments[kind])
        if (!before.assignments[kind].includes(id)) directory.unassign(app.id, { kind: subject, id });
      for (const id of before.assignments[kind])
        if (!app.assignments[kind].includes(id) && exists.has(id))
          directory.assign(app.id, { kind: subject, id });
    }
    directory.updateApp(app.id, {
      name: before.name,
      sp: before.sp,
      signing: before.signing,
      attributeStatements: before.attributeStatements,
      assertionEncryption: before.assertionEncryption,
      provisioning: before.provisioning,
      ...(before.defaultRelayState === undefined ? {} : { defaultRelayState: before.defaultRelayState }),
    });
  }
}
