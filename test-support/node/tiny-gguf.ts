// A tiny, valid llama-architecture GGUF for tests: random weights (seeded), a real byte-level BPE
// tokenizer trained on a built-in English text (tokens, merges, token types), ChatML special
// tokens and a ChatML chat template in its metadata. It loads in node-llama-cpp and generates
// gibberish quickly: it tests the engine's plumbing, never answer quality.
//
// The output rows of the special tokens are zero while the other rows are large, so sampling
// never picks an end-of-generation token: generation always runs to maxTokens, a stop sequence
// or a cancel, which keeps tests of those paths deterministic.

import { writeFile } from 'node:fs/promises';

/** GGUF metadata value types (GGUF v3). */
const enum GgufType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

/** GGML tensor types used here. */
const enum GgmlType {
  F32 = 0,
  F16 = 1,
}

/** llama.cpp token types (`tokenizer.ggml.token_type`). */
const TOKEN_TYPE_NORMAL = 1;
const TOKEN_TYPE_CONTROL = 3;

const ALIGNMENT = 32;

export const TINY_GGUF_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** The usual ChatML template; node-llama-cpp recognises it as its ChatML wrapper. */
export const TINY_GGUF_CHAT_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyGgufOptions {
  /** Seed of the random weights (default 1). The same seed gives the same bytes. */
  seed?: number;
  /** `llama.context_length`, the training context (default 2048). */
  contextLength?: number;
  /** Number of BPE merges learned from the built-in text (default 400). */
  merges?: number;
  /** `general.name` (default "tiny-random-llama"). */
  name?: string;
  /** `tokenizer.chat_template` (default ChatML). */
  chatTemplate?: string;
}

export interface TinyGguf {
  bytes: Buffer;
  vocabSize: number;
  mergeCount: number;
  contextLength: number;
}

// Model shape: small enough for a few hundred KB and fast CPU generation.
const N_EMBD = 64;
const N_HEAD = 4;
const N_HEAD_KV = 2;
const N_FF = 128;
const N_LAYER = 2;

const CORPUS = `
The quick brown fox jumps over the lazy dog. A small model can still say hello to the world.
Hello, how are you today? I am fine, thank you. What would you like to talk about?
Tokens are the pieces of text that a language model reads and writes, one after another.
The weather is nice and the sun is shining over the hills, the river and the old town.
Please tell me a short story about a friendly robot who learns to cook dinner for its family.
Numbers like 1, 2, 3, 10, 42 and 2024 appear in text as well as words and punctuation marks!
Questions end with a question mark, and answers often start with yes or no, then explain why.
This is a test of the tokenizer: it should split words into subwords that it has seen before.
Security matters: messages are encrypted end to end, so only the sender and receiver can read them.
The compute node runs the model and streams the answer back, token by token, through the relay.
`;

/** Seeded PRNG (mulberry32): deterministic across platforms. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** GPT-2's reversible byte → printable character map. */
function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) keep.push(b);
  for (let b = 0xa1; b <= 0xac; b++) keep.push(b);
  for (let b = 0xae; b <= 0xff; b++) keep.push(b);
  const map: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = keep.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  return map;
}

/** GPT-2's pre-tokenizer (llama.cpp's "gpt-2" pre type uses the same split). */
const PRE_TOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Learns `count` byte-level BPE merges from the corpus; ties break on the pair text. */
function trainBpe(byteChars: string[], count: number): string[][] {
  const words = new Map<string, number>();
  for (const word of CORPUS.match(PRE_TOKENIZE) ?? []) {
    const mapped = [...Buffer.from(word, 'utf8')].map((b) => byteChars[b]).join('\u0000');
    words.set(mapped, (words.get(mapped) ?? 0) + 1);
  }
  let split = [...words].map(([w, n]) => ({ symbols: w.split('\u0000'), n }));
  const merges: string[][] = [];
  while (merges.length < count) {
    const pairs = new Map<string, number>();
    for (const { symbols, n } of split) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const [key, n] of pairs) {
      if (n > bestCount || (n === bestCount && best !== undefined && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best === undefined) break;
    const [left, right] = best.split(' ') as [string, string];
    merges.push([left, right]);
    split = split.map(({ symbols, n }) => {
      const out: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
          out.push(left + right);
          i++;
        } else out.push(symbols[i]!);
      }
      return { symbols: out, n };
    });
  }
  return merges;
}

function float32ToFloat16(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exp <= 0) return sign; // underflow to zero (our weights are far from subnormal range)
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mantissa >>> 13);
}

interface TensorSpec {
  name: string;
  /** ne[0] first (the row length), as GGUF stores dimensions. */
  dims: number[];
  type: GgmlType;
  data: Buffer;
}

class ByteWriter {
  private readonly chunks: Buffer[] = [];
  length = 0;
  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  raw(b: Buffer): void {
    this.push(b);
  }
  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type MetaValue =
  | { t: 'u32'; v: number }
  | { t: 'i32'; v: number }
  | { t: 'f32'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'strs'; v: string[] }
  | { t: 'f32s'; v: number[] }
  | { t: 'i32s'; v: number[] };

function writeMeta(w: ByteWriter, key: string, value: MetaValue): void {
  w.str(key);
  switch (value.t) {
    case 'u32':
      w.u32(GgufType.UINT32);
      w.u32(value.v);
      break;
    case 'i32':
      w.u32(GgufType.INT32);
      w.i32(value.v);
      break;
    case 'f32':
      w.u32(GgufType.FLOAT32);
      w.f32(value.v);
      break;
    case 'bool':
      w.u32(GgufType.BOOL);
      w.raw(Buffer.from([value.v ? 1 : 0]));
      break;
    case 'str':
      w.u32(GgufType.STRING);
      w.str(value.v);
      break;
    case 'strs':
      writeArray(w, GgufType.STRING, value.v, (s) => w.str(s));
      break;
    case 'f32s':
      writeArray(w, GgufType.FLOAT32, value.v, (f) => w.f32(f));
      break;
    case 'i32s':
      writeArray(w, GgufType.INT32, value.v, (i) => w.i32(i));
      break;
  }
}

/** A GGUF array value: ARRAY, the items' type, their count (u64), then each item. */
function writeArray<T>(w: ByteWriter, type: GgufType, items: readonly T[], write: (item: T) => void): void {
  w.u32(GgufType.ARRAY);
  w.u32(type);
  w.u64(items.length);
  for (const item of items) write(item);
}

function f16Tensor(name: string, dims: number[], fill: (i: number, row: number) => number): TensorSpec {
  const rowLength = dims[0]!;
  const count = dims.reduce((a, b) => a * b, 1);
  const data = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) data.writeUInt16LE(float32ToFloat16(fill(i, Math.floor(i / rowLength))), i * 2);
  return { name, dims, type: GgmlType.F16, data };
}

function onesF32(name: string, length: number): TensorSpec {
  const data = Buffer.alloc(length * 4);
  for (let i = 0; i < length; i++) data.writeFloatLE(1, i * 4);
  return { name, dims: [length], type: GgmlType.F32, data };
}

/** Builds the GGUF bytes in memory (about 300 KB). */
export function buildTinyGguf(options: TinyGgufOptions = {}): TinyGguf {
  const seed = options.seed ?? 1;
  const contextLength = options.contextLength ?? 2048;
  const byteChars = bytesToUnicode();
  const merges = trainBpe(byteChars, options.merges ?? 400);
  const tokens = [...byteChars, ...merges.map(([l, r]) => l! + r!), ...TINY_GGUF_SPECIAL_TOKENS];
  const firstSpecial = tokens.length - TINY_GGUF_SPECIAL_TOKENS.length;
  const vocabSize = tokens.length;
  const tokenId = (t: (typeof TINY_GGUF_SPECIAL_TOKENS)[number]): number => firstSpecial + TINY_GGUF_SPECIAL_TOKENS.indexOf(t);

  const normal = gaussian(mulberry32(seed));
  const hidden = 1 / Math.sqrt(N_EMBD);
  const headDim = N_EMBD / N_HEAD;
  const kvDim = headDim * N_HEAD_KV;
  const tensors: TensorSpec[] = [
    f16Tensor('token_embd.weight', [N_EMBD, vocabSize], () => normal()),
    onesF32('output_norm.weight', N_EMBD),
    // Zero rows for the special tokens: sampling never ends or opens a turn (see the header).
    f16Tensor('output.weight', [N_EMBD, vocabSize], (_i, row) => (row >= firstSpecial ? 0 : normal())),
  ];
  for (let l = 0; l < N_LAYER; l++) {
    tensors.push(
      onesF32(`blk.${l}.attn_norm.weight`, N_EMBD),
      f16Tensor(`blk.${l}.attn_q.weight`, [N_EMBD, N_EMBD], () => normal() * hidden),
      f16Tensor(`blk.${l}.attn_k.weight`, [N_EMBD, kvDim], () => normal() * hidden),
      f16Tensor(`blk.${l}.attn_v.weight`, [N_EMBD, kvDim], () => normal() * hidden),
      f16Tensor(`blk.${l}.attn_output.weight`, [N_EMBD, N_EMBD], () => normal() * hidden),
      onesF32(`blk.${l}.ffn_norm.weight`, N_EMBD),
      f16Tensor(`blk.${l}.ffn_gate.weight`, [N_EMBD, N_FF], () => normal() * hidden),
      f16Tensor(`blk.${l}.ffn_up.weight`, [N_EMBD, N_FF], () => normal() * hidden),
      f16Tensor(`blk.${l}.ffn_down.weight`, [N_FF, N_EMBD], () => normal() / Math.sqrt(N_FF)),
    );
  }

  const meta: [string, MetaValue][] = [
    ['general.architecture', { t: 'str', v: 'llama' }],
    ['general.name', { t: 'str', v: options.name ?? 'tiny-random-llama' }],
    ['general.file_type', { t: 'u32', v: 1 }], // mostly F16
    ['llama.context_length', { t: 'u32', v: contextLength }],
    ['llama.embedding_length', { t: 'u32', v: N_EMBD }],
    ['llama.block_count', { t: 'u32', v: N_LAYER }],
    ['llama.feed_forward_length', { t: 'u32', v: N_FF }],
    ['llama.attention.head_count', { t: 'u32', v: N_HEAD }],
    ['llama.attention.head_count_kv', { t: 'u32', v: N_HEAD_KV }],
    ['llama.attention.layer_norm_rms_epsilon', { t: 'f32', v: 1e-5 }],
    ['llama.rope.dimension_count', { t: 'u32', v: headDim }],
    ['llama.rope.freq_base', { t: 'f32', v: 10000 }],
    ['llama.vocab_size', { t: 'u32', v: vocabSize }],
    ['tokenizer.ggml.model', { t: 'str', v: 'gpt2' }],
    ['tokenizer.ggml.pre', { t: 'str', v: 'gpt-2' }],
    ['tokenizer.ggml.tokens', { t: 'strs', v: tokens }],
    ['tokenizer.ggml.token_type', { t: 'i32s', v: tokens.map((_t, i) => (i >= firstSpecial ? TOKEN_TYPE_CONTROL : TOKEN_TYPE_NORMAL)) }],
    ['tokenizer.ggml.merges', { t: 'strs', v: merges.map(([l, r]) => `${l} ${r}`) }],
    ['tokenizer.ggml.bos_token_id', { t: 'u32', v: tokenId('<|endoftext|>') }],
    ['tokenizer.ggml.eos_token_id', { t: 'u32', v: tokenId('<|im_end|>') }],
    ['tokenizer.ggml.padding_token_id', { t: 'u32', v: tokenId('<|endoftext|>') }],
    ['tokenizer.ggml.add_bos_token', { t: 'bool', v: false }],
    ['tokenizer.chat_template', { t: 'str', v: options.chatTemplate ?? TINY_GGUF_CHAT_TEMPLATE }],
  ];

  const w = new ByteWriter();
  w.raw(Buffer.from('GGUF', 'ascii'));
  w.u32(3); // GGUF version
  w.u64(tensors.length);
  w.u64(meta.length);
  for (const [key, value] of meta) writeMeta(w, key, value);
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(offset);
    offset += Math.ceil(t.data.length / ALIGNMENT) * ALIGNMENT;
  }
  w.pad();
  for (const t of tensors) {
    w.raw(t.data);
    w.pad();
  }
  return { bytes: w.done(), vocabSize, mergeCount: merges.length, contextLength };
}

/** Writes the tiny GGUF to `path` and says what it wrote. */
export async function writeTinyGguf(path: string, options: TinyGgufOptions = {}): Promise<Omit<TinyGguf, 'bytes'> & { path: string; sizeBytes: number }> {
  const { bytes, ...info } = buildTinyGguf(options);
  await writeFile(path, bytes);
  return { ...info, path, sizeBytes: bytes.length };
}
