// idsim console front end: renders /console/api/state, posts actions, and shows the SSE timeline newest first.
// Plain ES module, no build step (idsim issues #6, #15). All text goes through text nodes (no HTML injection).
// App-card panels of other modules register through panels.js; shared helpers live in kit.js.

import { decorateTimelineItem, mountFaultsPanel } from './faults.js';
import { act, api, h, id, onRefresh, post, postRaw, say } from './kit.js';
import { renderAppPanels } from './panels.js';

let lastState = null;

async function refresh() {
  const response = await fetch(api('api/state'), { headers: { Accept: 'application/json' } });
  lastState = await response.json();
  render(lastState);
}

function render(state) {
  const target = state.target;
  document.getElementById('target-line').textContent =
    `Target: ${target.kind === 'reference' ? 'reference server' : 'another implementation'} — SCIM ${target.scimBaseUrl}`;
  document
    .getElementById('app-line')
    .replaceChildren(`${state.idp.app.name} (${state.idp.app.template}) → SP `, id(target.spEntityId));
  document.getElementById('provisioning-toggle').checked = target.provisioning;
  const encryption = document.getElementById('encryption-toggle');
  encryption.checked = state.idp.app.assertionEncryption;
  encryption.disabled = !state.idp.app.spOffersEncryption;
  encryption.title = state.idp.app.spOffersEncryption ? '' : 'the SP metadata has no encryption key';
  renderPeople(state);
  renderGroups(state);
  renderTeam(state.team);
  renderScenario(state.scenario);
  renderAppPanels(state);
}

function renderPeople(state) {
  const passwords = [...new Set(state.idp.people.map((p) => p.password))];
  document.getElementById('people-password').textContent =
    passwords.length === 1
      ? `A test IdP: every person signs in with the password ${passwords[0]}`
      : "A test IdP: each person's password is shown in their row";
  const body = document.querySelector('#people-table tbody');
  body.replaceChildren(
    ...state.idp.people.map((person) =>
      h(
        'tr',
        { 'data-person': person.login },
        h(
          'td',
          {},
          person.name,
          id(person.login, 'small'),
          passwords.length > 1 ? h('small', {}, `password ${person.password}`) : null,
          person.status === 'active' ? null : h('small', {}, person.status),
        ),
        h(
          'td',
          {},
          person.assigned ? (person.directlyAssigned ? 'assigned' : 'via group') : 'not assigned',
          h('small', {}, person.pushedAs ? 'provisioned' : 'not provisioned'),
          person.sessions > 0 ? h('small', {}, `IdP session: ${person.sessions}`) : null,
        ),
        h(
          'td',
          { class: 'actions' },
          person.directlyAssigned
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    act('unassign', { kind: 'person', id: person.id }, () => `Unassigned ${person.login}`),
                },
                'Unassign',
              )
            : h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    act('assign', { kind: 'person', id: person.id }, () => `Assigned ${person.login}`),
                },
                'Assign',
              ),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Sign in as ${person.login} (SP-initiated)`,
              onclick: () => signIn(person, 'sp'),
            },
            'Sign in (SP)',
          ),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Sign in as ${person.login} (IdP-initiated)`,
              onclick: () => signIn(person, 'idp'),
            },
            'Sign in (IdP)',
          ),
          person.sessions > 0
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    act(
                      'end-session',
                      { personId: person.id },
                      (j) => `Ended ${j.ended} IdP session(s) of ${person.login}`,
                    ),
                },
                'End session',
              )
            : null,
        ),
      ),
    ),
  );
}

async function signIn(person, mode) {
  say(`Signing in ${person.login}…`);
  await act(
    'sign-in',
    { personId: person.id, mode },
    ({ outcome }) =>
      `Sign-in of ${person.login}: ${outcome.status}${outcome.errorCode ? ` ${outcome.errorCode}` : ''} — ${outcome.headline} (landed at ${outcome.landedAt})`,
  );
}

function renderGroups(state) {
  const teamGroups = state.team ? state.team.groups.filter((g) => g.memberIds.length === 0) : [];
  const body = document.querySelector('#groups-table tbody');
  body.replaceChildren(
    ...state.idp.groups.map((group) => {
      const linkSelect = h(
        'select',
        { 'aria-label': `Team group to link ${group.name} to` },
        h('option', { value: '' }, '(same name)'),
        ...teamGroups.map((g) => h('option', { value: g.displayName }, g.displayName)),
      );
      return h(
        'tr',
        { 'data-group': group.name },
        h('td', {}, group.name, h('small', {}, `${group.memberCount} member(s)`)),
        h(
          'td',
          {},
          group.assigned ? 'assigned' : 'not assigned',
          h('small', {}, group.pushedAs ? 'pushed' : 'not pushed'),
        ),
        h(
          'td',
          { class: 'actions' },
          group.assigned
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    act('unassign', { kind: 'group', id: group.id }, () => `Unassigned group ${group.name}`),
                },
                'Unassign',
              )
            : h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    act('assign', { kind: 'group', id: group.id }, () => `Assigned group ${group.name}`),
                },
                'Assign',
              ),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Push group ${group.name} (create)`,
              onclick: () => pushGroup(group, 'create'),
            },
            'Push (create)',
          ),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Push group ${group.name} (link)`,
              onclick: () => pushGroup(group, 'link', linkSelect.value),
            },
            'Push (link)',
          ),
          linkSelect,
        ),
      );
    }),
  );
}

/**
 * GRP-02/03. Pushing an unassigned group would assign it (and provision its members), so the console asks first, as
 * the server refuses such a push with group_not_assigned unless it is confirmed.
 */
async function pushGroup(group, mode, linkTo = '') {
  const body = { groupId: group.id, mode, ...(linkTo ? { linkTo } : {}) };
  let answer = await postRaw('push-group', body);
  if (!answer.ok && answer.json.error?.code === 'group_not_assigned') {
    if (!window.confirm(`${answer.json.error.message}\n\nAssign ${group.name} to the app and push it?`)) {
      say(`Not pushed: ${group.name} stays unassigned`);
      await refresh();
      return;
    }
    answer = await postRaw('push-group', { ...body, assign: true });
  }
  if (!answer.ok) {
    const error = answer.json.error ?? { code: 'error', message: `HTTP ${answer.status}` };
    say(`${error.code}: ${error.message}`, false);
  } else {
    const { result, appMemberCount, assignedNow, provisionedPeople } = answer.json;
    say(
      `Group push of ${group.name}: ${result.action}` +
        (assignedNow
          ? `; the group is now assigned to the app (${provisionedPeople} people provisioned)`
          : '') +
        `; the app's group has ${appMemberCount} member(s)`,
    );
  }
  await refresh();
}

function renderTeam(team) {
  const container = document.getElementById('team');
  if (team === null) {
    container.replaceChildren(h('p', {}, 'The team side is shown for the reference server only.'));
    return;
  }
  const plan = h(
    'select',
    { id: 'plan-select' },
    ...['Free', 'Basic', 'Professional', 'Enterprise'].map((p) =>
      h('option', { value: p, selected: p === team.team.plan }, p),
    ),
  );
  const seats = h('input', {
    id: 'seats-input',
    type: 'number',
    min: 0,
    value: team.team.seats.licensed ?? '',
  });
  const keyOutput = h('output', { id: 'scim-key-output', class: 'key', 'aria-live': 'polite' });
  container.replaceChildren(
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'plan-heading' },
      h('h3', { id: 'plan-heading' }, `${team.team.name}: plan and seats`),
      h(
        'p',
        { id: 'seat-line' },
        `Seats: ${team.team.seats.used} used of ${team.team.seats.licensed}${team.team.seats.autoFlex ? ', Auto-Flex' : ''}${team.team.seats.trueUp ? ', True-up' : ''}`,
      ),
      h(
        'div',
        { class: 'row' },
        h('label', { for: 'plan-select' }, 'Plan'),
        plan,
        h('label', { for: 'seats-input' }, 'Seats'),
        seats,
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              act(
                'plan',
                { plan: plan.value, licensedSeats: Number(seats.value) },
                () => 'Plan and seats saved',
              ),
          },
          'Save plan',
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'auth-heading' },
      h('h3', { id: 'auth-heading' }, 'Team Settings › Authentication'),
      ...team.methods.map((method) => {
        const label = h('input', { value: method.label, 'aria-label': `Label of ${method.kind} method` });
        const enabled = h('input', { type: 'checkbox', checked: method.enabled });
        const auto = h('input', {
          type: 'checkbox',
          checked: method.autoAddUsers,
          'data-auto-add': method.kind,
        });
        // the SAML method's legacy opt-in: SHA-1 signatures are refused (algorithm_forbidden) unless this is on
        const sha1 =
          method.kind === 'saml'
            ? h('input', {
                type: 'checkbox',
                checked: method.saml?.allowSha1 === true,
                'data-allow-sha1': '',
              })
            : null;
        return h(
          'div',
          { class: 'row method', 'data-method': method.kind },
          h('strong', {}, method.kind === 'saml' ? 'SAML' : 'Email/password'),
          label,
          h('label', {}, enabled, ' On'),
          h('label', {}, auto, ' Automatically add new users'),
          sha1 === null ? null : h('label', {}, sha1, ' Allow SHA-1 signatures (legacy IdP)'),
          h(
            'button',
            {
              type: 'button',
              onclick: () =>
                act(
                  'auth-method',
                  {
                    methodId: method.id,
                    label: label.value,
                    enabled: enabled.checked,
                    autoAddUsers: auto.checked,
                    ...(sha1 === null ? {} : { allowSha1: sha1.checked }),
                  },
                  () => `Saved "${label.value}"`,
                ),
            },
            'Save',
          ),
        );
      }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'scim-heading' },
      h('h3', { id: 'scim-heading' }, 'SCIM'),
      h(
        'div',
        { class: 'row' },
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            checked: team.team.scimEnabled,
            onchange: (e) =>
              act(
                'scim',
                { enabled: e.target.checked },
                () => `SCIM ${e.target.checked ? 'enabled' : 'disabled'}`,
              ),
          }),
          ' SCIM enabled',
        ),
        h('button', { type: 'button', onclick: generateKey }, 'Generate SCIM key'),
      ),
      keyOutput,
      h(
        'p',
        { class: 'muted' },
        `Keys: ${team.scimKeys.map((k) => `${k.prefix}… ${k.status}`).join(', ') || 'none'}`,
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'members-heading' },
      h('h3', { id: 'members-heading' }, `Members (${team.members.length})`),
      h(
        'table',
        { id: 'members-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Member'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Role'),
          ),
        ),
        h(
          'tbody',
          {},
          ...team.members.map((member) => {
            const role = h(
              'select',
              {
                'aria-label': `Role of ${member.account.email}`,
                onchange: (e) =>
                  act(
                    'member-role',
                    { accountId: member.account.id, role: e.target.value },
                    () => `Role of ${member.account.email} is now ${e.target.value}`,
                  ),
              },
              ...['Super Admin', 'Admin', 'Member', 'Guest'].map((r) =>
                h('option', { value: r, selected: r === member.role }, r),
              ),
            );
            return h(
              'tr',
              { 'data-member': member.account.email },
              h(
                'td',
                {},
                id(member.account.email),
                member.managedByScim ? h('small', {}, 'SCIM-managed') : null,
              ),
              h('td', {}, member.status),
              h('td', {}, role),
            );
          }),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'invites-heading' },
      h('h3', { id: 'invites-heading' }, 'Invites'),
      h(
        'form',
        { id: 'invite-form', class: 'row', onsubmit: invite },
        h('label', { for: 'invite-email' }, 'Email'),
        h('input', { id: 'invite-email', name: 'email', type: 'email', required: true }),
        h('button', { type: 'submit' }, 'Invite'),
      ),
      h(
        'ul',
        {},
        ...team.invites.map((i) =>
          h('li', {}, `${i.email} (${i.role}) ${i.status}, expires ${i.expiresAt.slice(0, 10)}`),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'workspaces-heading' },
      h('h3', { id: 'workspaces-heading' }, 'Workspaces'),
      team.workspaces.length === 0 ? h('p', { class: 'muted' }, 'none') : null,
      h(
        'ul',
        {},
        ...team.workspaces.map((w) =>
          h(
            'li',
            {},
            `${w.name} (${w.type}): `,
            w.members.map((m) => `${nameOf(team, m)} ${m.role}`).join(', '),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'team-groups-heading' },
      h('h3', { id: 'team-groups-heading' }, 'Groups'),
      h(
        'ul',
        { id: 'team-groups' },
        ...team.groups.map((g) =>
          h('li', { 'data-team-group': g.displayName }, `${g.displayName} — ${g.memberIds.length} member(s)`),
        ),
      ),
    ),
  );
}

function nameOf(team, grant) {
  if (grant.kind === 'account')
    return team.members.find((m) => m.account.id === grant.id)?.account.email ?? grant.id;
  if (grant.kind === 'group')
    return `group ${team.groups.find((g) => g.id === grant.id)?.displayName ?? grant.id}`;
  return 'the team';
}

async function generateKey() {
  const json = await post('scim-key');
  if (json === null) return;
  await refresh();
  const output = document.getElementById('scim-key-output');
  output.textContent = `New key (shown once): ${json.key}`;
  say('A new SCIM key was generated and given to the IdP app');
}

async function invite(event) {
  event.preventDefault();
  const email = event.target.elements.email.value;
  await act('invite', { email }, () => `Invited ${email}`);
}

function renderScenario(progress) {
  const container = document.getElementById('scenario-progress');
  if (progress === null) {
    container.replaceChildren();
    return;
  }
  // the picker shows the scenario the progress belongs to, also after a reload
  const select = document.getElementById('scenario-select');
  if (select.dataset.touched !== 'true' && [...select.options].some((o) => o.value === progress.row))
    select.value = progress.row;
  const status = progress.restored
    ? progress.aborted
      ? 'Aborted: everything it changed is put back.'
      : 'Finished: everything it changed is put back.'
    : 'Playing: its changes are undone when it ends or is aborted.';
  container.replaceChildren(
    h(
      'p',
      {},
      h('strong', {}, progress.row),
      ` ${progress.title}`,
      progress.rows.length > 1 ? ` (covers ${progress.rows.join(', ')})` : '',
    ),
    h('p', { id: 'scenario-status', class: 'muted', 'data-restored': String(progress.restored) }, status),
    h(
      'ol',
      { id: 'scenario-steps' },
      ...progress.steps.map((title, index) => {
        const outcome = progress.outcomes[index];
        return h(
          'li',
          { 'data-step': index + 1, 'aria-current': index === progress.nextStep ? 'step' : false },
          title,
          outcome
            ? h(
                'div',
                { class: outcome.ok ? 'ok step-outcome' : 'bad step-outcome' },
                `${outcome.ok ? '✔' : '✘'} ${outcome.summary}`,
              )
            : null,
        );
      }),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', id: 'scenario-next', disabled: progress.finished, onclick: playNext },
        progress.finished ? 'Scenario finished' : `Play step ${progress.nextStep + 1}`,
      ),
      progress.restored
        ? null
        : h(
            'button',
            {
              type: 'button',
              id: 'scenario-abort',
              onclick: () =>
                act(
                  'scenario-abort',
                  {},
                  ({ scenario }) => `${scenario.row} aborted: its changes are put back`,
                ),
            },
            'Abort and restore',
          ),
    ),
  );
}

async function playNext() {
  const button = document.getElementById('scenario-next');
  button.disabled = true;
  const json = await post('scenario-next');
  await refresh();
  if (json !== null) {
    const last = json.scenario.outcomes.at(-1);
    say(`${json.scenario.row} step ${json.scenario.outcomes.length}: ${last.summary}`, last.ok);
  }
  document.getElementById('scenario-next')?.focus();
}

function headerLines(headers) {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

function bodyText(body) {
  if (body === null || body === undefined) return '';
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

function timelineItem(entry) {
  let detail;
  if (entry.kind === 'scim') {
    const x = entry.exchange;
    detail = [
      h(
        'p',
        {},
        entry.source === 'server'
          ? `Received by the reference server from ${entry.client ?? 'an unnamed client'}`
          : 'Sent by the IdP simulator',
      ),
      h('h4', {}, 'Request'),
      h('pre', {}, `${x.method} ${x.url}\n${headerLines(x.requestHeaders)}\n\n${bodyText(x.requestBody)}`),
      h('h4', {}, 'Response'),
      h(
        'pre',
        {},
        `${x.status ?? x.error}\n${headerLines(x.responseHeaders)}\n\n${bodyText(x.responseBody)}`,
      ),
    ];
  } else if (entry.kind === 'saml') {
    detail = [
      h(
        'p',
        {},
        entry.source === 'server'
          ? `Validated by the SP at ${entry.url}: ${entry.spVerdict?.accepted ? 'accepted' : `refused (${entry.spVerdict?.code})`}, HTTP ${entry.spVerdict?.status}`
          : `Sent by the IdP, ${entry.binding} to ${entry.url}; signature: ${entry.signatureVerdict}`,
      ),
      h('h4', {}, 'Indented'),
      h('pre', { class: 'pretty' }, entry.prettyXml),
      entry.decryptedAssertion
        ? [
            h('h4', {}, 'Decrypted assertion (as the IdP built it, before encrypting)'),
            h('pre', { class: 'decrypted' }, entry.decryptedAssertion),
          ]
        : null,
      h('h4', {}, 'As sent (decoded bytes)'),
      h('pre', { class: 'raw' }, entry.rawXml),
    ];
  } else {
    detail = [h('pre', {}, entry.detail)];
  }
  const item = h(
    'li',
    { 'data-kind': entry.kind, 'data-message': entry.message ?? null, 'data-source': entry.source ?? null },
    h('details', {}, h('summary', {}, `${entry.at.slice(11, 19)} ${entry.title}`), ...detail),
  );
  decorateTimelineItem(item, entry, h);
  return item;
}

function connect() {
  const list = document.getElementById('timeline');
  const stream = new EventSource(api('events'));
  const streamState = document.getElementById('stream-state');
  stream.addEventListener('open', () => {
    streamState.textContent = 'live';
  });
  stream.addEventListener('error', () => {
    streamState.textContent = 'reconnecting…';
  });
  stream.addEventListener('entry', (event) => {
    const entry = JSON.parse(event.data);
    if (list.querySelector(`[data-seq="${entry.seq}"]`)) return;
    const item = timelineItem(entry);
    item.dataset.seq = entry.seq;
    list.prepend(item);
  });
}

async function start() {
  const scenarios = await fetch(api('api/scenarios')).then((r) => r.json());
  document
    .getElementById('scenario-select')
    .replaceChildren(
      ...scenarios.map((s) =>
        h(
          'option',
          { value: s.row },
          s.rows.length > 1 ? `${s.row} — ${s.title} [plays ${s.rows.join(', ')}]` : `${s.row} — ${s.title}`,
        ),
      ),
    );
  const select = document.getElementById('scenario-select');
  select.addEventListener('change', () => {
    select.dataset.touched = 'true';
  });
  document.getElementById('scenario-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const row = document.getElementById('scenario-select').value;
    select.dataset.touched = 'false';
    await act('scenario-start', { row }, () => `Scenario ${row} started`);
    document.getElementById('scenario-next')?.focus();
  });
  document
    .getElementById('provisioning-toggle')
    .addEventListener('change', (event) =>
      act(
        'provisioning',
        { on: event.target.checked },
        () => `Provisioning ${event.target.checked ? 'on' : 'off'}`,
      ),
    );
  document
    .getElementById('encryption-toggle')
    .addEventListener('change', (event) =>
      act(
        'assertion-encryption',
        { on: event.target.checked },
        () => `Assertion encryption ${event.target.checked ? 'on' : 'off'}`,
      ),
    );
  document
    .getElementById('test-credentials')
    .addEventListener('click', () =>
      act('test-credentials', {}, ({ check }) =>
        check.ok
          ? `Test API Credentials: OK (${check.status})`
          : `Test API Credentials failed: ${check.message}`,
      ),
    );
  document.getElementById('target-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target.elements;
    await act(
      'target',
      {
        kind: form.kind.value,
        scimBaseUrl: form.scimBaseUrl.value,
        scimKey: form.scimKey.value,
        spLoginUrl: form.spLoginUrl.value,
        spMetadataXml: form.spMetadataXml.value,
      },
      () => 'Target switched',
    );
  });
  onRefresh(refresh);
  connect();
  await refresh();
  await mountFaultsPanel({ api, h, post, say });
}

start();
