// RelayHost / NodeHost as agreed in API.md (the backend owns them; these mirror its shapes
// structurally until src-main/backend exports them).
export interface RelayHost {
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
  url(): string | undefined;
  nodeCount(): Promise<number>;
  onCrash(listener: (error: Error) => void): () => void;
}
export interface NodeHostConfig {
  relayUrl: string;
  provider: 'openai-compatible' | 'anthropic' | 'test';
  baseUrl?: string;
  apiKey?: string;
  model: string;
}
export interface NodeHostStatus {
  state: string;
  fingerprint?: string;
  inFlight: number;
  served: number;
  error?: string;
}
export interface NodeHost {
  start(cfg: NodeHostConfig): Promise<void>;
  stop(): Promise<void>;
  status(): NodeHostStatus;
  onStatus(listener: (s: NodeHostStatus) => void): () => void;
  onCrash(listener: (error: Error) => void): () => void;
}
