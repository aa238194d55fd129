// Shared helpers of the console's front-end modules (app.js and the App-card panels): element builder, status toast,
// action posting. Plain ES module, no build step (idsim issues #6 and #15). All text goes through text nodes.

export const api = (path) => new URL(path, document.baseURI).toString();

/** Creates an element with attributes and children (strings become text nodes). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** An identifier, email or URL: kept on one line, cut with an ellipsis when the column is narrow (full text on hover). */
export function id(text, tag = 'span') {
  return h(tag, { class: 'id', title: text }, text);
}

let toastTimer = null;

/** The status line: a toast over the page's bottom edge, so a long message never moves the layout. */
export function say(text, ok = true) {
  const result = document.getElementById('action-result');
  result.textContent = text;
  result.className = `toast show${ok ? '' : ' bad'}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => result.classList.remove('show'), ok ? 8000 : 15000);
}

/** POSTs a console action; answers {ok, status, json}. */
export async function postRaw(name, body = {}) {
  const response = await fetch(api(`api/actions/${name}`), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { ok: response.ok, status: response.status, json: await response.json() };
}

/** POSTs an action; on an error, says its code and message and answers null. */
export async function post(name, body = {}) {
  const { ok, status, json } = await postRaw(name, body);
  if (!ok) {
    const error = json.error ?? { code: 'error', message: `HTTP ${status}` };
    say(`${error.code}: ${error.message}`, false);
    return null;
  }
  return json;
}

const refreshers = [];

/** app.js registers how the page re-reads the state after an action. */
export function onRefresh(refresh) {
  refreshers.push(refresh);
}

export async function refresh() {
  for (const run of refreshers) await run();
}

/** Posts an action, says `describe(json)` when it succeeded, and re-renders the page. */
export async function act(name, body, describe) {
  const json = await post(name, body);
  if (json !== null && describe) say(describe(json));
  await refresh();
  return json;
}
