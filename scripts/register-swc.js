// Lets `node -r ./scripts/register-swc.js file.ts` run TypeScript (benchmarks, tools) without a build step.
const { transformSync } = require('@swc/core');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const commonSrc = path.join(__dirname, '..', 'common', 'src');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@timescope/common') return path.join(commonSrc, 'index.ts');
  // a subpath of common (`@timescope/common/standins`) from its source too, so that nothing needs a build first
  const sub = /^@timescope\/common\/([a-z]+)$/.exec(request);
  if (sub && fs.existsSync(path.join(commonSrc, sub[1], 'index.ts'))) return path.join(commonSrc, sub[1], 'index.ts');
  return resolve.call(this, request, ...rest);
};

for (const ext of ['.ts', '.tsx']) {
  require.extensions[ext] = (mod, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript', tsx: ext === '.tsx' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    });
    mod._compile(code, filename);
  };
}
