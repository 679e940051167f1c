// Server switcher: relay servers (health, latency, nodes; add, edit, remove), the built-in relay,
// and this computer's compute node.
import { LocalNodePanel } from '../node/LocalNodePanel';
import { Modal, type DialogProps } from '../ui/Modal';
import { EmbeddedRelayPanel } from './EmbeddedRelayPanel';
import { ServerListPanel } from './ServerListPanel';

export function ServersDialog({ onClose }: DialogProps) {
  return (
    <Modal title="Servers" description="Choose the relay your messages travel through, and run this computer’s own relay and node." onClose={onClose} wide>
      <ServerListPanel />
      <EmbeddedRelayPanel />
      <LocalNodePanel />
    </Modal>
  );
}
