// Scenario lifecycle: open a fresh Target session per scenario, mark scenarios whose capability the target lacks as
// not applicable (skipped, never passed), write the transcript and close the session afterwards (design.md).
import { After, Before, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import {
  missingCapabilities,
  requiredScimFeatures,
  unsupportedScimFeatures,
} from '../conformance/applicability.ts';
import type { ResolvedTarget } from '../conformance/config.ts';
import { REFERENCE_TARGET } from '../conformance/config.ts';
import type { TargetFactory } from '../conformance/target.ts';
import { createTargetFactory } from '../conformance/targets/factory.ts';
import { writeTranscript } from '../conformance/transcript-file.ts';
import { IdsimWorld } from './world.ts';

setWorldConstructor(IdsimWorld);
setDefaultTimeout(15_000);

/**
 * One factory per worker process, built on first use. Cucumber gives hooks no per-worker context object, so this
 * cache is the one piece of module state in steps/.
 */
const factories = new Map<string, Promise<TargetFactory>>();

function factoryFor(target: ResolvedTarget): Promise<TargetFactory> {
  const key = JSON.stringify(target);
  let factory = factories.get(key);
  if (factory === undefined) {
    factory = createTargetFactory(target);
    factories.set(key, factory);
  }
  return factory;
}

Before(async function (this: IdsimWorld, { pickle }) {
  const target = this.parameters.target ?? REFERENCE_TARGET;
  const factory = await factoryFor(target);
  const tags = pickle.tags.map((tag) => tag.name);
  const missing = missingCapabilities(tags, factory.capabilities);
  if (missing.length > 0) return this.notApplicable({ missing });
  this.session = await factory.open((exchange) => this.transcript.push(exchange));
  // Optional SCIM features (etag, sort, bulk, ...) are read from the target's own ServiceProviderConfig.
  if (requiredScimFeatures(tags).length > 0) {
    const config = await (await this.scim()).request('GET', '/ServiceProviderConfig');
    if (config.status !== 200) {
      throw new Error(
        `GET /ServiceProviderConfig answered ${config.status}: cannot tell which optional features apply (RFC 7644 4)`,
      );
    }
    const unsupported = unsupportedScimFeatures(tags, config.json);
    if (unsupported !== null) return this.notApplicable(unsupported);
  }
  return undefined;
});

After(async function (this: IdsimWorld, { pickle, result }) {
  const unchecked = this.uncheckedRefusal();
  const dir = this.parameters.transcriptDir;
  if (dir !== null && dir !== undefined && this.session !== null) {
    await writeTranscript(
      dir,
      pickle.id,
      {
        scenario: pickle.name,
        uri: pickle.uri,
        tags: pickle.tags.map((tag) => tag.name),
        status: result?.status ?? 'UNKNOWN',
      },
      this.transcript,
    );
  }
  await this.simulator?.close();
  await this.session?.close();
  if (unchecked !== null && result?.status === 'PASSED') {
    throw new Error(`the target refused an action with "${unchecked}" and no step checked it`);
  }
});
