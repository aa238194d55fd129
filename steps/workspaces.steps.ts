// Product steps about workspaces and what a person can reach in them, read through the control capability.
// Catalogue DEA-03..09 (deactivation/reactivation), REM-01/03 (removal), GRP-05 (groups invited to workspaces).
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { TargetRefusal } from '../conformance/target.ts';
import type { AccessView, WorkspaceRole, WorkspaceType } from '../server/control/port.ts';
import type { IdsimWorld } from './world.ts';

async function ownerId(world: IdsimWorld): Promise<string> {
  return world.accountIdOf(world.teamFixture.ownerName);
}

/** A removed person may have no readable access list at all: that is no access. */
async function accessOf(world: IdsimWorld, name: string): Promise<AccessView[]> {
  try {
    return await world.control.getAccess(world.teamFixture.teamId, await world.accountIdOf(name));
  } catch (error) {
    if (error instanceof TargetRefusal && error.code === 'not_found') return [];
    throw error;
  }
}

async function roleOn(world: IdsimWorld, name: string, workspace: string): Promise<WorkspaceRole | null> {
  const id = world.workspaceId(workspace);
  return (await accessOf(world, name)).find((access) => access.workspaceId === id)?.role ?? null;
}

Given(
  '{person} owns a(n) {workspaceType} workspace {string}',
  async function (this: IdsimWorld, name: string, type: WorkspaceType, workspace: string) {
    const created = await this.control.createWorkspace(this.teamFixture.teamId, await ownerId(this), {
      name: workspace,
      type,
      ownerId: await this.accountIdOf(name),
    });
    this.workspaces.set(workspace, created.id);
  },
);

Given(
  '{person} holds {workspaceRole} on workspace {string}',
  async function (this: IdsimWorld, name: string, role: WorkspaceRole, workspace: string) {
    await this.control.shareWorkspace(
      this.teamFixture.teamId,
      await ownerId(this),
      this.workspaceId(workspace),
      {
        kind: 'account',
        id: await this.accountIdOf(name),
        role,
      },
    );
  },
);

When(
  '{person} invites the group {string} to workspace {string} as {workspaceRole}',
  async function (this: IdsimWorld, name: string, group: string, workspace: string, role: WorkspaceRole) {
    const teamId = this.teamFixture.teamId;
    const found = (await this.control.listGroups(teamId)).find(
      (candidate) => candidate.displayName === group,
    );
    assert.ok(found, `no team group "${group}"`);
    await this.control.shareWorkspace(teamId, await this.accountIdOf(name), this.workspaceId(workspace), {
      kind: 'group',
      id: found.id,
      role,
    });
  },
);

Then(
  'workspace {string} is still {workspaceType}',
  async function (this: IdsimWorld, workspace: string, type: WorkspaceType) {
    const id = this.workspaceId(workspace);
    const found = (await this.control.listWorkspaces(this.teamFixture.teamId)).find((item) => item.id === id);
    assert.equal(found?.type, type);
  },
);

Then('the team is the admin of workspace {string}', async function (this: IdsimWorld, workspace: string) {
  const id = this.workspaceId(workspace);
  const found = (await this.control.listWorkspaces(this.teamFixture.teamId)).find((item) => item.id === id);
  assert.ok(found, `workspace "${workspace}" is gone`);
  assert.ok(
    found.members.some((member) => member.kind === 'team' && member.role === 'Admin'),
    JSON.stringify(found.members),
  );
});

Then(
  '{person} has {workspaceRole} access to workspace {string}',
  async function (this: IdsimWorld, name: string, role: WorkspaceRole, workspace: string) {
    assert.equal(await roleOn(this, name, workspace), role);
  },
);

Then(
  '{person} has no access to workspace {string}',
  async function (this: IdsimWorld, name: string, workspace) {
    assert.equal(await roleOn(this, name, workspace as string), null);
  },
);

Then('{person} has no access to any team workspace', async function (this: IdsimWorld, name: string) {
  const reachable = (await accessOf(this, name)).filter((access) => access.role !== null);
  assert.deepEqual(reachable, []);
});

Then(
  '{person} has the same access to workspace {string} as {person}',
  async function (this: IdsimWorld, name: string, workspace: string, other: string) {
    assert.equal(await roleOn(this, name, workspace), await roleOn(this, other, workspace));
  },
);
