// Chooses the driver for a resolved target file: the in-process reference server, or the HTTP/adapter target.
// design.md "The target contract": the reference server is the default target; other targets never load it.
import type { ResolvedTarget } from '../config.ts';
import type { TargetFactory } from '../target.ts';
import { createHttpTargetFactory } from './http.ts';

export async function createTargetFactory(target: ResolvedTarget): Promise<TargetFactory> {
  if (target.kind === 'reference') {
    const { createReferenceTargetFactory } = await import('./reference.ts');
    return createReferenceTargetFactory(target.name);
  }
  return createHttpTargetFactory(target);
}
