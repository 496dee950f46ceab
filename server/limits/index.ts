export { armorMeasuringRule } from './armorRules.ts';
export type { ArmorMeasure } from './armorRules.ts';
export { deleteRateWindowsBefore, reserveRateUnits } from './rateCounterQueries.ts';
export { subgraphOperationRules } from './subgraphOperationRules.ts';
