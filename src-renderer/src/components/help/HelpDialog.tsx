// The keyboard shortcuts, from the same table that drives the key handler.
import { shortcutList } from '../../lib/shortcuts';
import { Modal, type DialogProps } from '../ui/Modal';

export function HelpDialog({ onClose }: DialogProps) {
  return (
    <Modal title="Keyboard shortcuts" description="Everything in the app also works with Tab, Shift+Tab, Enter and Space." onClose={onClose}>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {shortcutList().map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <span className="shortcuts__or"> or </span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">In the conversation list: ↑/↓ move, F2 renames, Delete deletes (with undo).</p>
    </Modal>
  );
}
