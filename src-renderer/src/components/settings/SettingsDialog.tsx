// Settings: appearance, the local OpenAI-compatible gateway, export/import and clearing history.
import { useTranslation } from 'react-i18next';
import { Modal, type DialogProps } from '../ui/Modal';
import { AboutPanel } from './AboutPanel';
import { AppearancePanel } from './AppearancePanel';
import { DesktopPanel } from './DesktopPanel';
import { GatewayPanel } from './GatewayPanel';
import { HistoryPanel } from './HistoryPanel';

export function SettingsDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('settings');
  return (
    <Modal title={t('title')} onClose={onClose} wide>
      <AppearancePanel />
      <DesktopPanel />
      <GatewayPanel />
      <HistoryPanel />
      <AboutPanel />
    </Modal>
  );
}
