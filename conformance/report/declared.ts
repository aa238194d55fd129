// Lists the scenarios the feature files declare, with their tags, without running them: so the matrix can tell a
// catalogue row covered only by excluded scenarios (@wip) from a row no scenario covers at all (a gap).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface DeclaredScenario {
  uri: string;
  name: string;
  /** feature, scenario and examples tags together */
  tags: string[];
}

function tagsOn(line: string): string[] {
  return line
    .trim()
    .split(/\s+/)
    .filter((word) => word.startsWith('@'));
}

/** A line-based reading of Gherkin: tags attach to the next Feature, Scenario (Outline) or Examples keyword. */
export function declaredScenarios(uri: string, text: string): DeclaredScenario[] {
  const scenarios: DeclaredScenario[] = [];
  let featureTags: string[] = [];
  let pending: string[] = [];
  let current: DeclaredScenario | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('@')) {
      pending.push(...tagsOn(line));
    } else if (line.startsWith('Feature:')) {
      featureTags = pending;
      pending = [];
    } else if (/^(Scenario|Scenario Outline|Scenario Template|Example):/.test(line)) {
      current = { uri, name: line.replace(/^[^:]+:\s*/, ''), tags: [...featureTags, ...pending] };
      scenarios.push(current);
      pending = [];
    } else if (/^(Examples|Scenarios):/.test(line) && current !== null) {
      for (const tag of pending) if (!current.tags.includes(tag)) current.tags.push(tag);
      pending = [];
    }
  }
  return scenarios;
}

async function featureFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.feature'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export async function declaredInFolder(featuresDir: string, root: string): Promise<DeclaredScenario[]> {
  const scenarios: DeclaredScenario[] = [];
  for (const file of await featureFiles(featuresDir)) {
    const uri = path.relative(root, file).split(path.sep).join('/');
    scenarios.push(...declaredScenarios(uri, await readFile(file, 'utf8')));
  }
  return scenarios;
}
