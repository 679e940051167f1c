// The open conversation's system prompt: instructions sent with each of its messages.
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { useConversations } from '../../stores/conversations';
import { Modal, type DialogProps } from '../ui/Modal';
import { DialogActions } from '../ui/FormActions';

export function SystemPromptDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('chat');
  const active = useConversations((s) => s.active);
  const update = useConversations((s) => s.update);
  const [text, setText] = useState(active?.systemPrompt ?? '');
  if (!active) return null;
  const save = async () => {
    await update({ systemPrompt: text });
    onClose();
  };
  return (
    <Modal
      title={t('prompt.title')}
      description={t('prompt.explain')}
      onClose={onClose}
      footer={
        <DialogActions onCancel={onClose} onPrimary={() => void save()} />
      }
    >
      <label className="field">
        <span className="field__label">{t('prompt.field', { title: active.title })}</span>
        <textarea rows={8} value={text} maxLength={32768} onChange={(e) => setText(e.target.value)} placeholder={t('prompt.placeholder')} />
      </label>
    </Modal>
  );
}
