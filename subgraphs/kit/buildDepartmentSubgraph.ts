import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { Catalogue } from '../../schema/index.ts';
import { applyRules } from './access/index.ts';
import { DepartmentModel } from './DepartmentModel.ts';
import { buildResolvers } from './resolvers/index.ts';
import { buildTypeDefs } from './typeDefs/index.ts';

export interface SubgraphOptions {
  /** Largest page a list query may ask for. */
  maxPageSize: number;
  /**
   * Builds the subgraph without its sharing rules. Only the rules-on/off
   * benchmark sets this; no served subgraph does.
   */
  unsafeWithoutRules?: boolean;
}

/** A department's subgraph, built from its catalogue entries alone. */
export interface DepartmentSubgraph {
  /** The subgraph name in the supergraph: the department code. */
  name: string;
  model: DepartmentModel;
  /** The generated SDL, as composition and `subgraph check` see it. */
  typeDefs: string;
  /** The executable schema, built when first read (see `buildFromModel`). */
  readonly schema: GraphQLSchema;
  rulesEnforced: boolean;
  /** The options it was built with, as `rebuildDepartmentSubgraph` compares them. */
  options: string;
}

/**
 * Turns a department's catalogue entries into a Federation 2 subgraph with no
 * per-department code: the catalogue is the only input besides options. The
 * schema carries the graphql-shield rules generated from the same entries.
 */
export function buildDepartmentSubgraph(
  catalogue: Catalogue,
  departmentCode: string,
  options: SubgraphOptions,
): DepartmentSubgraph {
  return buildFromModel(new DepartmentModel(catalogue, departmentCode), options);
}

/**
 * The SDL `buildDepartmentSubgraph` would give, without building the schema
 * and its rules: what composition and the publication checks need. A few
 * milliseconds where the whole subgraph takes a fifth of a second or more at a
 * province department's size.
 */
export function departmentTypeDefs(
  catalogue: Catalogue,
  departmentCode: string,
  options: Pick<SubgraphOptions, 'maxPageSize'>,
): string {
  return buildTypeDefs(new DepartmentModel(catalogue, departmentCode), options.maxPageSize);
}

/** `departmentInputs` of each catalogue met, by department. */
const inputsByCatalogue = new WeakMap<Catalogue, Map<string, string>>();

/**
 * What `departmentCode`'s subgraph is built from under `catalogue`
 * (`DepartmentModel.inputs`): two catalogues that give the same inputs give
 * the same subgraph. Remembered per catalogue object, so comparing the
 * catalogue in force with a candidate works out the one in force once.
 */
export function departmentInputs(catalogue: Catalogue, departmentCode: string): string {
  let known = inputsByCatalogue.get(catalogue);
  if (!known) inputsByCatalogue.set(catalogue, (known = new Map<string, string>()));
  let inputs = known.get(departmentCode);
  if (inputs === undefined) {
    inputs = new DepartmentModel(catalogue, departmentCode).inputs;
    known.set(departmentCode, inputs);
  }
  return inputs;
}

/**
 * The department's subgraph under a newly published catalogue: `current`
 * itself when nothing it was built from changed (see `DepartmentModel.inputs`),
 * so a publication rebuilds only the departments it concerns. What a served
 * subgraph decides at request time — sourced items by their source — reads the
 * catalogue in force, never the one a subgraph was built from.
 */
export function rebuildDepartmentSubgraph(
  current: DepartmentSubgraph,
  catalogue: Catalogue,
  options: SubgraphOptions,
): DepartmentSubgraph {
  const model = new DepartmentModel(catalogue, current.name);
  if (model.inputs === current.model.inputs && current.options === optionsKey(options)) {
    return current;
  }
  return buildFromModel(model, options);
}

/**
 * The SDL at once; the executable schema (Apollo's subgraph schema with the
 * resolvers and the rules) when it is first read. The SDL is what composition
 * and the registry need, and a few milliseconds; the schema is most of a
 * subgraph's building time and memory (a fifth of a second and megabytes at a
 * province department's size), which a platform starting a hundred
 * departments need not spend before its gateway serves.
 */
function buildFromModel(model: DepartmentModel, options: SubgraphOptions): DepartmentSubgraph {
  const typeDefs = buildTypeDefs(model, options.maxPageSize);
  const rulesEnforced = !options.unsafeWithoutRules;
  let schema: GraphQLSchema | undefined;
  const build = () => {
    const bare = buildSubgraphSchema({
      typeDefs: parse(typeDefs),
      resolvers: buildResolvers(model, options.maxPageSize),
    });
    return rulesEnforced ? applyRules(bare, model) : bare;
  };
  return {
    name: model.name,
    model,
    typeDefs,
    get schema() {
      return (schema ??= build());
    },
    rulesEnforced,
    options: optionsKey(options),
  };
}

function optionsKey(options: SubgraphOptions): string {
  return `${options.maxPageSize} ${options.unsafeWithoutRules === true}`;
}
