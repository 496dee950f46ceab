import { z } from 'zod';
import { DEPARTMENT_KINDS } from './enums.ts';

/** `department.yaml`: who a department is. Its datasets are the files in `catalogue/`. */
export const departmentSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/, {
    error: 'expected a department code of lowercase letters, digits and _',
  }),
  name: z.string().trim().min(1),
  kind: z.enum(DEPARTMENT_KINDS),
  /** Administrative division code of the department's jurisdiction (6 digits). */
  region: z.string().regex(/^\d{6}$/, { error: 'expected a 6-digit region code' }),
  /** The basic data resource this department leads, if any (e.g. population). */
  leads: z.string().optional(),
});

export type Department = z.output<typeof departmentSchema>;
