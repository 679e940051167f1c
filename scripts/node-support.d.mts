// Types of node-support.mjs for the TypeScript scripts and tests.
export declare const DESKTOP_NODE: string;
export declare const HEADLESS_NODE: string;
export declare const HEADLESS_COMMANDS: string;
export declare function nodeSupport(version?: string): { desktop: boolean; headless: boolean };
export declare function desktopNodeProblem(command: 'npm start' | 'npm test', version?: string): string | undefined;
