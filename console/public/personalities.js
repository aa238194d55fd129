// idsim console: the app's IdP personality (Okta, Entra, OneLogin, JumpCloud, Rippling, PingFederate) and its
// provisioning health, Entra's quarantine included (issue #13). Self-contained: adds its own card after the App card.

const api = (path) => new URL(path, document.baseURI).toString();

/** idp → label, as the API lists them */
const labels = new Map();

function describeStatus(status) {
  if (status === null) return 'Provisioning is off.';
  if (status.state === 'healthy') return 'Provisioning is healthy.';
  if (status.state === 'disabled') return 'Provisioning is disabled: the app stayed in quarantine too long.';
  return `In quarantine since ${status.currentBegan} (${status.recentFailures} of the last ${status.windowSize} calls failed, last: ${status.lastFailure}); next attempt ${status.nextAttempt}.`;
}

function buildCard() {
  const card = document.createElement('section');
  card.className = 'card';
  card.id = 'personality-card';
  card.setAttribute('aria-labelledby', 'personality-heading');
  const heading = document.createElement('h3');
  heading.id = 'personality-heading';
  heading.textContent = 'IdP personality';
  const label = document.createElement('label');
  label.htmlFor = 'personality-select';
  label.textContent = 'The IdP behaves as';
  const select = document.createElement('select');
  select.id = 'personality-select';
  const status = document.createElement('p');
  status.id = 'personality-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  card.append(heading, label, select, status);
  return { card, select, status };
}

async function load(select, status) {
  const response = await fetch(api('api/personality'), { headers: { Accept: 'application/json' } });
  if (!response.ok) return;
  const state = await response.json();
  if (select.options.length === 0) {
    for (const { idp, label } of state.personalities) {
      labels.set(idp, label);
      const option = document.createElement('option');
      option.value = idp;
      option.textContent = label;
      select.append(option);
    }
  }
  if (document.activeElement !== select) select.value = state.idp;
  status.textContent = describeStatus(state.status);
  status.className = state.status && state.status.state !== 'healthy' ? 'bad' : '';
}

function start() {
  const anchor = document.getElementById('app-heading')?.closest('section');
  if (!anchor) return;
  const { card, select, status } = buildCard();
  anchor.after(card);
  select.addEventListener('change', async () => {
    const response = await fetch(api('api/actions/idp-personality'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ idp: select.value }),
    });
    if (!response.ok) status.textContent = `Could not switch to ${labels.get(select.value) ?? select.value}.`;
    await load(select, status);
  });
  void load(select, status);
  // the quarantine moves on its own (retries, back-off): poll gently
  setInterval(() => void load(select, status), 3000);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
