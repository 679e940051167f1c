// The specs' name for the test bridge, which lives in test-support/bridge (benches start it too).
export { startBridge, bridgeShimScript, type Bridge, type BridgeOptions } from '../../test-support/bridge';
