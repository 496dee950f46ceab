/**
 * `npm run audit:verify`: walks every writer's hash chain in the platform
 * database and names each record that does not fit. Exit code 1 if any.
 */
import { loadConfig, openDatabase, verifyAuditChains } from '../server/index.ts';

const db = await openDatabase(loadConfig().database, 'platform');
try {
  const result = await verifyAuditChains(db);
  console.log(`${result.records} audit records in ${result.chains} chain(s)`);
  for (const p of result.problems) {
    console.log(
      `  writer ${p.writer} seq ${p.seq}${p.recordId === null ? '' : ` record ${p.recordId}`}: ${p.problem}`,
    );
  }
  console.log(
    result.ok ? 'the audit trail verifies' : `${result.problems.length} problem(s) found`,
  );
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
