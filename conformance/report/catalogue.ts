// Reads the behaviour catalogue (../shared/spec/catalogue.md): one row per ID with its behaviour and section.
// The conformance matrix (design.md "Reports") has one line per row; rows no scenario covers show as gaps.
import { readFile } from 'node:fs/promises';

export interface CatalogueRow {
  id: string;
  section: string;
  behaviour: string;
  decision: string;
}

/** Catalogue IDs look like JIT-01, KEY-02, ... */
export const CATALOGUE_ID = /^[A-Z]{3}-\d{2}$/;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

export function parseCatalogue(markdown: string): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      continue;
    }
    if (!line.trim().startsWith('|')) continue;
    const [id, behaviour, , decision] = cells(line);
    if (id === undefined || !CATALOGUE_ID.test(id)) continue;
    rows.push({ id, section, behaviour: behaviour ?? '', decision: decision ?? '' });
  }
  return rows;
}

/** Rows derived from scenario tags alone, for runs without a catalogue file. */
export function rowsFromTags(tags: Iterable<string>): CatalogueRow[] {
  const ids = new Set<string>();
  for (const tag of tags) {
    const id = tag.replace(/^@/, '');
    if (CATALOGUE_ID.test(id)) ids.add(id);
  }
  return [...ids].sort().map((id) => ({ id, section: id.slice(0, 3), behaviour: '', decision: '' }));
}

/** null when the file is absent: the caller then falls back to rowsFromTags. */
export async function loadCatalogue(file: string): Promise<CatalogueRow[] | null> {
  try {
    return parseCatalogue(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
