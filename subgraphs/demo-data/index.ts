export {
  creditRecordRows,
  creditRecordsOfEnterprise,
  creditRecordsOfPerson,
} from './creditRecordRows.ts';
export type { CreditRecordRow } from './creditRecordRows.ts';
export { DEMO_REFERENCE_DATE } from './demoReferenceDate.ts';
export { DEFAULT_DEMO_SCALE, demoSizes, MAX_DEMO_SCALE } from './demoSizes.ts';
export type { DemoSizes } from './demoSizes.ts';
export { ENTERPRISE_KINDS, enterpriseName, INDUSTRIES } from './enterpriseName.ts';
export type { EnterpriseKind, Industry } from './enterpriseName.ts';
export {
  DEMO_ENTERPRISE_INDEX,
  enterpriseAt,
  enterpriseCreditCodeAt,
  enterpriseProfileAt,
  enterpriseRows,
} from './enterpriseRows.ts';
export type { EnterpriseProfile, EnterpriseRow } from './enterpriseRows.ts';
export { inspectionRows, inspectionsOfEnterprise } from './inspectionRows.ts';
export type { InspectionRow } from './inspectionRows.ts';
export { addYears, dayNumber, isoDate } from './isoDate.ts';
export { landParcelRows, landParcelsOfEnterprise, landParcelsOfPerson } from './landParcelRows.ts';
export type { LandParcelRow } from './landParcelRows.ts';
export { licenseRows, licensesOfEnterprise, licensesOfPerson } from './licenseRows.ts';
export type { LicenseRow } from './licenseRows.ts';
export { IndexPermutation, permuteIndex } from './IndexPermutation.ts';
export {
  DEMO_PERSON_INDEX,
  personAt,
  personIdNumberAt,
  personProfileAt,
  personRows,
} from './personRows.ts';
export type { PersonProfile, PersonRow } from './personRows.ts';
export { chineseName } from './chineseName.ts';
export { phoneNumber } from './phoneNumber.ts';
export { DEMO_CITIES, DEMO_PROVINCE, REGIONS, regionAt, regionByCode } from './regions.ts';
export type { Region } from './regions.ts';
export { replaceTableRows } from './replaceTableRows.ts';
export type { ReplaceTableRowsOptions, SeedRow, SeedValue } from './replaceTableRows.ts';
export {
  isValidResidentIdNumber,
  residentIdCheckDigit,
  residentIdGender,
  residentIdNumber,
} from './residentIdNumber.ts';
export type { ResidentIdParts } from './residentIdNumber.ts';
export { hash32, mix32, seededRandom } from './seededRandom.ts';
export type { SeededRandom } from './seededRandom.ts';
export { streetAddress } from './streetAddress.ts';
export {
  CREDIT_CODE_ALPHABET,
  isValidUnifiedSocialCreditCode,
  organizationCodeCheckChar,
  unifiedSocialCreditCheckChar,
  unifiedSocialCreditCode,
} from './unifiedSocialCreditCode.ts';
export type { UnifiedSocialCreditCodeParts } from './unifiedSocialCreditCode.ts';
export {
  utilityAccountRows,
  utilityAccountsOfEnterprise,
  utilityAccountsOfPerson,
} from './utilityAccountRows.ts';
export type { UtilityAccountRow } from './utilityAccountRows.ts';
export { waterMeterRows } from './waterMeterRows.ts';
export type { WaterMeterRow } from './waterMeterRows.ts';
