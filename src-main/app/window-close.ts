// What closing the main window means. With the tray icon on (setting `trayEnabled`) it only hides
// the window: the backend, its relay and this computer's node keep running until Quit (the tray's
// item, the app menu, or the OS logging out). Without it, closing is closing, as before.

export interface CloseContext {
  trayEnabled: boolean;
  /** The app is quitting (before-quit came): the window must really close. */
  quitting: boolean;
}

export function closeAction(context: CloseContext): 'hide' | 'close' {
  return context.trayEnabled && !context.quitting ? 'hide' : 'close';
}

/**
 * Whether the app quits once its last window closed: not on macOS (apps stay in the dock there),
 * and not while the tray keeps the node serving.
 */
export function quitWhenAllWindowsClosed(platform: NodeJS.Platform, trayEnabled: boolean): boolean {
  return platform !== 'darwin' && !trayEnabled;
}
