import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';

/** What a command line says about itself; the help text is made from it. */
export interface CliSpec {
  /** How it is run, as the usage line shows it: `npm run seed --`, `govdata`. */
  name: string;
  /** What it does and what it needs, in a sentence or two. */
  description: string;
  /** Whole command lines a user can copy, each optionally followed by `  # what it does`. */
  examples: readonly string[];
}

/**
 * A command line of the project, with the behaviour every one of them shares:
 * `-h, --help` prints usage, options and examples and exits 0; an unknown
 * option, a missing value or an extra argument names itself, prints the help
 * (so the valid options are listed) and exits 1. Options, arguments and the
 * action are declared on the returned commander `Command`; run it with
 * `runCli`. Sub-commands are made with `cliSubcommand`, so they behave alike.
 *
 * A script declares its command line with light imports only and loads what an
 * action needs inside it (`await import(…)`): the server's modules take seconds
 * to load, and `--help` or a mistyped option should answer at once.
 */
export function cliProgram(spec: CliSpec): Command {
  return describe(new Command(spec.name), spec);
}

/** A sub-command of `parent` (`init` of `govdata dataset`), configured like `cliProgram`. */
export function cliSubcommand(parent: CommandUnknownOpts, spec: CliSpec): Command {
  const sub = describe(new Command(spec.name), spec);
  parent.addCommand(sub);
  return sub;
}

function describe(command: Command, spec: CliSpec): Command {
  return command
    .description(spec.description)
    .helpOption('-h, --help', 'show this help and exit')
    .showHelpAfterError()
    .allowExcessArguments(false)
    .addHelpText(
      'after',
      spec.examples.length > 0
        ? `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n`
        : '',
    );
}
