/**
 * The files of a model folder as the Hugging Face Hub describes them: sizes, the git blob sha1
 * every file has, and the sha256 of files the Hub keeps in LFS (≥ 1 MB here, as on the Hub's
 * default `.gitattributes` for large binaries). Hashes are computed once per file version.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Files at or above this size are described (and ETagged) as LFS objects. */
export const LFS_THRESHOLD = 1024 * 1024;

export interface HubFileInfo {
  size: number;
  /** sha1("blob {size}\0" + bytes): the git object id of the file itself. */
  gitSha1: string;
  sha256: string;
  /** For LFS files: the git blob sha1 and length of the pointer file git stores instead. */
  lfs: { pointerSha1: string; pointerSize: number } | undefined;
}

export function gitBlobSha1(bytes: Buffer | string): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
}

/** A fake 40-hex commit sha for a revision name; a 40-hex revision is already a commit. */
export function commitSha(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision)
    ? revision
    : createHash('sha1').update(`tabembed-hub:${revision}`).digest('hex');
}

// Keyed by path, size and mtime, so a regenerated fixture is hashed again. Promises, so two
// concurrent requests for a 40 MB file hash it once.
const infoCache = new Map<string, Promise<HubFileInfo>>();

async function hashFile(absPath: string, size: number): Promise<HubFileInfo> {
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of createReadStream(absPath) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    sha1.update(chunk);
  }
  const sha256Hex = sha256.digest('hex');
  let lfs: HubFileInfo['lfs'];
  if (size >= LFS_THRESHOLD) {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256Hex}\nsize ${size}\n`;
    lfs = { pointerSha1: gitBlobSha1(pointer), pointerSize: Buffer.byteLength(pointer) };
  }
  return { size, gitSha1: sha1.digest('hex'), sha256: sha256Hex, lfs };
}

export async function fileInfo(absPath: string): Promise<HubFileInfo> {
  const st = await stat(absPath);
  const key = `${absPath}\0${st.size}\0${st.mtimeMs}`;
  let info = infoCache.get(key);
  if (!info) {
    info = hashFile(absPath, st.size);
    infoCache.set(key, info);
    void info.catch(() => infoCache.delete(key));
  }
  return info;
}

/** Every file under `dir`, as sorted `/`-separated paths relative to it; dotfiles left out. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => !p.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/** Bytes `[start, end]` (inclusive) of a file. */
export async function readSlice(absPath: string, start: number, end: number): Promise<Buffer> {
  const length = Math.max(0, end - start + 1);
  const handle = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}
