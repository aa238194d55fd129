// What one SP validation costs inside node-saml, for bench:saml's report: how many times the Response is parsed into
// a DOM and how many XPath queries run (counted by wrapping the copies of @xmldom/xmldom and xpath that node-saml and
// xml-crypto themselves load), and what one parse of the same Response costs. Explains the SP ceiling.
import { createRequire } from 'node:module';

interface Wrappable {
  target: Record<string, unknown>;
  name: string;
}

type Callable = (this: unknown, ...args: unknown[]) => unknown;

/** The DOMParser prototypes and xpath modules node-saml and xml-crypto resolve (they may nest their own copies). */
function libraryHooks(): { parsers: Wrappable[]; xpaths: Wrappable[]; parserClass: new () => unknown } {
  const root = createRequire(import.meta.url);
  const fromNodeSaml = createRequire(root.resolve('@node-saml/node-saml'));
  const fromXmlCrypto = createRequire(root.resolve('xml-crypto'));
  const parsers = new Set<Record<string, unknown>>();
  const xpaths = new Set<Record<string, unknown>>();
  for (const load of [fromNodeSaml, fromXmlCrypto]) {
    const xmldom = load('@xmldom/xmldom') as { DOMParser: { prototype: Record<string, unknown> } };
    parsers.add(xmldom.DOMParser.prototype);
    xpaths.add(load('xpath') as Record<string, unknown>);
  }
  const parserClass = (fromNodeSaml('@xmldom/xmldom') as { DOMParser: new () => unknown }).DOMParser;
  return {
    parsers: [...parsers].map((target) => ({ target, name: 'parseFromString' })),
    xpaths: [...xpaths].map((target) => ({ target, name: 'select' })),
    parserClass,
  };
}

/** Replaces each function with a counting wrapper while `run` runs; returns the count. */
async function countCalls(points: Wrappable[], run: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  const originals = points.map(({ target, name }) => target[name] as Callable);
  points.forEach(({ target, name }, index) => {
    const original = originals[index] as Callable;
    target[name] = function counted(this: unknown, ...args: unknown[]) {
      calls += 1;
      return original.apply(this, args);
    };
  });
  try {
    await run();
  } finally {
    points.forEach(({ target, name }, index) => {
      target[name] = originals[index];
    });
  }
  return calls;
}

export interface NodeSamlAnatomy {
  domParsesPerValidation: number;
  xpathSelectsPerValidation: number;
  microsecondsPerDomParse: number;
  responseBytes: number;
}

/** Counts parses and XPath selects during `validateOnce` and times node-saml's own parser on `xml`. */
export async function nodeSamlAnatomy(
  xml: string,
  validateOnce: () => Promise<unknown>,
): Promise<NodeSamlAnatomy> {
  const hooks = libraryHooks();
  let xpathSelects = 0;
  const domParses = await countCalls(hooks.parsers, async () => {
    xpathSelects = await countCalls(hooks.xpaths, validateOnce);
  });
  const parse = () =>
    (new hooks.parserClass() as { parseFromString(xml: string, type: string): unknown }).parseFromString(
      xml,
      'text/xml',
    );
  for (let i = 0; i < 200; i++) parse();
  const rounds = 2000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) parse();
  return {
    domParsesPerValidation: domParses,
    xpathSelectsPerValidation: xpathSelects,
    microsecondsPerDomParse: Math.round(((performance.now() - start) * 1000) / rounds),
    responseBytes: Buffer.byteLength(xml),
  };
}
