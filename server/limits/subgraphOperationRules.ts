import type { ValidationRule } from 'graphql';
import { operationLimitExceeded } from '../../schema/errors/index.ts';
import { armorMeasuringRule } from './armorRules.ts';

/**
 * The subgraph's own bounds, a second line behind the gateway's: validation
 * rules that refuse an operation nested deeper or aliased more than a
 * subgraph ever needs to answer its gateway, whoever sent it.
 */
export function subgraphOperationRules(bounds: {
  depth: number;
  aliases: number;
}): ValidationRule[] {
  return (['depth', 'aliases'] as const).map(
    (limit): ValidationRule =>
      (context) =>
        armorMeasuringRule(limit, (measured) => {
          if (measured > bounds[limit]) {
            context.reportError(
              operationLimitExceeded({ limit, measured, maximum: bounds[limit], requestId: null }),
            );
          }
        })(context),
  );
}
