/**
 * `npm run audit:verify [-- --checkpoints FILE ...] [--chains-only]`: walks every
 * writer's hash chain in the platform database, checks it against the signed
 * checkpoints (default AUDIT_CHECKPOINT_FILE; give `--checkpoints` once per
 * file to check the files of several gateway hosts) and every ACCESS record
 * against its department's attestation (public keys from
 * DEPARTMENT_VERIFY_KEYS_DIR), and names each record that does not fit.
 * `--chains-only` skips the checkpoints and the attestations (the hash chains
 * alone do not show a rewrite by someone who recomputed every hash). Exit code
 * 1 if any problem is found.
 */
import { existsSync } from 'node:fs';
import { cliProgram, collect, runCli } from './cli/index.ts';

const program = cliProgram({
  name: 'npm run audit:verify --',
  description:
    "Walks every writer's hash chain of audit records in the platform database, checks the chains " +
    "against the gateway's signed checkpoints, and names each record that does not fit. " +
    'Exit code 1 if any problem is found.',
  examples: [
    'npm run audit:verify',
    'npm run audit:verify -- --checkpoints host-a/checkpoints.jsonl --checkpoints host-b/checkpoints.jsonl',
    'npm run audit:verify -- --chains-only   # no platform or department keys at hand',
  ],
})
  .option(
    '--checkpoints <file>',
    'a signed checkpoint file, repeatable, one per gateway host (default: AUDIT_CHECKPOINT_FILE)',
    collect,
  )
  .option(
    '--chains-only',
    'check the hash chains alone, without checkpoints or attestations (does not show a rewrite that recomputed every hash)',
  )
  .action(async (options) => {
    const { DepartmentVerifyKeys, loadConfig, loadVerifyKey, verifyAuditChains } =
      await import('../server/index.ts');
    const config = loadConfig();
    if (!options.chainsOnly && !existsSync(config.auth.gatewayPublicKeyFile)) {
      throw new Error(
        `No platform key at ${config.auth.gatewayPublicKeyFile} to check the signed checkpoints with: ` +
          'set GATEWAY_PUBLIC_KEY_FILE, or pass --chains-only to check the hash chains alone.',
      );
    }
    const { openPreparedPlatformDatabase } =
      await import('./platform/openPreparedPlatformDatabase.ts');
    const db = await openPreparedPlatformDatabase(config);
    try {
      const checkpoints = options.chainsOnly
        ? undefined
        : {
            files: options.checkpoints ?? [config.auditCheckpoints.file],
            publicKey: await loadVerifyKey(config.auth.gatewayPublicKeyFile),
          };
      const departmentKeys = new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir);
      const result = await verifyAuditChains(
        db,
        checkpoints,
        options.chainsOnly ? undefined : departmentKeys,
      );
      console.log(`${result.records} audit records in ${result.chains} chain(s)`);
      if (checkpoints) {
        console.log(
          `${result.checkpoints} signed checkpoint(s) from ${checkpoints.files.join(', ')}; ` +
            `${result.unsignedRecords} record(s) newer than their chain's last checkpoint`,
        );
      }
      const attested = result.attestations;
      if (attested) {
        console.log(
          `${attested.attested} ACCESS record(s) attested by their department (keys from ${departmentKeys.dir}); ` +
            `${attested.before} written before attestations began (after record ${attested.afterRecordId}), ` +
            `${attested.otherLevel} of other platforms' datasets`,
        );
      }
      for (const p of result.problems) {
        console.log(
          `  writer ${p.writer} seq ${p.seq}${p.recordId === null ? '' : ` record ${p.recordId}`}: ${p.problem}`,
        );
      }
      console.log(
        result.ok ? 'the audit trail verifies' : `${result.problems.length} problem(s) found`,
      );
      process.exitCode = result.ok ? 0 : 1;
    } finally {
      await db.destroy();
    }
  });

await runCli(program);
