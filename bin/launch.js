// What every bin does: run its CLI's entry file in src-main (each entry hands the process to
// its program with cli-flags' runBin). The one place that decides how the sources are run:
// TypeScript through tsx today.
/* eslint-disable @typescript-eslint/no-require-imports */
const { join } = require('node:path');

module.exports = function launch(entry) {
  require('tsx/cjs');
  require(join(__dirname, '..', 'src-main', `${entry}.ts`));
};
