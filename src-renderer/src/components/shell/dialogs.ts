// Every dialog the app can open, by the name `useUi().openDialog(name)` takes. A new dialog is its
// own file in its area's folder, a name in `DialogName` (stores/ui.ts) and one row here; the
// table's type makes a name without a component (or the reverse) fail to compile.
import type { ComponentType } from 'react';
import type { DialogName } from '../../stores/ui';
import { SystemPromptDialog } from '../conversation/SystemPromptDialog';
import { HelpDialog } from '../help/HelpDialog';
import { ModelsDialog } from '../models/ModelsDialog';
import { ProviderSetupDialog } from '../node/ProviderSetupDialog';
import { ServersDialog } from '../servers/ServersDialog';
import { SettingsDialog } from '../settings/SettingsDialog';
import { ChatParamsDialog } from '../steer/ChatParamsDialog';
import { PresetsDialog } from '../steer/PresetsDialog';
import type { DialogProps } from '../ui/Modal';

export const DIALOGS: Record<Exclude<DialogName, 'none'>, ComponentType<DialogProps>> = {
  settings: SettingsDialog,
  servers: ServersDialog,
  help: HelpDialog,
  'system-prompt': SystemPromptDialog,
  provider: ProviderSetupDialog,
  models: ModelsDialog,
  'steer-params': ChatParamsDialog,
  presets: PresetsDialog,
};
