/**
 * What a client reads when graphql-js refuses a value: the variable, where in
 * it, and what its type refused, never the value (server/logging/withoutValues.ts).
 * The messages are graphql-js's own, made by executing against a schema.
 */
import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withoutValues } from '../../server/logging/withoutValues.ts';

const schema = buildSchema(`
  input Address { city: String!, floor: Int }
  enum Kind { RESIDENT VISITOR }
  type Query { person(idNumber: String!, floor: Int, address: Address, kind: Kind, score: Float, key: ID, floors: [Int!]): String }
`);
const ID_NUMBER = '110101199003070011';

async function messages(source: string, variableValues: Record<string, unknown> = {}) {
  const result = await graphql({ schema, source, variableValues });
  return (result.errors ?? []).map((e) => withoutValues(e.message));
}

describe('messages without the values graphql-js refused', () => {
  it.each([
    [
      'query($v: String!) { person(idNumber: $v) }',
      { v: Number(ID_NUMBER) },
      'Variable "$v" got a value its type does not accept: String cannot represent a non string value. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Int) { person(idNumber: "x", floor: $v) }',
      { v: `${ID_NUMBER}; at "v"; Int cannot represent ${ID_NUMBER} value: ` },
      'Variable "$v" got a value its type does not accept: Int cannot represent non-integer value. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Address) { person(idNumber: "x", address: $v) }',
      { v: { city: Number(ID_NUMBER) } },
      'Variable "$v" at "v.city" got a value its type does not accept: String cannot represent a non string value. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Address) { person(idNumber: "x", address: $v) }',
      { v: { cty: ID_NUMBER } },
      'Variable "$v" got a value its type does not accept: Field "city" of required type "String!" was not provided. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Int) { person(idNumber: "x", address: { city: "x", floor: $v }) }',
      { v: ID_NUMBER },
      'Variable "$v" got a value its type does not accept: Int cannot represent non-integer value. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Address) { person(idNumber: "x", address: $v) }',
      { v: ID_NUMBER },
      'Variable "$v" got a value its type does not accept: Expected type "Address" to be an object. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Kind) { person(idNumber: "x", kind: $v) }',
      { v: ID_NUMBER },
      'Variable "$v" got a value its type does not accept: it is not a value of enum "Kind". Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: Kind) { person(idNumber: "x", kind: $v) }',
      { v: 'RESIDEN' },
      'Variable "$v" got a value its type does not accept: it is not a value of enum "Kind". Did you mean the enum value "RESIDENT"? Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: [Int!]) { person(idNumber: "x", floors: $v) }',
      { v: [1, ID_NUMBER] },
      'Variable "$v" at "v[1]" got a value its type does not accept: Int cannot represent non-integer value. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      'query($v: ID) { person(idNumber: "x", key: $v) }',
      { v: { idNumber: ID_NUMBER } },
      'Variable "$v" got a value its type does not accept: ID cannot represent value. Send a value of the declared type (the value is not repeated here).',
    ],
    [
      `{ person(idNumber: ${ID_NUMBER}) }`,
      {},
      "String cannot represent a non string value in the document. Send a value of the argument's type.",
    ],
  ])('%s', async (source, variables, expected) => {
    const said = await messages(source, variables);
    expect(said[0]).toEqual(expected);
    expect(said.join()).not.toContain(ID_NUMBER);
  });

  it('says every refusal of one value without it', async () => {
    const said = await messages('query($v: Address) { person(idNumber: "x", address: $v) }', {
      v: { cty: ID_NUMBER },
    });
    expect(said).toEqual([
      'Variable "$v" got a value its type does not accept: Field "city" of required type "String!" was not provided. Send a value of the declared type (the value is not repeated here).',
      'Variable "$v" got a value its type does not accept: Field "cty" is not defined by type "Address". Did you mean "city"? Send a value of the declared type (the value is not repeated here).',
    ]);
  });

  it('leaves messages that quote no value as they are', async () => {
    expect(await messages('query($v: String!) { person(idNumber: $v) }')).toEqual([
      'Variable "$v" of required type "String!" was not provided.',
    ]);
    expect(withoutValues('Cannot query field "nme" on type "Person". Did you mean "name"?')).toBe(
      'Cannot query field "nme" on type "Person". Did you mean "name"?',
    );
  });
});
