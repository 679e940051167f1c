// The icon-only copy button of a message row (a question or an answer).
import { CopyButton } from '../ui/CopyButton';

export function CopyMessageButton({ text }: { text: string }) {
  return <CopyButton text={text} label="Copy message" copiedLabel="Copied" className="icon-btn" iconSize={15} title="Copy" />;
}
