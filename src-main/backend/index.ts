export { createBackend } from './backend';
export { IpcFailure, NodeSettingsError } from './errors';
export { createInProcessNodeHost, createInProcessRelayHost, type InProcessNodeHostOptions } from './in-process-hosts';
export {
  NodeHostConfigSchema,
  NodeHostStatusSchema,
  type Backend,
  type BackendDeps,
  type DetectTarget,
  type Emit,
  type NodeHost,
  type NodeHostConfig,
  type NodeHostStatus,
  type RelayHost,
  type SecretStore,
} from './types';
