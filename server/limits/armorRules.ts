import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ValidationRule } from 'graphql';

/** What GraphQL Armor's walks count in one operation. */
export type ArmorMeasure = 'depth' | 'aliases' | 'directives';

/**
 * A validation rule that reports `measure` of each operation in a document to
 * `report`, as GraphQL Armor counts it: fragments followed once each (so a
 * fragment cycle, which graphql's own validation refuses, cannot loop it),
 * introspection not counted in depth, `__typename` not counted as an alias.
 * The limit is applied by the caller, so one walk serves every caller's limits
 * and the refusal can carry the measured value.
 */
export function armorMeasuringRule(
  measure: ArmorMeasure,
  report: (n: number) => void,
): ValidationRule {
  const options = {
    n: Infinity,
    propagateOnRejection: false,
    onAccept: [(_: unknown, details: { n: number }) => report(details.n)],
  };
  switch (measure) {
    case 'depth':
      return maxDepthRule({ ...options, ignoreIntrospection: true });
    case 'aliases':
      return maxAliasesRule(options);
    case 'directives':
      return maxDirectivesRule(options);
  }
}
