#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs');
require('../src-main/node/cli.ts');
