// What the Electron shell shares with the test side: the e2e static server serves the renderer
// build under the app's own Content-Security-Policy and content types. The shell itself starts
// from main.ts (and utility/*-process.ts); nothing in src-main imports this layer.
export { CONTENT_SECURITY_POLICY } from './csp';
export { mimeTypeFor } from './mime-types';
