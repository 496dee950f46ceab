import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { pino } from 'pino';
// These modules alone, not their folders' index (whose other exports load
// GraphQL and the schema): `--help` and a wrong invocation answer at once.
import { LOG_LEVELS, type LogLevel } from '../../server/config/logLevels.ts';
import { createLogger, type Logger } from '../../server/logging/createLogger.ts';
import { readableLines } from '../../server/logging/readableLines.ts';
import { CliUsageError } from './CliUsageError.ts';

/**
 * The command line's own log, on stderr so a command's output on stdout stays
 * clean: readable lines in a terminal, JSON lines otherwise, at `LOG_LEVEL`
 * like every process of the platform. What a command does is logged at debug
 * (`LOG_LEVEL=debug npx govdata …`), with an error's stack.
 */
export function cliLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const logLevel: LogLevel = LOG_LEVELS.find((known) => known === level) ?? 'info';
  return createLogger(
    { logLevel },
    process.stderr.isTTY ? readableLines(process.stderr, true) : pino.destination(2),
  );
}

/**
 * Parses the process's arguments with `program` and runs the chosen action.
 * A `CliUsageError` prints its message with the help of the (sub-)command that
 * was run; any other error prints its message only — never a stack — and both
 * exit 1 (the stack is in the debug log). A command that starts servers keeps
 * running after this returns.
 */
export async function runCli(
  program: CommandUnknownOpts,
  argv: readonly string[] = process.argv,
  logger: Logger = cliLogger(),
): Promise<void> {
  let running: CommandUnknownOpts = program;
  const started = Date.now();
  program.hook('preAction', (_, actionCommand) => {
    running = actionCommand;
    // Which options were given, never their values (a token may be one).
    logger.debug(
      { command: commandPath(actionCommand), options: Object.keys(actionCommand.opts()) },
      'command started',
    );
  });
  try {
    await program.parseAsync([...argv]);
    logger.debug(
      { command: commandPath(running), durationMs: Date.now() - started },
      'command returned',
    );
  } catch (error) {
    logger.debug({ command: commandPath(running), err: error }, 'command failed');
    if (error instanceof CliUsageError) running.error(error.message);
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

/** `govdata dataset init`: the names from the program down to `command`. */
function commandPath(command: CommandUnknownOpts): string {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
