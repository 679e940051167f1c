// The app's sets of names, each declared once as a zod enum with its type derived. Import them
// from here (`src-shared/vocabulary`); type a label map by its set (`Record<LocalNodeState, string>`)
// so that a new name fails to compile until every map has words for it.
export * from './app';
export * from './attachments';
export * from './chat';
export * from './context-tiers';
export * from './encryption';
export * from './host-states';
export * from './local-models';
export * from './providers';
export * from './servers';
export * from './workspace';
