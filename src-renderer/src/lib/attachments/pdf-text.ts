// The text of a PDF, read on this computer with pdf.js — loaded only when a PDF is attached, as
// chunks of its own. The app's CSP allows no workers and no eval (src-main/app/csp.ts), so pdf.js
// runs on the page's thread: its worker module is imported like any other chunk of the app and
// handed over as `globalThis.pdfjsWorker` (pdf.js's main-thread mode), and eval is switched off.
// Nothing is fetched: no fonts, character maps or wasm, which text extraction does not need.

export class PdfPasswordError extends Error {}
export class PdfUnreadableError extends Error {}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

let loading: Promise<typeof import('pdfjs-dist')> | undefined;

function loadPdfJs(): Promise<typeof import('pdfjs-dist')> {
  loading ??= (async () => {
    const worker = await import('pdfjs-dist/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist');
  })();
  return loading;
}

/** Every page's text, pages separated by a blank line. Throws PdfPasswordError or PdfUnreadableError. */
export async function pdfText(data: ArrayBuffer): Promise<string> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    if (error instanceof Error && error.name === 'PasswordException') throw new PdfPasswordError();
    throw new PdfUnreadableError();
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        (content.items as TextItemLike[])
          .map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : ''))
          .join('')
          .trim(),
      );
      page.cleanup();
    }
    return pages.filter(Boolean).join('\n\n');
  } catch {
    throw new PdfUnreadableError();
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}
