import {
  Kind,
  parse,
  print,
  type DirectiveNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from 'graphql';
import type { Knex } from 'knex';
import type { Catalogue, CatalogueDepartment } from '../../../schema/index.ts';
// Not the kit's index: that brings resolvers and rules into every gateway that composes.
import { DepartmentModel } from '../../kit/DepartmentModel.ts';
import { buildTypeDefs } from '../../kit/typeDefs/buildTypeDefs.ts';
import {
  publishedCatalogueOf,
  selectCatalogueRevision,
  selectPublishedEntries,
} from '../catalogue/index.ts';

/**
 * The SDL a department's published catalogue entries generate, by department
 * code; undefined for a code that is no department of the catalogue.
 */
export type CatalogueSdl = (department: string) => string | undefined;

/**
 * `CatalogueSdl` of `catalogue`, each department's generated once. The page
 * size only shows in descriptions, which `catalogueReachProblem` does not
 * compare.
 */
export function catalogueSdlOf(catalogue: Catalogue, maxPageSize: number): CatalogueSdl {
  const generated = new Map<string, string>();
  return (department) => {
    if (!catalogue.department(department)) return undefined;
    let sdl = generated.get(department);
    if (sdl === undefined) {
      sdl = buildTypeDefs(new DepartmentModel(catalogue, department), maxPageSize);
      generated.set(department, sdl);
    }
    return sdl;
  };
}

/**
 * The `CatalogueSdl` of the catalogue published in `db` (`departments` from
 * their folders, entries from the database), read again whenever the
 * catalogue's revision moves: what a gateway holds department subgraphs to.
 * Throws when the published catalogue does not validate, so that nothing is
 * composed against a catalogue no one can serve.
 */
export function publishedCatalogueSdl(
  departments: readonly Omit<CatalogueDepartment, 'entries'>[],
  maxPageSize: number,
): (db: Knex) => Promise<CatalogueSdl> {
  let known: { revision: string; sdl: CatalogueSdl } | undefined;
  return async (db) => {
    const revision = await selectCatalogueRevision(db);
    if (known?.revision !== revision) {
      const catalogue = publishedCatalogueOf(departments, await selectPublishedEntries(db));
      known = { revision, sdl: catalogueSdlOf(catalogue, maxPageSize) };
    }
    return known.sdl;
  };
}

/** What a type of a subgraph declares, as the rule compares it. */
interface Declared {
  kind: string;
  /** Fields (and input fields) with their printed type, and each argument's. */
  fields: Map<string, { type: string; args: Map<string, string> }>;
  /** `@key` directives, each as `fields|resolvable`. */
  keys: Set<string>;
  /** Interfaces implemented, union members, enum values. */
  members: Set<string>;
}

/** How many findings a refusal names before it counts the rest. */
const NAMED = 6;

/**
 * Why a department's subgraph SDL declares more than its published catalogue
 * entries generate (`allowed`, from `CatalogueSdl`), or null.
 *
 * A signature says which department published a subgraph; the catalogue says
 * what that department shares. So a department's subgraph — generated or
 * hand-written — may declare only types, fields, arguments and keys its
 * entries generate: its own entity types with their items, lookups, lists and
 * filters, other departments' entity types only as the stubs its join items
 * generate (`@key(fields: "joinHandle")` and the reverse fields it adds), and
 * the shared paging and filter types as the platform defines them. With more
 * it could name another department's type and give it a `@key` on that
 * department's fields (the gateway would fetch them under a consumer's grant
 * and hand them over in the representations), add fields to a type another
 * department owns, or take a name another department's entry binds later.
 * Descriptions and directives other than `@key` are not compared; which
 * directives may appear at all is `departmentReachProblem`'s rule.
 */
export function catalogueReachProblem(sdl: string, allowed: string): string | null {
  // A generated subgraph, as it normally is.
  if (sdl === allowed) return null;
  let declared: Declarations;
  try {
    declared = declarations(sdl);
  } catch (error) {
    return `its SDL does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  const generated = declarations(allowed).types;
  const beyond: string[] = [];
  if (declared.namesRoots) beyond.push('root operation types of its own');
  for (const [name, type] of declared.types) {
    const own = generated.get(name);
    if (!own) {
      beyond.push(`type ${name}`);
      continue;
    }
    if (own.kind !== type.kind)
      beyond.push(`${name} as ${type.kind} (the catalogue's is ${own.kind})`);
    for (const [fieldName, field] of type.fields) {
      const ownField = own.fields.get(fieldName);
      if (!ownField) {
        beyond.push(`${name}.${fieldName}`);
        continue;
      }
      if (ownField.type !== field.type) {
        beyond.push(`${name}.${fieldName}: ${field.type} (the catalogue's is ${ownField.type})`);
      }
      for (const [arg, argType] of field.args) {
        if (ownField.args.get(arg) !== argType)
          beyond.push(`${name}.${fieldName}(${arg}: ${argType})`);
      }
    }
    for (const key of type.keys) {
      if (!own.keys.has(key)) beyond.push(`${name} @key(fields: "${key.split('|')[0]}")`);
    }
    for (const member of type.members) {
      if (!own.members.has(member)) beyond.push(`${name}'s ${member}`);
    }
  }
  if (beyond.length === 0) return null;
  const named = beyond.slice(0, NAMED).join(', ');
  const more = beyond.length > NAMED ? ` and ${beyond.length - NAMED} more` : '';
  return (
    `it declares ${named}${more}, which its department's published catalogue entries do not ` +
    'generate: a department’s subgraph serves its own entries’ types, items, lookups and lists, ' +
    'other departments’ types only as the joinHandle stubs its join items make, and the shared ' +
    'paging and filter types'
  );
}

interface Declarations {
  types: Map<string, Declared>;
  /** Whether a schema definition names root operation types (the generated SDL names none). */
  namesRoots: boolean;
}

/** Every type an SDL declares or extends, merged by name. */
function declarations(sdl: string): Declarations {
  const types = new Map<string, Declared>();
  let namesRoots = false;
  for (const definition of parse(sdl).definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      namesRoots ||= (definition.operationTypes ?? []).length > 0;
    }
    const kind = kindOf(definition);
    if (!kind || !('name' in definition) || !definition.name) continue;
    const name = definition.name.value;
    let type = types.get(name);
    if (!type) {
      type = { kind, fields: new Map(), keys: new Set(), members: new Set() };
      types.set(name, type);
    }
    if ('fields' in definition) {
      for (const field of (definition.fields ?? []) as readonly (
        FieldDefinitionNode | InputValueDefinitionNode
      )[]) {
        const args = new Map<string, string>();
        if ('arguments' in field) {
          for (const arg of field.arguments ?? []) args.set(arg.name.value, print(arg.type));
        }
        type.fields.set(field.name.value, { type: print(field.type), args });
      }
    }
    for (const directive of ('directives' in definition ? definition.directives : undefined) ??
      []) {
      if (directive.name.value === 'key' || directive.name.value === 'federation__key') {
        type.keys.add(keyOf(directive));
      }
    }
    if ('interfaces' in definition) {
      for (const i of definition.interfaces ?? []) type.members.add(`interface ${i.name.value}`);
    }
    if ('types' in definition) {
      for (const t of definition.types ?? []) type.members.add(`member ${t.name.value}`);
    }
    if ('values' in definition) {
      for (const v of definition.values ?? []) type.members.add(`value ${v.name.value}`);
    }
  }
  return { types, namesRoots };
}

/** A `@key` as `fields|resolvable`, its selection's spacing normalised. */
function keyOf(directive: DirectiveNode): string {
  let fields = '';
  let resolvable = 'true';
  for (const argument of directive.arguments ?? []) {
    if (argument.name.value === 'fields') {
      fields =
        argument.value.kind === Kind.STRING
          ? argument.value.value.trim().replace(/\s+/g, ' ')
          : print(argument.value);
    } else if (argument.name.value === 'resolvable') {
      resolvable = print(argument.value);
    } else {
      resolvable += ` ${argument.name.value}: ${print(argument.value)}`;
    }
  }
  return `${fields}|${resolvable}`;
}

/** The kind a definition or extension declares, or undefined for schema and directive definitions. */
function kindOf(definition: DefinitionNode): string | undefined {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return 'type';
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return 'interface';
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return 'input';
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return 'union';
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return 'enum';
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return 'scalar';
    default:
      return undefined;
  }
}
