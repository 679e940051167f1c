// The words main shows itself — the tray icon's menu and tooltip, answer notifications — in each
// language the window speaks. They live here, not in the renderer's locale files, because main
// must not import the renderer and shows them when no window exists (the tray keeps serving with
// the window closed), so the renderer cannot hand them over through IPC either. Each language
// must have every key (a missing one does not compile); desktop-words.test.ts checks the
// {{placeholders}} and that each is a translation. Fill them with `fillIn`.
import type { Language, LocalNodeState } from '../vocabulary';

const en = {
  /** The node's state in the tray's words, one per LocalNodeState. */
  'node.unconfigured': 'not set up',
  'node.stopped': 'stopped',
  'node.starting': 'starting…',
  'node.serving': 'serving',
  'node.error': 'stopped by an error',
  'node.crashed': 'stopped unexpectedly',
  'node.restarting': 'restarting…',
  'tray.appStarting': 'starting the app…',
  'tray.answering': '{{state}} ({{count}} answering)',
  'tray.status': 'This computer’s node: {{status}}',
  'tray.tooltip': 'token.place — node {{status}}',
  'tray.open': 'Open token.place',
  'tray.startServing': 'Start serving',
  'tray.stopServing': 'Stop serving',
  'tray.quit': 'Quit token.place',
  'notify.title': 'Answer ready',
  'notify.someChat': 'A chat has a new answer. Click to open it.',
  'notify.today': 'The chat you started today at {{time}} has a new answer. Click to open it.',
  'notify.onDay': 'The chat you started on {{date}} at {{time}} has a new answer. Click to open it.',
};

export type DesktopWordKey = keyof typeof en;
export type DesktopWords = Readonly<Record<DesktopWordKey, string>>;

const de: DesktopWords = {
  'node.unconfigured': 'nicht eingerichtet',
  'node.stopped': 'angehalten',
  'node.starting': 'startet…',
  'node.serving': 'bedient Anfragen',
  'node.error': 'durch einen Fehler angehalten',
  'node.crashed': 'unerwartet beendet',
  'node.restarting': 'startet neu…',
  'tray.appStarting': 'die App startet…',
  'tray.answering': '{{state}} ({{count}} Antworten laufen)',
  'tray.status': 'Knoten dieses Computers: {{status}}',
  'tray.tooltip': 'token.place — Knoten {{status}}',
  'tray.open': 'token.place öffnen',
  'tray.startServing': 'Anfragen bedienen',
  'tray.stopServing': 'Bedienen beenden',
  'tray.quit': 'token.place beenden',
  'notify.title': 'Antwort bereit',
  'notify.someChat': 'Ein Chat hat eine neue Antwort. Zum Öffnen klicken.',
  'notify.today': 'Der Chat, den du heute um {{time}} begonnen hast, hat eine neue Antwort. Zum Öffnen klicken.',
  'notify.onDay': 'Der Chat, den du am {{date}} um {{time}} begonnen hast, hat eine neue Antwort. Zum Öffnen klicken.',
};

const es: DesktopWords = {
  'node.unconfigured': 'sin configurar',
  'node.stopped': 'detenido',
  'node.starting': 'iniciando…',
  'node.serving': 'atendiendo',
  'node.error': 'detenido por un error',
  'node.crashed': 'detenido inesperadamente',
  'node.restarting': 'reiniciando…',
  'tray.appStarting': 'iniciando la aplicación…',
  'tray.answering': '{{state}} ({{count}} respondiendo)',
  'tray.status': 'Nodo de este equipo: {{status}}',
  'tray.tooltip': 'token.place — nodo {{status}}',
  'tray.open': 'Abrir token.place',
  'tray.startServing': 'Empezar a atender',
  'tray.stopServing': 'Dejar de atender',
  'tray.quit': 'Salir de token.place',
  'notify.title': 'Respuesta lista',
  'notify.someChat': 'Un chat tiene una respuesta nueva. Haz clic para abrirlo.',
  'notify.today': 'El chat que empezaste hoy a las {{time}} tiene una respuesta nueva. Haz clic para abrirlo.',
  'notify.onDay': 'El chat que empezaste el {{date}} a las {{time}} tiene una respuesta nueva. Haz clic para abrirlo.',
};

export const DESKTOP_WORDS: Readonly<Record<Language, DesktopWords>> = { en, de, es };

/** The key of a node state's words (a new state fails to compile until every language has them). */
export const nodeStateWord = (state: LocalNodeState): DesktopWordKey => `node.${state}`;

/** A sentence with its `{{name}}` placeholders filled in. */
export function fillIn(words: DesktopWords, key: DesktopWordKey, values: Record<string, string | number> = {}): string {
  return words[key].replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
