// Electron glue for the tray icon (opt-in, setting `trayEnabled`): shows it while the setting is
// on, with the menu and tooltip tray-menu.ts makes from this computer's node status, and hands
// the chosen action to the app, in the user's language (setWords). Nothing here decides anything.
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import { DESKTOP_WORDS, type DesktopWords } from '../../src-shared/i18n/desktop-words';
import type { LocalNodeStatus } from '../../src-shared/ipc/contract';
import { trayMenuTemplate, trayTooltip, type TrayAction, type TrayMenuItem } from './tray-menu';

/** A 32×32 ring around a dot, black on transparent (a template image on macOS, which tints it). */
const TRAY_ICON_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAcUlEQVR42u1XWwoAIAjr/pe2EwQ6ZhuW4J+5QT7mWt9qFkmXAdOJBMml4BCJaHIKePd72j9CedjVXM7X0UrpnFW2aNwxPguOFNkcAmi/fwJzCLzXBVcHkXwUWywj+Tq2ECRySWYhSi1kucVhYnOazbUNRRrCTGUH1oQAAAAASUVORK5CYII=';

export interface AppTrayDeps {
  Tray: new (image: NativeImage) => Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: { createFromDataURL(url: string): NativeImage };
  platform: NodeJS.Platform;
  act(action: TrayAction): void;
}

export function electronTrayMenu(items: TrayMenuItem[], act: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'status') return { label: item.label, enabled: false };
    return { label: item.label, enabled: item.enabled, click: () => act(item.action) };
  });
}

export class AppTray {
  private tray: Tray | null = null;
  private status: LocalNodeStatus | undefined;
  // English until main has read the language setting (main.ts applyDesktopSettings).
  private words: DesktopWords = DESKTOP_WORDS.en;

  constructor(private readonly deps: AppTrayDeps) {}

  get shown(): boolean {
    return this.tray !== null;
  }

  setEnabled(enabled: boolean): void {
    if (enabled && !this.tray) {
      const icon = this.deps.nativeImage.createFromDataURL(TRAY_ICON_PNG);
      if (this.deps.platform === 'darwin') icon.setTemplateImage(true);
      this.tray = new this.deps.Tray(icon);
      // Linux ignores clicks on the icon itself when it has a menu; elsewhere a click opens the window.
      this.tray.on('click', () => this.deps.act('open'));
      this.render();
    } else if (!enabled && this.tray) {
      this.tray.destroy();
      this.tray = null;
    }
  }

  setStatus(status: LocalNodeStatus): void {
    this.status = status;
    this.render();
  }

  /** The user's language changed: the menu and tooltip follow at once. */
  setWords(words: DesktopWords): void {
    if (words === this.words) return;
    this.words = words;
    this.render();
  }

  private render(): void {
    if (!this.tray) return;
    this.tray.setToolTip(trayTooltip(this.status, this.words));
    this.tray.setContextMenu(this.deps.Menu.buildFromTemplate(electronTrayMenu(trayMenuTemplate(this.status, this.words), this.deps.act)));
  }

  destroy(): void {
    this.setEnabled(false);
  }
}
