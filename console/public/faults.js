// The console's Faults panel (idsim issue #11): the SAML fault catalogue by family, each with its explanation;
// picking one arms the next sign-in to the app, and faulty Responses are marked on the timeline with their diff.

const STYLE = `
#faults-panel details.family > summary { cursor: pointer; font-weight: 600; margin: 4px 0; }
#faults-panel ul { list-style: none; padding-left: 0; margin: 4px 0 8px; }
#faults-panel li { border-top: 1px solid rgba(127,127,127,.25); padding: 4px 0; }
#faults-panel li.armed { outline: 2px solid #c8590b; outline-offset: 2px; }
#faults-panel .expected { font-size: 12px; opacity: .8; }
#faults-panel .fault-help { font-size: 13px; margin: 4px 0; }
#faults-armed { font-weight: 600; }
li[data-fault] > details > summary { color: #b3261e; }
pre.fault-diff .add { background: rgba(31,138,76,.18); display: block; }
pre.fault-diff .del { background: rgba(179,38,30,.18); display: block; }
`;

/** Mounts the panel into #faults-panel; `helpers` are the console's own h(), post() and say(). */
export async function mountFaultsPanel(helpers) {
  const { api, h, post, say } = helpers;
  const container = document.getElementById('faults-panel');
  if (container === null) return;
  document.head.append(h('style', {}, STYLE));
  const catalogue = await fetch(api('api/faults'), { headers: { Accept: 'application/json' } }).then((r) =>
    r.json(),
  );

  const status = h('p', { id: 'faults-armed', role: 'status' });
  const victim = h('input', { id: 'fault-victim', type: 'email', placeholder: 'victim email (optional)' });
  const disarm = h('button', { type: 'button', id: 'fault-disarm' }, 'Disarm');

  const showArmed = (armed) => {
    const id = armed?.fault?.fault ?? null;
    status.textContent =
      id === null
        ? 'No fault armed: the next sign-in is genuine.'
        : `Armed: the next sign-in to the app carries the fault ${id}.`;
    for (const item of container.querySelectorAll('li[data-fault-id]'))
      item.classList.toggle('armed', item.dataset.faultId === id);
    disarm.disabled = id === null;
  };

  const arm = async (fault) => {
    const body =
      victim.value.trim() === '' ? { fault: fault.id } : { fault: fault.id, victim: victim.value.trim() };
    const json = await post('fault-arm', body);
    if (json !== null) {
      showArmed(json.armed);
      say(`Next sign-in carries ${fault.id}: ${fault.title}`);
    }
  };
  disarm.addEventListener('click', async () => {
    const json = await post('fault-disarm', {});
    if (json !== null) showArmed(json.armed);
  });

  const families = catalogue.families.map((family) => {
    const faults = catalogue.faults.filter((f) => f.family === family.id);
    return h(
      'details',
      { class: 'family', 'data-family': family.id },
      h('summary', {}, `${family.title} (${faults.length})`),
      h('p', { class: 'fault-help' }, family.summary),
      h(
        'ul',
        {},
        ...faults.map((fault) =>
          h(
            'li',
            { 'data-fault-id': fault.id },
            h('button', { type: 'button', 'data-arm': fault.id, onclick: () => arm(fault) }, 'Arm'),
            ' ',
            h('strong', {}, fault.title),
            ' ',
            h('code', {}, fault.id),
            h(
              'div',
              { class: 'expected' },
              fault.expected === 'refuse'
                ? 'a sound SP refuses it'
                : 'a sound SP accepts it only as the signed identity',
            ),
            h(
              'details',
              {},
              h('summary', {}, 'Why'),
              h('p', { class: 'fault-help' }, fault.explanation),
              h('p', { class: 'fault-help' }, fault.references.map((r) => r.label).join(' · ')),
            ),
          ),
        ),
      ),
    );
  });
  container.replaceChildren(
    h(
      'p',
      { class: 'fault-help' },
      `${catalogue.faults.length} documented attacks and mistakes. Arm one, then sign someone in: that one Response carries it.`,
    ),
    status,
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'fault-victim' }, 'Aim forged identities at '),
      victim,
      disarm,
    ),
    ...families,
  );
  showArmed(catalogue.armed);
}

/** Marks a timeline item that shows a faulty Response and adds its diff against the genuine Response. */
export function decorateTimelineItem(item, entry, h) {
  if (entry.kind !== 'saml' || entry.fault === undefined) return;
  item.dataset.fault = entry.fault.id;
  // the fault was one shot: once its Response is on the timeline, nothing is armed any more
  const status = document.getElementById('faults-armed');
  if (status?.textContent.includes(entry.fault.id)) {
    status.textContent = `Sent ${entry.fault.id}; no fault armed: the next sign-in is genuine.`;
    for (const armed of document.querySelectorAll('#faults-panel li.armed')) armed.classList.remove('armed');
  }
  const details = item.querySelector('details');
  const lines = entry.fault.diff.filter(
    (line, i, all) => line.op !== ' ' || all[i - 1]?.op !== ' ' || all[i + 1]?.op !== ' ',
  );
  details?.append(
    h('h4', {}, `Fault ${entry.fault.id}: ${entry.fault.title}`),
    h(
      'p',
      {},
      entry.fault.expected === 'refuse'
        ? 'A sound SP refuses this Response.'
        : 'A sound SP accepts it only as the identity the IdP signed.',
    ),
    h('h4', {}, 'Diff against the genuine Response (− genuine, + sent)'),
    h(
      'pre',
      { class: 'fault-diff' },
      ...lines.map((line) =>
        h(
          'span',
          { class: line.op === '+' ? 'add' : line.op === '-' ? 'del' : 'ctx' },
          `${line.op} ${line.text}\n`,
        ),
      ),
    ),
  );
}
