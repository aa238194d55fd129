// idsim console: OpenID Connect sign-in (issue #14). A card of its own: turn the team's OIDC method on, sign a person
// in over OIDC (simulator OP → reference RP), and see the last ID tokens the RP checked with their verdicts.
// Plain ES module; all text through textContent (no HTML injection). Hooks: one <script> and a `#oidc-card` slot.

const api = (path) => new URL(path, document.baseURI).toString();

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

async function post(name, body) {
  const response = await fetch(api(`api/actions/${name}`), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  return response.ok
    ? { ok: true, json }
    : { ok: false, error: json.error ?? { code: 'error', message: '' } };
}

async function loadState() {
  const response = await fetch(api('api/state'), { headers: { Accept: 'application/json' } });
  return response.json();
}

function card() {
  let section = document.getElementById('oidc-card');
  if (section === null) {
    section = el('section', { id: 'oidc-card', class: 'card', 'aria-labelledby': 'oidc-heading' });
    const column = document.querySelector('main > section.column');
    (column ?? document.body).append(section);
  }
  return section;
}

function render(state, message) {
  const section = card();
  const oidc = state.oidc ?? { enabled: false, idTokens: [], issuer: '' };
  const people = (state.idp?.people ?? []).filter((p) => p.assigned);
  const result = el('p', { id: 'oidc-result', role: 'status' }, message ?? '');
  const select = el(
    'select',
    { id: 'oidc-person', 'aria-label': 'Person to sign in' },
    people.map((p) => el('option', { value: p.id }, `${p.name} (${p.login})`)),
  );
  const toggle = el('input', {
    type: 'checkbox',
    id: 'oidc-toggle',
    checked: oidc.enabled,
    onchange: async (event) => {
      const outcome = await post('oidc', { on: event.target.checked });
      render(
        outcome.ok ? outcome.json : await loadState(),
        outcome.ok ? '' : `${outcome.error.code}: ${outcome.error.message}`,
      );
    },
  });
  const signIn = el(
    'button',
    {
      type: 'button',
      id: 'oidc-sign-in',
      disabled: !oidc.enabled || people.length === 0,
      onclick: async () => {
        const outcome = await post('oidc-sign-in', { personId: select.value });
        const text = outcome.ok
          ? `${outcome.json.outcome.status} ${outcome.json.outcome.errorCode ?? 'signed in'} at ${outcome.json.outcome.landedAt}`
          : `${outcome.error.code}: ${outcome.error.message}`;
        render(await loadState(), text);
      },
    },
    'Sign in with OIDC',
  );
  const tokens = el(
    'ul',
    { id: 'oidc-tokens' },
    oidc.idTokens.map((t) =>
      el(
        'li',
        { 'data-verdict': t.verdict },
        el('strong', {}, t.verdict),
        ` ${t.claims?.email ?? ''} (alg ${t.header?.alg ?? '?'}, kid ${t.header?.kid ?? '-'})`,
        el('pre', {}, JSON.stringify(t.claims, null, 2)),
      ),
    ),
  );
  section.replaceChildren(
    el('h3', { id: 'oidc-heading' }, 'OpenID Connect'),
    el('p', {}, `Issuer ${oidc.issuer}`),
    el('div', { class: 'row' }, el('label', {}, toggle, ' Team signs in over OIDC too'), select, signIn),
    result,
    el('h4', {}, 'ID tokens the reference RP checked'),
    tokens,
  );
}

loadState().then((state) => render(state));
