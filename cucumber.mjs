// Direct cucumber-js runs (`npx cucumber-js`) against the reference server; `idsim conformance` is the full runner
// (reports, matrix, target files). Scenarios still waiting for a dependency carry @wip and are left out.
export default {
  paths: ['features/**/*.feature'],
  import: ['steps/**/*.ts'],
  tags: 'not @wip',
  format: ['progress'],
};
