import type { CheckDigitStandard } from '../../../schema/index.ts';
import { isValidResidentIdNumber, isValidUnifiedSocialCreditCode } from '../../demo-data/index.ts';

/**
 * The validator of each check-character standard: the same functions the demo
 * data is generated with, so an inspection and the generator can never
 * disagree about what a valid number is.
 */
export const CHECK_DIGIT_VALIDATORS: Readonly<
  Record<CheckDigitStandard, (value: string) => boolean>
> = {
  GB11643: isValidResidentIdNumber,
  GB32100: isValidUnifiedSocialCreditCode,
};
