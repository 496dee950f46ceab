import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  valueFromASTUntyped,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';

/** What shaping answers: the client's data, and the value-completion errors found on the way. */
export interface ShapedResponse {
  data: Record<string, unknown> | null;
  errors: GraphQLError[];
}

/** Shapes the merged subgraph data into the client's answer; made once per plan. */
export type ResponseShape = (
  input: Record<string, unknown>,
  variables: Record<string, unknown> | undefined,
) => ShapedResponse;

/** Answers an introspection field (`__schema`, `__type`) of the operation. */
export type IntrospectionAnswer = (
  field: FieldNode,
  variables: Record<string, unknown> | undefined,
) => unknown;

/** `@skip(if:)` / `@include(if:)` on a selection: a constant or a variable's name. */
interface Condition {
  skip: boolean;
  value: boolean | { variable: string };
}

type Selection =
  | {
      kind: 'field';
      responseName: string;
      conditions: Condition[];
      /** `__typename` (under any alias): answered from the object's runtime type. */
      typename: boolean;
      /** `__schema` / `__type`: answered by introspection, not from subgraph data. */
      introspection: FieldNode | null;
      type: GraphQLOutputType;
      selections: Selection[] | null;
    }
  | {
      kind: 'fragment';
      conditions: Condition[];
      typeCondition: GraphQLCompositeType | null;
      selections: Selection[];
    };

interface Run {
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: (string | number)[];
}

/** Returned by a selection set whose non-null field came back null: its parent becomes null. */
const NULL_BUBBLE_UP = Symbol('null bubbles up');

/**
 * Compiles the shaping of an operation's answer: the selection tree is walked
 * once here (fragments resolved, field types and `@skip`/`@include` conditions
 * looked up) instead of on every request. Its behaviour is Apollo Gateway's
 * `computeResponse`, exactly: the same output (key order included), the same
 * null propagation for non-null fields, the same value-completion errors
 * (`INVALID_GRAPHQL`, same messages and paths), `__typename` from the object's
 * runtime type and introspection answered by `introspect`.
 */
export function compileResponseShape(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  introspect: IntrospectionAnswer,
): ResponseShape {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new Error(`the schema has no ${operation.operation} type`);
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) {
      defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  const compile = (selections: readonly SelectionNode[], parent: GraphQLNamedType): Selection[] =>
    selections.map((selection): Selection => {
      const conditions = conditionsOf(selection);
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          const responseName = selection.alias?.value ?? name;
          if (name === '__typename') {
            return fieldSelection(responseName, conditions, { typename: true });
          }
          if (name === '__schema' || name === '__type') {
            return fieldSelection(responseName, conditions, { introspection: selection });
          }
          const definition = fieldOf(parent, name);
          if (!definition) throw new Error(`no field ${parent.name}.${name} in the schema`);
          const named = getNamedType(definition.type);
          return {
            kind: 'field',
            responseName,
            conditions,
            typename: false,
            introspection: null,
            type: definition.type,
            selections: selection.selectionSet
              ? compile(selection.selectionSet.selections, named)
              : null,
          };
        }
        case Kind.INLINE_FRAGMENT: {
          const typeCondition = selection.typeCondition
            ? compositeType(schema, selection.typeCondition.name.value)
            : null;
          return {
            kind: 'fragment',
            conditions,
            typeCondition,
            selections: compile(selection.selectionSet.selections, typeCondition ?? parent),
          };
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments[selection.name.value];
          if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
          const typeCondition = compositeType(schema, fragment.typeCondition.name.value);
          return {
            kind: 'fragment',
            conditions,
            typeCondition,
            selections: compile(fragment.selectionSet.selections, typeCondition),
          };
        }
      }
    });
  const root = compile(operation.selectionSet.selections, rootType);

  /** Apollo's `applySelectionSet`: one selection set of one object, into `output`. */
  function applySelections(
    selections: readonly Selection[],
    input: Record<string, unknown>,
    output: Record<string, unknown>,
    parentType: GraphQLCompositeType,
    run: Run,
  ): typeof NULL_BUBBLE_UP | undefined {
    for (const selection of selections) {
      if (skipped(selection.conditions, run.variables)) continue;
      if (selection.kind === 'fragment') {
        const typename = input.__typename;
        if (!typeConditionApplies(schema, selection.typeCondition, typename, parentType)) continue;
        const bubbled = applySelections(
          selection.selections,
          input,
          output,
          selection.typeCondition ?? parentType,
          run,
        );
        if (bubbled) return bubbled;
        continue;
      }
      const { responseName } = selection;
      const outputValue = output[responseName];
      if (selection.introspection) {
        if (outputValue === undefined) {
          setOwn(output, responseName, introspect(selection.introspection, run.variables));
        }
        continue;
      }
      let inputValue = ownValue(input, responseName) ?? null;
      if (selection.typename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== '__typename') {
            inputValue = input.__typename ?? null;
          }
          const type =
            typeof inputValue === 'string'
              ? (schema.getType(inputValue) ?? parentType)
              : parentType;
          if (!isObjectType(type)) return NULL_BUBBLE_UP;
          setOwn(output, responseName, type.name);
        }
        continue;
      }
      run.path.push(responseName);
      const result = updateOutput(
        outputValue,
        selection.type,
        inputValue,
        selection.selections,
        parentType,
        run,
      );
      setOwn(output, responseName, result.updated);
      run.path.pop();
      if (result.invalid) return NULL_BUBBLE_UP;
    }
    return undefined;
  }

  /** Apollo's `updateOutputValue`: one value of one field, merged into what is already there. */
  function updateOutput(
    outputValue: unknown,
    type: GraphQLOutputType,
    inputValue: unknown,
    selections: readonly Selection[] | null,
    parentType: GraphQLCompositeType,
    run: Run,
  ): { updated: unknown; invalid?: boolean; hasErrors?: boolean } {
    if (outputValue === null || (outputValue !== undefined && !selections)) {
      return { updated: outputValue };
    }
    if (isNonNullType(type)) {
      const inner = updateOutput(outputValue, type.ofType, inputValue, selections, parentType, run);
      if (inner.updated === null) {
        if (!inner.hasErrors) {
          run.errors.push(
            invalid(
              `Cannot return null for non-nullable ${describeLast(run.path, type.ofType, parentType)}.`,
              run.path,
            ),
          );
        }
        return { updated: null, invalid: true, hasErrors: true };
      }
      return { updated: inner.updated };
    }
    if (inputValue === null) return { updated: null };
    if (isListType(type)) {
      const inputs = inputValue as unknown[];
      const outputs = outputValue === undefined ? null : (outputValue as unknown[]);
      let nullify = false;
      let hasErrors = false;
      const updated = new Array<unknown>(inputs.length);
      for (let i = 0; i < inputs.length; i++) {
        run.path.push(i);
        const element = updateOutput(
          outputs ? outputs[i] : undefined,
          type.ofType,
          inputs[i],
          selections,
          parentType,
          run,
        );
        run.path.pop();
        nullify ||= !!element.invalid;
        hasErrors ||= !!element.hasErrors;
        updated[i] = element.updated;
      }
      return { updated: nullify ? null : updated, hasErrors };
    }
    if (isCompositeType(type)) {
      const object = inputValue as Record<string, unknown>;
      const typename = object.__typename;
      let objectType: GraphQLCompositeType = type;
      if (typeof typename === 'string' && typename) {
        const named = schema.getType(typename);
        if (!named || !isCompositeType(named)) {
          run.errors.push(
            invalid(
              `Invalid __typename found for object at ${describeLast(run.path, type, parentType)}.`,
              run.path,
            ),
          );
          return { updated: null, hasErrors: true };
        }
        objectType = named;
      }
      const target =
        outputValue === undefined
          ? (Object.create(null) as Record<string, unknown>)
          : (outputValue as Record<string, unknown>);
      const bubbled = applySelections(selections ?? [], object, target, objectType, run);
      return bubbled ? { updated: null, hasErrors: true } : { updated: target, hasErrors: false };
    }
    const valid = isValidLeafValue(inputValue, type);
    if (!valid) {
      run.errors.push(
        invalid(`Invalid value found for ${describeLast(run.path, type, parentType)}.`, run.path),
      );
    }
    return { updated: valid ? inputValue : null, hasErrors: !valid };
  }

  return (input, variables) => {
    const run: Run = {
      variables: { __proto__: null, ...defaults, ...variables },
      errors: [],
      path: [],
    };
    const data = Object.create(null) as Record<string, unknown>;
    const bubbled = applySelections(root, input, data, rootType, run);
    return { data: bubbled ? null : data, errors: run.errors };
  };
}

function fieldSelection(
  responseName: string,
  conditions: Condition[],
  special: { typename?: boolean; introspection?: FieldNode },
): Selection {
  return {
    kind: 'field',
    responseName,
    conditions,
    typename: special.typename ?? false,
    introspection: special.introspection ?? null,
    // Never read: `__typename` and introspection are answered before the type matters.
    type: GraphQLBoolean,
    selections: null,
  };
}

function fieldOf(parent: GraphQLNamedType, name: string): { type: GraphQLOutputType } | null {
  return isObjectType(parent) || isInterfaceType(parent)
    ? (parent.getFields()[name] ?? null)
    : null;
}

function compositeType(schema: GraphQLSchema, name: string): GraphQLCompositeType {
  const type = schema.getType(name);
  if (!type || !isCompositeType(type)) throw new Error(`${name} is not a composite type`);
  return type;
}

function conditionsOf(selection: SelectionNode): Condition[] {
  const conditions: Condition[] = [];
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'if');
    if (!argument) continue;
    const value = argument.value;
    conditions.push({
      skip: name === 'skip',
      value:
        value.kind === Kind.VARIABLE
          ? { variable: value.name.value }
          : value.kind === Kind.BOOLEAN && value.value,
    });
  }
  // Apollo reads the first @skip and the first @include only.
  return conditions.filter((c, i) => conditions.findIndex((d) => d.skip === c.skip) === i);
}

function skipped(conditions: readonly Condition[], variables: Record<string, unknown>): boolean {
  for (const condition of conditions) {
    const value =
      typeof condition.value === 'boolean' ? condition.value : variables[condition.value.variable];
    if (typeof value !== 'boolean') {
      throw new Error(`Unexpected value ${String(value)} for a @skip/@include condition`);
    }
    if (condition.skip === value) return true;
  }
  return false;
}

function typeConditionApplies(
  schema: GraphQLSchema,
  typeCondition: GraphQLCompositeType | null,
  typename: unknown,
  parentType: GraphQLCompositeType,
): boolean {
  if (!typeCondition) return true;
  if (typeof typename === 'string' && typename) {
    const type = schema.getType(typename);
    return !!type && isSubtype(schema, typeCondition, type);
  }
  return isSubtype(schema, typeCondition, parentType);
}

function isSubtype(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  maybeSubType: GraphQLNamedType,
): boolean {
  if (type === maybeSubType) return true;
  return (
    isAbstractType(type) &&
    (isObjectType(maybeSubType) || 'getInterfaces' in maybeSubType) &&
    schema.isSubType(type, maybeSubType as Parameters<GraphQLSchema['isSubType']>[1])
  );
}

/** Apollo's `isValidLeafValue`: a scalar or enum value of the right kind. */
function isValidLeafValue(value: unknown, type: GraphQLOutputType): boolean {
  const named = getNullableType(type);
  if (!isSpecifiedScalarType(named as GraphQLNamedType) && !isEnumType(named)) return true;
  if (typeof value === 'boolean') return named === GraphQLBoolean;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (named === GraphQLInt || named === GraphQLID)
      return /^-?(?:0|[1-9][0-9]*)$/.test(String(value));
    return named === GraphQLFloat;
  }
  if (typeof value === 'string') {
    if (isEnumType(named)) return named.getValue(value) !== undefined;
    return named !== GraphQLBoolean && named !== GraphQLInt && named !== GraphQLFloat;
  }
  return false;
}

function describeLast(
  path: readonly (string | number)[],
  type: GraphQLOutputType,
  parentType: GraphQLCompositeType,
): string {
  const last = path[path.length - 1];
  return typeof last === 'string'
    ? `field ${parentType.name}.${last}`
    : `array element of type ${String(type)} at index ${last}`;
}

function invalid(message: string, path: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } });
}

function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** Sets a key as the object's own, even `__proto__` (outputs have no prototype, but be sure). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}
