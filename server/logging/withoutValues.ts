/*
 * graphql-js says back the value it refused — a variable's whole value, or a
 * literal of the document — in its messages ("Variable "$id" got invalid value
 * 110101199003070011; String cannot represent a non string value:
 * 110101199003070011"). A value may be a person's ID number; an error a client
 * sees carries none (it also travels into proxies' and clients' logs). These
 * messages are rewritten to name the variable, where in it, and what its type
 * refused, without the value.
 */

/** A variable whose value its type refused: the variable's name (group 1). */
const INVALID_VARIABLE = /^Variable "\$(\w+)" got invalid value /;

/** Where in the variable's value, after the value: ` at "v.address.city"; ` or ` at "v[2]"; `. */
const at = (name: string) => new RegExp(` at "(${name}(?:\\.\\w+|\\[\\d+\\])*)"; `);

/** A scalar that cannot represent a value, up to the value: "Int cannot represent non-integer value". */
const SCALAR_REFUSED = /([A-Z]\w* cannot represent [a-z -]*(?:32-bit [a-z -]*)?value): /;

/** Refusals of graphql-js that name only the schema's types and fields, never a value. */
const VALUE_FREE = [
  /Field "\w+" of required type "[^"]+" was not provided\./,
  /Field "\w+" is not defined by type "\w+"\.(?: Did you mean [^;]*\?)?$/,
  /Expected type "\w+" to be an object\./,
  /Expected non-nullable type "[^"]+" not to be null\./,
];

/** An enum that has no such value: the enum's name (group 1), and graphql-js's suggestions of its values (group 2). */
const NOT_IN_ENUM =
  /Value ".*" does not exist in "(\w+)" enum\.((?: Did you mean the enum values? [^;]*\?)?)$/s;

/** `message` without the values graphql-js quotes in it; any other message as it is. */
export function withoutValues(message: string): string {
  const invalid = INVALID_VARIABLE.exec(message);
  if (!invalid) {
    const scalar = SCALAR_REFUSED.exec(message);
    return scalar?.index === 0
      ? `${scalar[1]!} in the document. Send a value of the argument's type.`
      : message;
  }
  const variable = invalid[1]!;
  const where = at(variable).exec(message)?.[1];
  const refused =
    `Variable "$${variable}"${where ? ` at "${where}"` : ''} got a value its type does not accept` +
    reason(message.slice(invalid[0].length));
  return `${refused}${/[.?]$/.test(refused) ? '' : '.'} Send a value of the declared type (the value is not repeated here).`;
}

/** Why the value was refused, from the part of the message after its start; empty when unsure. */
function reason(rest: string): string {
  const scalar = SCALAR_REFUSED.exec(rest)?.[1];
  if (scalar) return `: ${scalar}`;
  const notInEnum = NOT_IN_ENUM.exec(rest);
  if (notInEnum) return `: it is not a value of enum "${notInEnum[1]!}".${notInEnum[2]!}`;
  for (const pattern of VALUE_FREE) {
    const found = pattern.exec(rest)?.[0];
    if (found) return `: ${found}`;
  }
  return '';
}
