// One jest run over every workspace; each workspace is a project with its own environment.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
// ESM-only packages that jest must transform to CommonJS.
const esmPackages = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose'];

function project(name, testEnvironment, roots = [`<rootDir>/${name}`]) {
  return {
    displayName: name,
    testEnvironment,
    roots,
    testMatch: ['**/*.test.ts', '**/*.test.tsx'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform: { '^.+\\.(t|j|mj)sx?$': swc },
    transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
    moduleNameMapper: {
      '^@timescope/common$': '<rootDir>/common/src/index.ts',
      '^@timescope/common/(.*)$': '<rootDir>/common/src/$1',
      '\\.(css|svg|png)$': '<rootDir>/scripts/jest-file-stub.js',
    },
  };
}

module.exports = {
  projects: [
    project('common', 'node'),
    project('exporter', 'node'),
    project('datasource-plugin', 'node'),
    project('panel-plugin', 'jsdom'),
    project('demo', 'node'),
    project('provisioning', 'node'),
    project('e2e', 'node'),
  ],
  maxWorkers: 2,
};
