// Where a faulty Response differs from its genuine one: element paths for tests, and a line diff for people.
// idsim issue #11 ("the faulty one differs exactly where intended"; the console's diff against the genuine one).

import type { Document, Element, Node } from '@xmldom/xmldom';
import { parseXml, root, serialize } from './xml-kit.ts';

function childElements(element: Element): Element[] {
  const out: Element[] = [];
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1) out.push(node as Element);
  }
  return out;
}

/** The element's own character content: text, CDATA and comments, as written. */
function ownContent(element: Element): string {
  let out = '';
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== 1) out += serialize(node as unknown as Element);
  }
  return out;
}

function attributes(element: Element): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < element.attributes.length; i += 1) {
    const attribute = element.attributes.item(i);
    if (attribute !== null) map.set(attribute.name, attribute.value);
  }
  return map;
}

function compare(a: Element, b: Element, path: string, out: string[]): void {
  const left = attributes(a);
  const right = attributes(b);
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    if (left.get(name) !== right.get(name)) out.push(`${path}@${name}`);
  }
  if (ownContent(a) !== ownContent(b)) out.push(`${path}#text`);
  const aChildren = childElements(a);
  const bChildren = childElements(b);
  const names = (list: Element[]): string => list.map((e) => `${e.namespaceURI}|${e.localName}`).join(',');
  if (names(aChildren) !== names(bChildren)) {
    out.push(`${path}/*`);
    return;
  }
  aChildren.forEach((child, i) => {
    const other = bChildren[i];
    if (other !== undefined) compare(child, other, `${path}/${child.localName}`, out);
  });
}

/**
 * Element paths (local names from the root) where two documents differ: `Path@attr` for an attribute,
 * `Path#text` for character content, `Path/*` when the child elements themselves differ.
 */
export function structuralDiff(genuine: Document, faulty: Document): string[] {
  const out: string[] = [];
  const a = root(genuine);
  const b = root(faulty);
  if (a.localName !== b.localName) return [`${a.localName}/*`];
  compare(a, b, a.localName ?? '', out);
  return out;
}

/** Whether every difference lies under one of the fault's declared paths. */
export function withinTouches(differences: readonly string[], touches: readonly string[]): string[] {
  if (touches.includes('*')) return [];
  return differences.filter(
    (d) =>
      !touches.some(
        (t) =>
          d === t ||
          d.startsWith(`${t}/`) ||
          d.startsWith(`${t}@`) ||
          d.startsWith(`${t}#`) ||
          (t.endsWith('/*') && d.startsWith(t.slice(0, -1))),
      ),
  );
}

/** One element or text per line, for a readable diff (no reformatting of character content). */
export function prettyLines(xml: string): string[] {
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch {
    return xml.split(/(?=<)/);
  }
  const lines: string[] = [];
  const walk = (element: Element, depth: number): void => {
    const pad = '  '.repeat(depth);
    const attrs = [...attributes(element)].map(([k, v]) => ` ${k}="${v}"`).join('');
    const kids = childElements(element);
    const content = ownContent(element);
    if (kids.length === 0) {
      lines.push(`${pad}<${element.tagName}${attrs}>${content}</${element.tagName}>`);
      return;
    }
    lines.push(`${pad}<${element.tagName}${attrs}>${content.trim() === '' ? '' : content}`);
    for (const kid of kids) walk(kid, depth + 1);
    lines.push(`${pad}</${element.tagName}>`);
  };
  walk(root(doc), 0);
  return lines;
}

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** A line diff (LCS) of the two Responses, pretty-printed. */
export function lineDiff(genuineXml: string, faultyXml: string): DiffLine[] {
  const a = prettyLines(genuineXml);
  const b = prettyLines(faultyXml);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] ?? '' });
      i += 1;
      j += 1;
    } else if ((lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)) {
      out.push({ op: '-', text: a[i] ?? '' });
      i += 1;
    } else {
      out.push({ op: '+', text: b[j] ?? '' });
      j += 1;
    }
  }
  for (; i < n; i += 1) out.push({ op: '-', text: a[i] ?? '' });
  for (; j < m; j += 1) out.push({ op: '+', text: b[j] ?? '' });
  return out;
}
