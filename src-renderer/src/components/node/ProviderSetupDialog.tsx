// First-run screen when this computer's node has no model provider yet. When no local model server
// is found, the first choice is to download a small model for the built-in engine; the test
// provider stays one click away.
import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';
import { formatBytes } from '../../../../src-shared/format/units';
import { dismissProviderSetup } from '../../lib/local-prefs';
import { smallestModel, useModels } from '../../stores/models';
import { useNode } from '../../stores/node';
import { useUi } from '../../stores/ui';
import { Modal, type DialogProps } from '../ui/Modal';
import { NodeProviderForm } from './NodeProviderForm';

function DownloadSmallModel({ first }: { first: boolean }) {
  const { t } = useTranslation('node');
  const library = useModels((s) => s.library);
  const downloadAndUse = useModels((s) => s.downloadAndUse);
  const openDialog = useUi((s) => s.openDialog);
  const model = smallestModel(library);
  if (!model) return null;
  const start = async () => {
    if (model.state === 'installed') {
      if (await useModels.getState().use(model.fileName)) {
        dismissProviderSetup();
        openDialog('none');
      }
      return;
    }
    if (model.state !== 'downloading' && !(await downloadAndUse(model.fileName))) return;
    dismissProviderSetup();
    openDialog('models');
  };
  
  return (
    <li>
      <strong>{first ? t('setup.small.first') : t('setup.small.other')}</strong> {t('setup.small.explain')}{' '}
      <button type="button" className={`btn btn--small${first ? ' btn--primary' : ''}`} onClick={() => void start()} autoFocus={first}>
        {model.state === 'installed'
          ? t('setup.small.use', { name: model.name })
          : model.sizeBytes !== undefined
            ? t('setup.small.downloadSize', { size: formatBytes(model.sizeBytes) })
            : t('setup.small.download')}
      </button>{' '}
      <span className="hint">
        {model.name}
        {model.licence && `, ${model.licence.name}`}. {t('setup.small.after')}
      </span>
    </li>
  );
}

export function ProviderSetupDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('node');
  const setUp = useNode((s) => s.setUp);
  const detected = useNode((s) => s.detected);
  const detecting = useNode((s) => s.detecting);
  const detect = useNode((s) => s.detect);
  const loadModels = useModels((s) => s.load);
  useEffect(() => {
    if (!detected && !detecting) void detect();
    void loadModels();
  }, [detected, detecting, detect, loadModels]);
  const close = () => {
    dismissProviderSetup();
    onClose();
  };
  const tryTest = async () => {
    if (await setUp({ provider: 'test', model: 'test-model' })) close();
  };
  const noLocalServer = detected !== undefined && detected.length === 0;
  return (
    <Modal
      title={t('setup.title')}
      description={t('setup.explain')}
      onClose={close}
      wide
      footer={
        <button type="button" className="btn btn--ghost" onClick={close}>
          {t('setup.skip')}
        </button>
      }
    >
      <ol className="setup-steps">
        {noLocalServer && <DownloadSmallModel first />}
        <li>
          <strong>{t('setup.local.title')}</strong> {t('setup.local.explain')}
        </li>
        <li>
          <strong>{t('setup.hosted.title')}</strong> {t('setup.hosted.explain')}
        </li>
        {!noLocalServer && <DownloadSmallModel first={false} />}
        <li>
          <strong>{t('setup.test.title')}</strong>{' '}
          <button type="button" className="btn btn--small" onClick={() => void tryTest()}>
            {t('setup.test.use')}
          </button>{' '}
          <span className="hint">{t('setup.test.explain')}</span>
        </li>
      </ol>
      <NodeProviderForm onSaved={close} />
    </Modal>
  );
}
