// The model library: small chat models to download for the built-in engine, what is in the
// models folder, downloads with their progress, and adding a model by address or from a file.
import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';
import { formatBytes } from '../../../../src-shared/format/units';
import { useModels } from '../../stores/models';
import { Modal, type DialogProps } from '../ui/Modal';
import { Panel } from '../ui/Panel';
import { AddModelForm } from './AddModelForm';
import { ModelRow } from './ModelRow';

export function ModelsDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('models');
  const library = useModels((s) => s.library);
  const load = useModels((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Modal
      title={t('title')}
      description={t('explain')}
      onClose={onClose}
      wide
    >
      <Panel title={t('library')}>
        {!library && <p className="hint">{t('reading')}</p>}
        {library && (
          <ul className="model-list" aria-label={t('title')}>
            {library.models.map((m) => (
              <ModelRow key={m.fileName} model={m} />
            ))}
          </ul>
        )}
        {library?.freeBytes !== undefined && <p className="hint">{t('free', { size: formatBytes(library.freeBytes) })}</p>}
      </Panel>
      <Panel title={t('add.title')}>
        <AddModelForm />
      </Panel>
    </Modal>
  );
}
