/**
 * Stream and key numbers of the demo generator, one per independent use, kept
 * in one table so no two uses share a sequence by accident. Changing a number
 * changes the generated data everywhere: treat them as part of the data.
 */
export const RANDOM_STREAMS = {
  personIdentity: 101,
  person: 102,
  personLicenses: 103,
  personCreditRecords: 104,
  personLandParcels: 105,
  personUtilityAccounts: 106,
  enterpriseIdentity: 201,
  enterprise: 202,
  enterpriseLicenses: 203,
  enterpriseCreditRecords: 204,
  enterpriseLandParcels: 205,
  enterpriseUtilityAccounts: 206,
  enterpriseInspections: 207,
  numericOrganizationCode: 301,
  lettersOrganizationCode: 302,
  licenseSerial: 401,
  creditRecordSerial: 402,
  landParcelSerial: 403,
  utilityAccountSerial: 404,
  inspectionSerial: 405,
  waterMeterSerial: 406,
} as const;
