export { startBridge, type Bridge, type BridgeOptions } from './bridge';
export { bridgeShimScript } from './shim';
