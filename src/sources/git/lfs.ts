// Git LFS pointer files: the real content lives on an LFS server, the repository holds a small text stub.
// Scanning the stub would find nothing useful (and its sha256 oid looks like a hex secret), so it is skipped.

const PREFIXES = ['version https://git-lfs.github.com/spec/v1', 'version https://hawser.github.com/spec/v1'].map((p) =>
  Buffer.from(p),
);

/** The LFS spec caps pointer files at 1024 bytes. */
export const LFS_POINTER_MAX = 1024;

export function isLfsPointer(bytes: Buffer): boolean {
  if (bytes.length > LFS_POINTER_MAX) return false;
  return PREFIXES.some((p) => bytes.length >= p.length && bytes.subarray(0, p.length).equals(p));
}

export const LFS_REASON = 'git-lfs pointer: content lives on the LFS server, not in the repository (not scanned)';
