// First-run screen when this computer's node has no model provider yet.
import { dismissProviderSetup } from '../../lib/local-prefs';
import { useNode } from '../../stores/node';
import { Modal, type DialogProps } from '../ui/Modal';
import { NodeProviderForm } from './NodeProviderForm';

export function ProviderSetupDialog({ onClose }: DialogProps) {
  const setUp = useNode((s) => s.setUp);
  const close = () => {
    dismissProviderSetup();
    onClose();
  };
  const tryTest = async () => {
    if (await setUp({ provider: 'test', model: 'test-model' })) close();
  };
  return (
    <Modal
      title="Connect a model to this computer’s node"
      description="This app runs its own relay and compute node. The node needs a model to answer with. Choose one of these; you can change it later in Servers."
      onClose={close}
      wide
      footer={
        <button type="button" className="btn btn--ghost" onClick={close}>
          Skip: I’ll use another server
        </button>
      }
    >
      <ol className="setup-steps">
        <li>
          <strong>A model on this computer.</strong> Run Ollama or LM Studio’s local server; it is found automatically at
          its usual address.
        </li>
        <li>
          <strong>A hosted model.</strong> Enter an OpenAI-compatible address or an Anthropic API key below.
        </li>
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
