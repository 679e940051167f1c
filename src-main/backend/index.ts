export { createBackend } from './backend';
export { IpcFailure, NodeSettingsError } from './errors';
/** A RelayHost outside this folder (the app's relay utility process) makes its launch secret with this (§12). */
export { generateLaunchSecret } from '../relay';
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
  type RelayAccess,
  type RelayHost,
  type SecretStore,
} from './types';
