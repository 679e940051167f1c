// UTF-8 sizes of text, as the node counts its content limit (docs/protocol.md §2.3.1 step 4). Its own
// file so that the window can count without loading the inner-envelope schemas.

/** UTF-8 length of a JS string (lone surrogates count as U+FFFD, 3 bytes, like an encoder would). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
