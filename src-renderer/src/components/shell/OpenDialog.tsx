// The dialog that is open now (one at a time), from the dialog table.
import { useUi } from '../../stores/ui';
import { DIALOGS } from './dialogs';

export function OpenDialog() {
  const dialog = useUi((s) => s.dialog);
  const close = useUi((s) => s.closeDialog);
  if (dialog === 'none') return null;
  const Dialog = DIALOGS[dialog];
  return <Dialog onClose={close} />;
}
