// The open conversation's system prompt: instructions sent with each of its messages.
import { useState } from 'react';
import { useConversations } from '../../stores/conversations';
import { Modal, type DialogProps } from '../ui/Modal';

export function SystemPromptDialog({ onClose }: DialogProps) {
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
      title="System prompt"
      description="Instructions sent with every message of this conversation. It is encrypted like the messages."
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field__label">System prompt for “{active.title}”</span>
        <textarea rows={8} value={text} maxLength={32768} onChange={(e) => setText(e.target.value)} placeholder="For example: You are a concise assistant. Answer in British English." />
      </label>
    </Modal>
  );
}
