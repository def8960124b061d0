// Errors a user can fix (a bad setting, an unreadable file, a constitution with errors), as opposed to
// bugs. Hosts print `message` as it is: one line that names the file or setting and what to do.

/** A setting, file or service the Guard was configured with is unusable. */
export class GuardSetupError extends Error {
  override readonly name = "GuardSetupError";
}
