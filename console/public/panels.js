// App-card panels: other console modules (faults.js, oidc.js, personalities.js, ...) add a panel to the IdP's App
// card without touching app.js's layout. A panel renders from the console state on every refresh (idsim issue #15).
//
//   import { registerAppPanel } from './panels.js';
//   registerAppPanel({ id: 'faults', title: 'SAML faults', render: (state, kit) => [kit.h('p', {}, '...')] });
//
// and one line in index.html: <script type="module" src="faults.js"></script>. `kit` is ./kit.js (h, id, say, post,
// act, refresh). The panel gets <section class="card panel" data-panel="{id}"> with an h4 heading inside #app-panels.
import * as kit from './kit.js';

const panels = new Map();
let lastState = null;

function sectionOf(panel) {
  const container = document.getElementById('app-panels');
  let section = container.querySelector(`[data-panel="${CSS.escape(panel.id)}"]`);
  if (section === null) {
    const headingId = `panel-${panel.id}-heading`;
    section = kit.h(
      'section',
      { class: 'panel', 'data-panel': panel.id, 'aria-labelledby': headingId },
      kit.h('h4', { id: headingId }, panel.title),
      kit.h('div', { class: 'panel-body' }),
    );
    container.append(section);
  }
  return section;
}

function renderPanel(panel, state) {
  const body = sectionOf(panel).querySelector('.panel-body');
  try {
    const nodes = panel.render(state, kit);
    if (nodes !== undefined) body.replaceChildren(...[nodes].flat().filter(Boolean));
  } catch (error) {
    body.replaceChildren(kit.h('p', { class: 'bad' }, `${panel.title} failed to render: ${error.message}`));
  }
}

/** Adds (or replaces) a panel; it renders at once when the state is already known. */
export function registerAppPanel(panel) {
  if (typeof panel?.id !== 'string' || typeof panel.render !== 'function')
    throw new TypeError('a panel needs an id and a render(state, kit) function');
  panels.set(panel.id, { title: panel.id, ...panel });
  if (lastState !== null) renderPanel(panels.get(panel.id), lastState);
}

/** Called by app.js on every render. */
export function renderAppPanels(state) {
  lastState = state;
  for (const panel of panels.values()) renderPanel(panel, state);
}
