const fs = require('node:fs');
const path = require('node:path');

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
const esmPackages = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'marked',
  'd3-[a-z-]+',
  '@react-hookz',
  '@ver0',
  '@wojtekmaj/date-utils',
  'mimic-function',
  'memoize',
  'get-user-locale',
  'react-calendar',
];

// A workspace that pins its own React (the plugins do) gets that one copy everywhere, testing-library included:
// two copies of React break hooks.
function ownReact(name) {
  if (!fs.existsSync(path.join(__dirname, name, 'node_modules', 'react'))) return {};
  return { '^(react|react-dom)(/.*)?$': `<rootDir>/${name}/node_modules/$1$2` };
}

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
      ...ownReact(name),
    },
  };
}

const projects = [
  ['common', 'node'],
  ['exporter', 'node'],
  ['datasource-plugin', 'node'],
  ['panel-plugin', 'jsdom'],
  ['demo', 'node'],
  ['provisioning', 'node'],
  ['e2e', 'node'],
];

module.exports = {
  // A folder with nothing committed yet does not exist in a fresh clone: skip it rather than fail.
  projects: projects.filter(([dir]) => fs.existsSync(path.join(__dirname, dir))).map(([dir, env]) => project(dir, env)),
  maxWorkers: 2,
};
