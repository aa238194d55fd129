// Cucumber parameter types that turn the product owner's words into values: {role}, {plan}, {workspaceType},
// {workspaceRole}, {person} and {onOff}. Vocabulary from server/control/port.ts (catalogue rows KEY, DEA, REM, JIT).
import { defineParameterType } from '@cucumber/cucumber';
import type { PlanName, TeamRole, WorkspaceRole, WorkspaceType } from '../server/control/port.ts';

const ROLES: Record<string, TeamRole> = {
  'Super Admin': 'Super Admin',
  Admin: 'Admin',
  Member: 'Member',
  Guest: 'Guest',
};

defineParameterType({
  name: 'role',
  regexp: /Super Admin|Admin|Member|Guest/,
  transformer: (word: string): TeamRole => ROLES[word] ?? 'Member',
});

defineParameterType({
  name: 'plan',
  regexp: /Free|Basic|Professional|Enterprise/,
  transformer: (word: string): PlanName => word as PlanName,
});

defineParameterType({
  name: 'workspaceType',
  regexp: /private|internal|public|partner/,
  transformer: (word: string): WorkspaceType => word as WorkspaceType,
});

defineParameterType({
  name: 'workspaceRole',
  regexp: /Admin|Editor|Viewer/,
  transformer: (word: string): WorkspaceRole => word as WorkspaceRole,
});

/** A person is named by a capitalised first name (Ana, Ben, ...); steps derive the email from the team domain. */
defineParameterType({
  name: 'person',
  regexp: /[A-Z][a-z]+/,
  transformer: (word: string): string => word,
});

defineParameterType({
  name: 'onOff',
  regexp: /on|off/,
  transformer: (word: string): boolean => word === 'on',
});
