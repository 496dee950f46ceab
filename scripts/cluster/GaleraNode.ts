import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { ClusterProcess } from './ClusterProcess.ts';
import type { GaleraNodePorts } from './clusterPlan.ts';

/** Debian's server and Galera provider (packages mariadb-server and galera-4). */
export const MARIADBD = '/usr/sbin/mariadbd';
export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
const CLIENT = '/usr/bin/mariadb';

/** What a node says of itself: `wsrep_local_state_comment`, `wsrep_ready`, `wsrep_cluster_size`… */
export interface GaleraStatus {
  /** Synced, Donor/Desynced, Joining, Joined, Initialized… */
  state: string;
  ready: boolean;
  /** Primary, or non-Primary when the node has lost its quorum. */
  clusterStatus: string;
  clusterSize: number;
}

/** The account the platform (and the health checks) connect as. */
export interface DatabaseAccount {
  user: string;
  password: string;
}

/**
 * One MariaDB Galera node on this machine: its own data folder, socket and
 * ports on 127.0.0.1, and a `my.cnf` of its own (mariadbd reads no other file,
 * so the system's MariaDB on 3306 is never touched). The first node is
 * initialised with `mariadb-install-db` and bootstraps the cluster
 * (`--wsrep-new-cluster`); the others start with an empty data folder and
 * receive a full copy (SST by rsync) from a donor when they join, and only the
 * write sets they missed (IST, from the donor's gcache) when they rejoin.
 */
export class GaleraNode {
  readonly process: ClusterProcess;
  readonly dir: string;
  readonly socket: string;
  private readonly config: string;

  constructor(
    readonly index: number,
    readonly ports: GaleraNodePorts,
    private readonly allPorts: readonly GaleraNodePorts[],
    clusterDir: string,
    logDir: string,
  ) {
    this.dir = join(clusterDir, `galera-${index + 1}`);
    this.socket = join(this.dir, 'mariadbd.sock');
    this.config = join(this.dir, 'my.cnf');
    this.process = new ClusterProcess({
      name: this.name,
      command: MARIADBD,
      args: [`--defaults-file=${this.config}`],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      cwd: this.dir,
      logFile: join(logDir, `${this.name}.log`),
    });
  }

  get name(): string {
    return `galera-${this.index + 1}`;
  }

  /**
   * Writes the node's configuration and, for the first node, its system
   * tables. Run by root, the node runs as the `mysql` user (as Debian's
   * service does) and its folder is that user's: the rsync daemon that
   * receives a state transfer drops root's rights and could write nowhere else.
   */
  prepare(): void {
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
    writeFileSync(this.config, this.configText());
    if (this.index === 0 && !existsSync(join(this.dir, 'data', 'mysql'))) {
      const installed = spawnSync(
        INSTALL_DB,
        [
          '--no-defaults',
          `--datadir=${join(this.dir, 'data')}`,
          `--user=${serverUser()}`,
          '--skip-test-db',
        ],
        { encoding: 'utf8' },
      );
      if (installed.status !== 0) {
        throw new Error(`mariadb-install-db failed for ${this.name}:\n${installed.stderr}`);
      }
    }
    if (runByRoot()) {
      const [uid, gid] = ['-u', '-g'].map((flag) =>
        Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim()),
      ) as [number, number];
      chownTree(this.dir, uid, gid);
    }
  }

  /** Starts mariadbd; the first start of the first node bootstraps a new cluster. */
  start(bootstrap = false): void {
    this.process.start(bootstrap ? ['--wsrep-new-cluster'] : []);
  }

  /**
   * Starts a node that was killed: first `mariadbd --wsrep-recover` reads the
   * last committed position from InnoDB (a killed node's `grastate.dat` says
   * -1), then the node starts from it, as Debian's `galera_recovery` does for
   * its service. Knowing its position, the node asks for the write sets it
   * missed (IST, from a donor's gcache) instead of a full copy (SST), and the
   * donor keeps serving meanwhile. Returns the position, or null if none was
   * recovered (the node then receives a full copy).
   */
  restart(): string | null {
    const log = join(this.dir, 'wsrep-recover.log');
    rmSync(log, { force: true });
    spawnSync(
      MARIADBD,
      [`--defaults-file=${this.config}`, '--wsrep-recover', `--log-error=${log}`],
      {
        encoding: 'utf8',
      },
    );
    let position: string | null = null;
    try {
      position =
        /WSREP: Recovered position: (\S+:\d+)/.exec(readFileSync(log, 'utf8'))?.[1] ?? null;
    } catch {
      // no log: nothing recovered
    }
    this.process.start(position ? [`--wsrep-start-position=${position}`] : []);
    return position;
  }

  /**
   * Runs `sql` as the operating-system user over the node's socket (the
   * account `mariadb-install-db` made for it, by socket authentication).
   */
  runAsAdmin(sql: string): void {
    // On stdin, not the command line: other users may read command lines, not stdin.
    const run = spawnSync(
      CLIENT,
      ['--no-defaults', `--socket=${this.socket}`, `--user=${userInfo().username}`],
      { encoding: 'utf8', input: sql },
    );
    if (run.status !== 0) throw new Error(`${this.name}: ${run.stderr.trim()}`);
  }

  /** Whether mariadbd answers on its socket (before any account of ours exists). */
  answersOnSocket(): boolean {
    if (!this.process.running) return false;
    const ping = spawnSync(
      CLIENT,
      [
        '--no-defaults',
        `--socket=${this.socket}`,
        `--user=${userInfo().username}`,
        '--connect-timeout=2',
        '-e',
        'select 1',
      ],
      { encoding: 'utf8' },
    );
    return ping.status === 0;
  }

  /** The node's replication status, read over TCP as `account`; null if it does not answer. */
  async status(account: DatabaseAccount, timeoutMs = 2000): Promise<GaleraStatus | null> {
    let connection: Connection | undefined;
    try {
      connection = await this.connect(account, timeoutMs);
      return await readStatus(connection, timeoutMs);
    } catch {
      return null;
    } finally {
      await connection?.end().catch(() => undefined);
    }
  }

  /** A connection to this node alone (not through HAProxy). */
  connect(account: DatabaseAccount, timeoutMs = 2000): Promise<Connection> {
    return createConnection({
      host: '127.0.0.1',
      port: this.ports.sql,
      user: account.user,
      password: account.password,
      connectTimeout: timeoutMs,
    });
  }

  /** Waits until the node is Synced and ready in a primary component of `size` nodes. */
  async waitSynced(account: DatabaseAccount, size: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: GaleraStatus | null = null;
    while (Date.now() < deadline) {
      this.process.assertRunning();
      last = await this.status(account);
      if (
        last?.state === 'Synced' &&
        last.ready &&
        last.clusterStatus === 'Primary' &&
        last.clusterSize >= size
      ) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `${this.name} was not Synced in a cluster of ${size} within ${timeoutMs} ms ` +
        `(last: ${last ? JSON.stringify(last) : 'no answer'}); its log ends:\n${this.process.logTail()}`,
    );
  }

  private configText(): string {
    const addresses = this.allPorts.map((p) => `127.0.0.1:${p.gcomm}`).join(',');
    const provider = [
      `gmcast.listen_addr=tcp://127.0.0.1:${this.ports.gcomm}`,
      `ist.recv_addr=127.0.0.1:${this.ports.ist}`,
      // Enough write sets kept for a node that was away a minute to rejoin by IST.
      'gcache.size=128M',
      // A killed node is noticed within seconds, not the default 5 to 15.
      'evs.suspect_timeout=PT3S',
      'evs.inactive_timeout=PT6S',
      'evs.install_timeout=PT5S',
      // A causal read (wsrep_sync_wait) gives up after this rather than 30 s.
      'repl.causal_read_timeout=PT5S',
    ].join(';');
    const lines = [
      '# Written by `npm run cluster` for this node alone; mariadbd reads no other option file.',
      '[mariadbd]',
      ...(runByRoot() ? [`user=${SERVER_USER}`] : []),
      `datadir=${join(this.dir, 'data')}`,
      `tmpdir=${join(this.dir, 'tmp')}`,
      `socket=${this.socket}`,
      `pid-file=${join(this.dir, 'mariadbd.pid')}`,
      'bind-address=127.0.0.1',
      `port=${this.ports.sql}`,
      'skip-name-resolve',
      // Small: three nodes share a developer's machine.
      'performance_schema=OFF',
      'innodb_buffer_pool_size=64M',
      'innodb_log_file_size=48M',
      'max_connections=400',
      // What Galera requires: row-based replication of InnoDB tables, interleaved auto-increments.
      'binlog_format=ROW',
      'default_storage_engine=InnoDB',
      'innodb_autoinc_lock_mode=2',
      // Durability comes from the other nodes holding every committed write set.
      'innodb_flush_log_at_trx_commit=2',
      'character-set-server=utf8mb4',
      'collation-server=utf8mb4_bin',
      'wsrep_on=ON',
      `wsrep_provider=${GALERA_PROVIDER}`,
      'wsrep_cluster_name=govdata',
      `wsrep_cluster_address=gcomm://${addresses}`,
      `wsrep_node_name=${this.name}`,
      `wsrep_node_address=127.0.0.1:${this.ports.gcomm}`,
      `wsrep_node_incoming_address=127.0.0.1:${this.ports.sql}`,
      `wsrep_provider_options="${provider}"`,
      'wsrep_sst_method=rsync',
      `wsrep_sst_receive_address=127.0.0.1:${this.ports.sst}`,
      'wsrep_slave_threads=2',
      // An autocommit statement that loses certification (two replicas counting the same
      // rate window through two nodes) is retried by the server, not failed to the client.
      'wsrep_retry_autocommit=8',
      '',
    ];
    return lines.join('\n');
  }
}

/** The account mariadbd runs as when started by root (Debian's package makes it). */
const SERVER_USER = 'mysql';

function runByRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Who mariadbd runs as: `mysql` when started by root, else whoever runs the cluster. */
function serverUser(): string {
  return runByRoot() ? SERVER_USER : userInfo().username;
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

/** What `connection`'s node says of its replication state. */
export async function readStatus(connection: Connection, timeoutMs: number): Promise<GaleraStatus> {
  const [rows] = await connection.query<RowDataPacket[]>({
    sql: "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_ready', 'wsrep_cluster_status', 'wsrep_cluster_size')",
    timeout: timeoutMs,
  });
  const value = (name: string) => String(rows.find((r) => r.Variable_name === name)?.Value ?? '');
  return {
    state: value('wsrep_local_state_comment'),
    ready: value('wsrep_ready') === 'ON',
    clusterStatus: value('wsrep_cluster_status'),
    clusterSize: Number(value('wsrep_cluster_size') || 0),
  };
}
