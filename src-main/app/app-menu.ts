// The application menu. Electron's default menu binds Ctrl/Cmd+R to reload and
// Ctrl/Cmd+Shift+I to devtools; the renderer uses Ctrl/Cmd+R for Regenerate, and a reload would
// drop an answer in flight. So the menu keeps only what users expect from a desktop app (edit
// commands for the clipboard, window commands, quit) and adds reload/devtools in development only.
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(platform: NodeJS.Platform, development: boolean, appName: string): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(development
        ? ([{ type: 'separator' }, { role: 'reload', accelerator: 'F5' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[])
        : []),
    ],
  };
  const window: MenuItemConstructorOptions = { role: 'windowMenu' };
  if (platform === 'darwin') {
    return [
      {
        label: appName,
        submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
      },
      edit,
      view,
      window,
    ];
  }
  return [{ label: 'File', submenu: [{ role: 'quit' }] }, edit, view, window];
}

/** Every role in a template, nested submenus included (roles carry their default accelerators). */
export function boundRoles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? boundRoles(item.submenu) : []),
  ]);
}
