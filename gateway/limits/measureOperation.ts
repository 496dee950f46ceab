import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { armorMeasuringRule, type OperationLimits } from '../../server/index.ts';

/** The size of a document as the limits see it; the cost, which depends on variables, is apart. */
export type DocumentMeasure = Pick<
  OperationLimits,
  'depth' | 'aliases' | 'rootFields' | 'directives' | 'tokens'
>;

/** Documents measured, kept by hash: most traffic repeats a few operations. */
const MEASURED_KEPT = 2000;

/**
 * Measures documents once each: depth, aliases and directives by GraphQL
 * Armor's walks (the largest of any operation in the document), top-level
 * fields (fragments spread at the top included), and tokens by graphql's own
 * lexer. Call it only on a document that passed graphql's validation, which
 * refuses fragment cycles before anything here follows a spread.
 */
export class DocumentMeasures {
  private readonly measured = new Map<string, DocumentMeasure>();

  measure(schema: GraphQLSchema, document: DocumentNode, source: string, hash: string) {
    let measure = this.measured.get(hash);
    if (!measure) {
      measure = measureDocument(schema, document, source);
      if (this.measured.size >= MEASURED_KEPT) this.measured.clear();
      this.measured.set(hash, measure);
    }
    return measure;
  }
}

export function measureDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  source: string,
): DocumentMeasure {
  const measure: DocumentMeasure = {
    depth: 0,
    aliases: 0,
    directives: 0,
    rootFields: 0,
    tokens: countTokens(source),
  };
  const largest = (name: 'depth' | 'aliases' | 'directives') => (n: number) => {
    measure[name] = Math.max(measure[name], n);
  };
  validate(schema, document, [
    armorMeasuringRule('depth', largest('depth')),
    armorMeasuringRule('aliases', largest('aliases')),
    armorMeasuringRule('directives', largest('directives')),
  ]);
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
    ),
  );
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      measure.rootFields = Math.max(
        measure.rootFields,
        countFields(definition.selectionSet, fragments, new Set()),
      );
    }
  }
  return measure;
}

/**
 * Lexical tokens of `source`, counted as graphql's parser counts them for
 * `maxTokens`; with `stopAfter`, counting stops once it is passed (a refusal
 * need not lex a whole oversized document to say it is over).
 */
export function countTokens(source: string, stopAfter = Infinity): number {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  while (tokens <= stopAfter && lexer.advance().kind !== TokenKind.EOF) tokens++;
  return tokens;
}

/** Fields selected at this level, through inline fragments and spreads (each spread once). */
function countFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, SelectionSetNode>,
  spread: Set<string>,
): number {
  let fields = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields += countFields(selection.selectionSet, fragments, spread);
    } else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) fields += countFields(fragment, fragments, spread);
    }
  }
  return fields;
}
