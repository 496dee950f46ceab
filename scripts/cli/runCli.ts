import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { CliUsageError } from './CliUsageError.ts';

/**
 * Parses the process's arguments with `program` and runs the chosen action.
 * A `CliUsageError` prints its message with the help of the (sub-)command that
 * was run; any other error prints its message only — never a stack — and both
 * exit 1. A command that starts servers keeps running after this returns.
 */
export async function runCli(
  program: CommandUnknownOpts,
  argv: readonly string[] = process.argv,
): Promise<void> {
  let running: CommandUnknownOpts = program;
  program.hook('preAction', (_, actionCommand) => {
    running = actionCommand;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CliUsageError) running.error(error.message);
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
