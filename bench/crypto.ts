// Crypto core benchmark: `npm run bench:crypto` prints a table; `-- --json` prints one JSON object.
// Targets (issue 2): decrypt_1k_over_raw_rsa <= 1.2, speedup_vs_forge >= 20.
import { constants, createPrivateKey, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decryptEnvelope, encryptEnvelope, generateRsaKeyPair, type RsaPadding, type SymmetricMode } from '../src-main/crypto';
import { measureRoundTrips } from './crypto-round-trip';
import { forgeOpen, forgePrivateKeyFromPem, forgePublicKeyFromPem, forgeSeal } from '../test-support/crypto/forge-reference';
import { median } from './stats';

const json = process.argv.includes('--json');
const KEYGEN_RUNS = 5;
const RSA_RUNS = 600;
const FORGE_RUNS = 30;


function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const keygen: number[] = [];
  let pair = await generateRsaKeyPair(); // warm-up
  for (let i = 0; i < KEYGEN_RUNS; i++) {
    const start = performance.now();
    pair = await generateRsaKeyPair();
    keygen.push(performance.now() - start);
  }
  const { privateKeyPem, publicKeyPem, publicKeyWire } = pair;
  const privateKey = createPrivateKey(privateKeyPem);
  const oneKiB = randomBytes(1024);
  const oneMiB = randomBytes(1024 * 1024);

  // Raw RSA-2048 OAEP-SHA256 privateDecrypt vs the full hybrid decrypt, interleaved so both see
  // the same machine load.
  const rawWrapped = publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(44));
  const gcmEnv = encryptEnvelope(oneKiB, publicKeyWire, { mode: 'gcm', padding: 'oaep-sha256' });
  const raw: number[] = [];
  const hybrid: number[] = [];
  const rawOnce = () => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, rawWrapped);
  const hybridOnce = () => decryptEnvelope(gcmEnv, privateKeyPem, { padding: 'oaep-sha256' });
  for (let i = 0; i < RSA_RUNS + 20; i++) {
    // Alternate the order (ABBA) so neither side always runs right after the other.
    const [r, h] = i % 2 ? [time(rawOnce), time(hybridOnce)] : [time(hybridOnce), time(rawOnce)].reverse();
    if (i >= 20) {
      raw.push(r!);
      hybrid.push(h!);
    }
  }

  const rows: { op: string; ms: number }[] = [];
  const modes: [SymmetricMode, RsaPadding, number][] = [
    ['gcm', 'oaep-sha256', RSA_RUNS],
    ['cbc', 'oaep-sha256', RSA_RUNS],
    ['cbc', 'pkcs1v15', FORGE_RUNS],
    ['gcm', 'pkcs1v15', FORGE_RUNS],
  ];
  for (const [mode, padding, runs] of modes) {
    const enc: number[] = [];
    const dec: number[] = [];
    for (let i = 0; i < runs; i++) {
      let env = gcmEnv;
      enc.push(time(() => (env = encryptEnvelope(oneKiB, publicKeyWire, { mode, padding }))));
      dec.push(time(() => decryptEnvelope(env, privateKeyPem, { padding })));
    }
    rows.push({ op: `encrypt 1 KiB ${mode.toUpperCase()}+${padding}`, ms: median(enc) });
    rows.push({ op: `decrypt 1 KiB ${mode.toUpperCase()}+${padding}`, ms: median(dec) });
  }

  // Ours vs node-forge, encrypt + decrypt of 1 KiB with OAEP-SHA256 + GCM, keys pre-parsed on both sides.
  const forgePrivate = forgePrivateKeyFromPem(privateKeyPem);
  const forgePublic = forgePublicKeyFromPem(publicKeyPem);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < FORGE_RUNS; i++) {
    ours.push(time(() => decryptEnvelope(encryptEnvelope(oneKiB, publicKeyWire, { mode: 'gcm' }), privateKeyPem, { padding: 'oaep-sha256' })));
    theirs.push(time(() => forgeOpen(forgePrivate, forgeSeal(forgePublic, oneKiB, 'gcm', 'oaep-sha256'), 'oaep-sha256')));
  }

  const bigEnc: number[] = [];
  const bigDec: number[] = [];
  for (let i = 0; i < 10; i++) {
    let env = gcmEnv;
    bigEnc.push(time(() => (env = encryptEnvelope(oneMiB, publicKeyWire, { mode: 'gcm' }))));
    bigDec.push(time(() => decryptEnvelope(env, privateKeyPem, { padding: 'oaep-sha256' })));
  }

  // One request/answer round trip, aead-v1 (§10) against reference CBC (§1), with a second key pair as the client.
  const roundTrips = measureRoundTrips(await generateRsaKeyPair(), pair, RSA_RUNS / 2);

  const result = {
    ...roundTrips,
    keygen_ms: median(keygen),
    raw_rsa_oaep_decrypt_ms: median(raw),
    hybrid_oaep_gcm_decrypt_1k_ms: median(hybrid),
    decrypt_1k_over_raw_rsa: median(hybrid) / median(raw),
    ours_encrypt_decrypt_1k_ms: median(ours),
    forge_encrypt_decrypt_1k_ms: median(theirs),
    speedup_vs_forge: median(theirs) / median(ours),
    encrypt_1mib_gcm_ms: median(bigEnc),
    decrypt_1mib_gcm_ms: median(bigDec),
    ops: Object.fromEntries(rows.map((r) => [r.op, r.ms])),
    runs: { keygen: KEYGEN_RUNS, rsa: RSA_RUNS, forge: FORGE_RUNS },
    targets: { decrypt_1k_over_raw_rsa_max: 1.2, speedup_vs_forge_min: 20 },
    meets_targets: median(hybrid) / median(raw) <= 1.2 && median(theirs) / median(ours) >= 20,
    node: process.version,
  };

  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const table = [
    { metric: 'RSA-2048 keygen (median)', value: `${result.keygen_ms.toFixed(1)} ms` },
    { metric: 'raw RSA-2048 OAEP privateDecrypt', value: `${result.raw_rsa_oaep_decrypt_ms.toFixed(3)} ms` },
    { metric: 'hybrid OAEP+GCM decrypt 1 KiB', value: `${result.hybrid_oaep_gcm_decrypt_1k_ms.toFixed(3)} ms` },
    { metric: 'decrypt_1k_over_raw_rsa (target <= 1.2)', value: result.decrypt_1k_over_raw_rsa.toFixed(3) },
    { metric: 'ours encrypt+decrypt 1 KiB', value: `${result.ours_encrypt_decrypt_1k_ms.toFixed(3)} ms` },
    { metric: 'node-forge encrypt+decrypt 1 KiB', value: `${result.forge_encrypt_decrypt_1k_ms.toFixed(3)} ms` },
    { metric: 'speedup_vs_forge (target >= 20)', value: result.speedup_vs_forge.toFixed(1) },
    ...rows.map((r) => ({ metric: r.op, value: `${r.ms.toFixed(3)} ms` })),
    { metric: 'round trip 1 KiB each way, aead-v1', value: `${result.aead_round_trip_ms.toFixed(3)} ms` },
    { metric: 'round trip 1 KiB each way, reference CBC (OAEP)', value: `${result.cbc_round_trip_ms.toFixed(3)} ms` },
    { metric: 'encrypt 1 MiB GCM+OAEP', value: `${result.encrypt_1mib_gcm_ms.toFixed(2)} ms` },
    { metric: 'decrypt 1 MiB GCM+OAEP', value: `${result.decrypt_1mib_gcm_ms.toFixed(2)} ms` },
  ];
  console.table(table);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
