export { createBackend } from './backend';
export { IpcFailure, toIpcFailure } from './errors';
export { createInProcessNodeHost, createInProcessRelayHost, type InProcessNodeHost, type InProcessNodeHostOptions, type InProcessRelayHost } from './in-process-hosts';
export type { Backend, BackendDeps, DetectTarget, Emit, NodeHost, NodeHostConfig, NodeHostStatus, RelayHost, SecretStore } from './types';
