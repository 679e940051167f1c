// The model library: small chat models to download for the built-in engine, what is in the
// models folder, downloads with their progress, and adding a model by address or from a file.
import { useEffect } from 'react';
import { formatBytes } from '../../../../src-shared/format/units';
import { useModels } from '../../stores/models';
import { Modal, type DialogProps } from '../ui/Modal';
import { Panel } from '../ui/Panel';
import { AddModelForm } from './AddModelForm';
import { ModelRow } from './ModelRow';

export function ModelsDialog({ onClose }: DialogProps) {
  const library = useModels((s) => s.library);
  const load = useModels((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Modal
      title="Models"
      description="Models the built-in engine runs on this computer. Downloads are checked against their published checksum and kept in the app’s data folder."
      onClose={onClose}
      wide
    >
      <Panel title="Library">
        {!library && <p className="hint">Reading the models folder…</p>}
        {library && (
          <ul className="model-list" aria-label="Models">
            {library.models.map((m) => (
              <ModelRow key={m.fileName} model={m} />
            ))}
          </ul>
        )}
        {library?.freeBytes !== undefined && <p className="hint">{formatBytes(library.freeBytes)} free on this disk.</p>}
      </Panel>
      <Panel title="Add a model">
        <AddModelForm />
      </Panel>
    </Modal>
  );
}
