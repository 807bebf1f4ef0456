/**
 * What the benchmarks read about other processes (FFmpeg, mediasoup workers) from Linux's /proc: CPU
 * time and start time from /proc/<pid>/stat, in clock ticks (`getconf CLK_TCK`, usually 100 a second,
 * so each reading is exact to 1/CLK_TCK s); child processes; open sockets.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The fields of /proc/<pid>/stat a benchmark needs, in clock ticks. */
export interface ProcStat {
  /** The executable's name (at most 15 characters). */
  command: string;
  /** User plus system CPU time of all the process's threads. */
  cpuTicks: number;
  /** When the process started, in ticks since the machine booted. */
  startTicks: number;
}

/** Reads /proc/<pid>/stat; null when the process is gone (or this is not Linux). */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2 (the command name, in parentheses) may hold spaces: count fields after its last ')'.
  const close = text.lastIndexOf(')');
  const command = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime 15, starttime 22 (proc(5)).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const start = Number(fields[19]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(start)) {
    throw new Error(`unexpected /proc/${pid}/stat: ${text.slice(0, 200)}`);
  }
  return { command, cpuTicks: utime + stime, startTicks: start };
}

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`). */
export async function clockTicksPerSecond(): Promise<number> {
  const { stdout } = await run('getconf', ['CLK_TCK'], { timeout: 5_000 });
  const hz = Number.parseInt(stdout.trim(), 10);
  if (!Number.isInteger(hz) || hz <= 0) throw new Error(`getconf CLK_TCK answered ${JSON.stringify(stdout)}`);
  return hz;
}

/**
 * Converts a process's start (ticks since boot) to wall-clock ms. Calibrated by starting a short-lived
 * child and comparing its start ticks with the wall clock around the spawn: exact to about one tick.
 */
export async function processStartClock(hz: number): Promise<(startTicks: number) => number> {
  const offsets: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = Date.now();
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    const after = Date.now();
    try {
      const pid = child.pid;
      const stat = pid === undefined ? null : readProcStat(pid);
      if (!stat) throw new Error('could not read the start time of a child process from /proc');
      // The tick count is rounded down: the start fell within [ticks, ticks + 1) ticks after boot.
      offsets.push((before + after) / 2 - ((stat.startTicks + 0.5) * 1000) / hz);
    } finally {
      child.kill('SIGKILL');
    }
  }
  offsets.sort((a, b) => a - b);
  const bootMs = offsets[1] ?? offsets[0] ?? 0;
  return (startTicks) => bootMs + (startTicks * 1000) / hz;
}

/** The live child processes of a process (of every one of its threads). */
export function childPids(pid: number = process.pid): number[] {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((task) => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter((field) => field !== '')
        .map(Number);
    } catch {
      return [];
    }
  });
}

/**
 * Whether the process holds a UDP socket now (FFmpeg receiving RTP: it has bound its port). Node
 * gives a child's stdio as sockets too (libuv socket pairs), so only sockets /proc/net/udp lists count.
 */
export function holdsUdpSocket(pid: number): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  const sockets = new Set<string>();
  for (const fd of fds) {
    try {
      const target = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (target?.[1]) sockets.add(target[1]);
    } catch {
      // closed meanwhile
    }
  }
  if (sockets.size === 0) return false;
  let table: string;
  try {
    table = fs.readFileSync(`/proc/${pid}/net/udp`, 'utf8');
  } catch {
    return false;
  }
  // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
  return table
    .split('\n')
    .slice(1)
    .some((line) => {
      const inode = line.trim().split(/\s+/)[9];
      return inode !== undefined && sockets.has(inode);
    });
}
