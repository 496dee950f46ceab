import { InvalidArgumentError } from '@commander-js/extra-typings';

/** Parses a whole number from `min` to `max`; commander names the option when it fails. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`A whole number from ${min} to ${max} is needed.`);
    }
    return n;
  };
}

/** Collects a repeatable option's values (`--role A --role B`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Makes a parser that throws a plain Error (with its own message, as
 * `parseWorkerCount` does) an option parser: commander then reports the
 * message with the option's name and prints the help.
 */
export function asOptionValue<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}
