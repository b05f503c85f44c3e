/**
 * CPU time of this process and every process under it (fr2en's workers are child processes), from
 * /proc. On a machine shared with other work, wall-clock time measures the neighbours as much as
 * the row; the CPU time the row's own processes spent is a steadier measure of its cost.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime and stime in USER_HZ ticks, 100 per second on every architecture it supports. */
const TICKS_PER_SECOND = 100;

/** User + system CPU ms of `pid` and its live descendants (0 where /proc is unavailable). */
export function treeCpuMs(pid = process.pid): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) for (const child of children.split(' ')) ms += treeCpuMs(Number(child));
    }
    return ms;
  } catch {
    return 0; // a process that just exited, or no /proc
  }
}
