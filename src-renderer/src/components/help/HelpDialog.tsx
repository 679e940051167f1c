// The keyboard shortcuts, from the same table that drives the key handler.
import { useTranslation } from 'react-i18next';
import { shortcutList } from '../../lib/shortcuts';
import { Modal, type DialogProps } from '../ui/Modal';

export function HelpDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('help');
  return (
    <Modal title={t('title')} description={t('explain')} onClose={onClose}>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('keys')}</th>
            <th scope="col">{t('what')}</th>
          </tr>
        </thead>
        <tbody>
          {shortcutList().map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <span className="shortcuts__or"> {t('or')} </span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('list')}</p>
    </Modal>
  );
}
