// First-run screen when this computer's node has no model provider yet. When no local model server
// is found, the first choice is to download a small model for the built-in engine; the test
// provider stays one click away.
import { useEffect } from 'react';
import { formatBytes } from '../../../../src-shared/format/units';
import { dismissProviderSetup } from '../../lib/local-prefs';
import { smallestModel, useModels } from '../../stores/models';
import { useNode } from '../../stores/node';
import { useUi } from '../../stores/ui';
import { Modal, type DialogProps } from '../ui/Modal';
import { NodeProviderForm } from './NodeProviderForm';

function DownloadSmallModel({ first }: { first: boolean }) {
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
  const size = model.sizeBytes !== undefined ? ` (${formatBytes(model.sizeBytes)})` : '';
  return (
    <li>
      <strong>{first ? 'Nothing to set up.' : 'Or a model of your own.'}</strong> The built-in engine runs a small open model on this
      computer.{' '}
      <button type="button" className={`btn btn--small${first ? ' btn--primary' : ''}`} onClick={() => void start()} autoFocus={first}>
        {model.state === 'installed' ? `Use ${model.name}` : `Download a small model${size}`}
      </button>{' '}
      <span className="hint">
        {model.name}
        {model.licence && `, ${model.licence.name}`}. It is used as soon as it has downloaded.
      </span>
    </li>
  );
}

export function ProviderSetupDialog({ onClose }: DialogProps) {
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
      title="Connect a model to this computer’s node"
      description="This app runs its own relay and compute node. The node needs a model to answer with. Choose one of these; you can change it later in Servers or Models."
      onClose={close}
      wide
      footer={
        <button type="button" className="btn btn--ghost" onClick={close}>
          Skip: I’ll use another server
        </button>
      }
    >
      <ol className="setup-steps">
        {noLocalServer && <DownloadSmallModel first />}
        <li>
          <strong>A model server on this computer.</strong> Run Ollama or LM Studio’s local server; it is found automatically at
          its usual address.
        </li>
        <li>
          <strong>A hosted model.</strong> Enter an OpenAI-compatible address or an Anthropic API key below.
        </li>
        {!noLocalServer && <DownloadSmallModel first={false} />}
        <li>
          <strong>Just looking?</strong>{' '}
          <button type="button" className="btn btn--small" onClick={() => void tryTest()}>
            Use the test provider
          </button>{' '}
          <span className="hint">Canned answers, for trying the app only.</span>
        </li>
      </ol>
      <NodeProviderForm onSaved={close} />
    </Modal>
  );
}
