#!/usr/bin/env node
// The `timescope-exporter` command. npm links a package's bin only if the file exists when it installs, and dist/
// is built after `npm ci`: so the bin is this committed launcher, which runs the built CLI (dist/cli.js) or says
// how to build it.
'use strict';
const { existsSync } = require('node:fs');
const { join, relative } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `timescope-exporter: not built yet (${relative(process.cwd(), cli) || cli} is missing); run \`npm run build\` in the repository first\n`,
  );
  process.exit(1);
}
require(cli).main();
