export { cliProgram, cliSubcommand, type CliSpec } from './cliProgram.ts';
export { CliUsageError } from './CliUsageError.ts';
export { asOptionValue, collect, wholeNumber } from './parsers.ts';
export { runCli } from './runCli.ts';
