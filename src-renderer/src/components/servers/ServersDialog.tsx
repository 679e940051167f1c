// Server switcher: relay servers (health, latency, nodes; add, edit, remove), the built-in relay,
// and this computer's compute node.
import { useTranslation } from 'react-i18next';
import { LocalNodePanel } from '../node/LocalNodePanel';
import { Modal, type DialogProps } from '../ui/Modal';
import { EmbeddedRelayPanel } from './EmbeddedRelayPanel';
import { ServerListPanel } from './ServerListPanel';

export function ServersDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('servers');
  return (
    <Modal title={t('title')} description={t('explain')} onClose={onClose} wide>
      <ServerListPanel />
      <EmbeddedRelayPanel />
      <LocalNodePanel />
    </Modal>
  );
}
