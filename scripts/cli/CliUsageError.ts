/**
 * A mistake in how a command was called that its options could not catch (a
 * table or department that does not exist, a missing combination): `runCli`
 * prints the message and the command's help, and exits 1. The message says
 * what is wrong and lists what there is to choose from.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
