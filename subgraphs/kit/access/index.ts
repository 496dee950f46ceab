export { applyRules, buildRuleTree } from './buildRules.ts';
export { decideAccess, decideItem } from './decideAccess.ts';
export type { AccessDecision, AccessQuestion, ItemAccess } from './decideAccess.ts';
export { applyMask, isMaskRule, MASK_RULE_NAMES } from './masking.ts';
export type { MaskRule } from './masking.ts';
export { PolicySnapshot } from './PolicySnapshot.ts';
export { PolicyStore } from './PolicyStore.ts';
export { RequestAccess } from './RequestAccess.ts';
