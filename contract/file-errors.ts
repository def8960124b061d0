// How a failed file-system call reads to a user: `no such file`, never `ENOENT: no such file or directory,
// open '…'`. Every layer that reads or writes a file a user named says what went wrong with these words.

/** A Node file-system error: it carries an errno code and the system call that failed. */
export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  const error = e as NodeJS.ErrnoException | null;
  return typeof error?.code === "string" && typeof error.syscall === "string";
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "it already exists",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EMFILE: "too many open files",
};

/** What went wrong with a file, in words (the error's own message when the code is not a familiar one). */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return (code === undefined ? undefined : REASONS[code]) ?? (e as Error).message;
}
