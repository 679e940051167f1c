#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports */
require('./launch.js')('client/gateway-cli');
