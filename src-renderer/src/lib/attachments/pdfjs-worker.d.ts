// pdf.js ships its worker module without types; the app only hands it to pdf.js (pdf-text.ts).
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
