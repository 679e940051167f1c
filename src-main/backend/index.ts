export { createBackend } from './backend';
export { IpcFailure, toIpcFailure } from './errors';
export type { Backend, BackendDeps, DetectTarget, Emit, NodeHost, NodeHostConfig, NodeHostStatus, RelayHost, SecretStore } from './types';
