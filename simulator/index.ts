// Public exports of the simulator (an Okta-like IdP): directory, SAML IdP, headless sign-in and the HTTP factory.
// idsim issue #3; the simulator never imports server/.

export type { ResolvedSimulatorConfig, SimulatorConfig } from './config.ts';
export { resolveSimulatorConfig, SIMULATOR_DEFAULTS } from './config.ts';
export * from './directory/index.ts';
export type { SimulatorHandle } from './http/simulator.ts';
export { createSimulator } from './http/simulator.ts';
export * from './saml/index.ts';
