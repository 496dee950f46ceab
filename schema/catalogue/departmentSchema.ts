import { z } from 'zod';
import { DEPARTMENT_KINDS } from './enums.ts';

/**
 * Names the platform keeps for its own: its subgraphs (`platform`,
 * `crosslevel`) and the key they are published with (`platform_registry`). A
 * department's subgraph is named after its code and signed with the key of
 * that name, so a department so named would publish as the platform.
 */
export const RESERVED_DEPARTMENT_CODES: ReadonlySet<string> = new Set([
  'platform',
  'crosslevel',
  'platform_registry',
  // The gateways' platform database user is named as a department `gateway`'s host user would be.
  'gateway',
]);

/** `department.yaml`: who a department is. Its datasets are the files in `catalogue/`. */
export const departmentSchema = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, {
      error: 'expected a department code of lowercase letters, digits and _',
    })
    .refine((code) => !RESERVED_DEPARTMENT_CODES.has(code), {
      error: `is kept for the platform's own subgraphs, keys and database users (${[...RESERVED_DEPARTMENT_CODES].join(', ')}); choose another department code`,
    }),
  name: z.string().trim().min(1),
  kind: z.enum(DEPARTMENT_KINDS),
  /** Administrative division code of the department's jurisdiction (6 digits). */
  region: z.string().regex(/^\d{6}$/, { error: 'expected a 6-digit region code' }),
  /** The basic data resource this department leads, if any (e.g. population). */
  leads: z.string().optional(),
});

export type Department = z.output<typeof departmentSchema>;
