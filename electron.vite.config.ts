// electron-vite looks for this file name (it refuses `vite.config.ts`); the config itself lives in
// vite.config.ts, which the e2e renderer build also reads.
export { default } from './vite.config';
