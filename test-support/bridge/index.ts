// The loopback test bridge (bridge.ts) and its browser shim, shared by the e2e specs and benches.
export { startBridge, type Bridge, type BridgeOptions } from './bridge';
export { bridgeShimScript } from './shim';
