// Teams: creation with the first Super Admin, reads, and plan / seat changes.
// Catalogue PRV-09 (seats) and KEY-01 (leaving Enterprise turns SCIM off).
import type { MemberView, NewTeam, PlanName, TeamView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import type { Team } from '../domain/model.ts';
import { isPlanName } from '../domain/plans.ts';
import { assertValidSeatCount } from '../domain/seats.ts';
import { slugify } from '../domain/usernames.ts';
import type { ServiceContext } from './context.ts';
import { findOrCreateAccount, joinTeam, requireTeam } from './lifecycle.ts';
import { insertOrganisation, requireOrganisation } from './organisations.ts';
import { appendAudit, requireAdmin } from './service-kit.ts';
import { memberView, teamView } from './views.ts';

export function createTeam(ctx: ServiceContext, input: NewTeam): { team: TeamView; owner: MemberView } {
  return ctx.store.transaction(() => {
    if (!isPlanName(input.plan)) throw new DomainError('invalid_value', `unknown plan ${String(input.plan)}`);
    assertValidSeatCount(input.licensedSeats);
    const name = input.name.trim();
    if (name === '') throw new DomainError('invalid_value', 'a team needs a name', { attribute: 'name' });
    const teamId = ctx.newId();
    const organisationId =
      input.organisationId === undefined
        ? // Decision: a team created without an organisation gets its own one-team organisation.
          insertOrganisation(ctx, {
            slug: `${slugify(name) || 'team'}-${teamId.slice(0, 8).toLowerCase()}`,
            name,
          }).id
        : requireOrganisation(ctx, input.organisationId).id;
    const team: Team = {
      id: teamId,
      organisationId,
      name,
      plan: input.plan,
      licensedSeats: input.licensedSeats,
      usedSeats: 0,
      autoFlex: input.autoFlex ?? false,
      trueUp: input.trueUp ?? false,
      scimEnabled: false,
    };
    ctx.store.teams.insert(team);
    const { account } = findOrCreateAccount(ctx, input.owner);
    // Decision: the owner takes a seat like any active member, but creating a team is never refused for it.
    const owner = joinTeam(ctx, { ...team, autoFlex: true }, account.id, { role: 'Super Admin' });
    appendAudit(ctx, { type: 'team.created', teamId, accountId: account.id });
    return { team: teamView(requireTeam(ctx, teamId)), owner: memberView(owner, account) };
  });
}

export function getTeam(ctx: ServiceContext, teamId: string): TeamView {
  return ctx.store.transaction(() => teamView(requireTeam(ctx, teamId)));
}

export function updateTeam(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  patch: { plan?: PlanName; licensedSeats?: number; autoFlex?: boolean; trueUp?: boolean },
): TeamView {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    requireAdmin(ctx, teamId, actorId, 'change the plan or seats');
    if (patch.plan !== undefined && !isPlanName(patch.plan)) {
      throw new DomainError('invalid_value', `unknown plan ${String(patch.plan)}`, { attribute: 'plan' });
    }
    if (patch.licensedSeats !== undefined) assertValidSeatCount(patch.licensedSeats);
    const plan = patch.plan ?? team.plan;
    const next: Team = {
      ...team,
      plan,
      licensedSeats: patch.licensedSeats ?? team.licensedSeats,
      autoFlex: patch.autoFlex ?? team.autoFlex,
      trueUp: patch.trueUp ?? team.trueUp,
      // KEY-01 decision: leaving Enterprise turns SCIM off (keys stay, and fail KEY-04 until it is on again).
      scimEnabled: plan === 'Enterprise' ? team.scimEnabled : false,
    };
    ctx.store.teams.update(next);
    return teamView(requireTeam(ctx, teamId));
  });
}
