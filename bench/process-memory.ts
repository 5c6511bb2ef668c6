/**
 * Memory of a whole Chromium process tree, read from /proc (Linux only), for the bench scripts.
 *
 * Every `intervalMs` the Sampler sums VmRSS (statm) and PSS (smaps_rollup) over the browser
 * process and all its descendants (the tree is re-walked through /proc/<pid>/stat ppids at most
 * every 200 ms, so renderers, GPU and utility processes that start later are included).
 * smaps_rollup is not cheap: the kernel walks the page tables, ~13 ms of system time per GiB
 * resident on these machines (29 ms for a 2.2 GiB process), so at 50 ms a sampler watching a
 * 3 GB renderer takes over half a core from the run it measures. With `pssEveryMs` a process's
 * PSS is read at most that often, and in between estimated as its RSS less its last
 * (RSS − PSS): what it shares with others changes slowly, while a load or a run grows private
 * memory, which RSS and PSS count alike.
 * `resetPeaks()` / `hwmSum()` use VmHWM to catch peaks that fall between two samples.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface Sample {
  t: number;
  rss: number;
  pss: number;
  byType: Map<string, number>;
}

const PAGE_SIZE = 4096;

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function ppidMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readText(`/proc/${name}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  return children;
}

export function descendants(root: number): number[] {
  const children = ppidMap();
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

const typeCache = new Map<number, string>();
/** 'browser', 'renderer', 'gpu-process', 'utility:network.mojom.NetworkService', … */
export function processType(pid: number): string {
  let t = typeCache.get(pid);
  if (t !== undefined) return t;
  // Chromium rewrites its child processes' title: their cmdline is one space-joined string.
  const args = (readText(`/proc/${pid}/cmdline`) ?? '').split(/[\0 ]/);
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
  t = type === undefined ? 'browser' : sub ? `${type}:${sub.replace(/\.mojom\./, '.')}` : type;
  typeCache.set(pid, t);
  return t;
}

/** The Chromium browser process that Node started with `--user-data-dir=<profileDir>`. */
export function findBrowserPid(profileDir: string): number {
  for (const pid of ppidMap().get(process.pid) ?? []) {
    if ((readText(`/proc/${pid}/cmdline`) ?? '').includes(`--user-data-dir=${profileDir}`)) return pid;
  }
  throw new Error(`no Chromium child of ${process.pid} uses ${profileDir}`);
}

export class Sampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pids: number[] = [];
  private lastTree = 0;
  /** Per process: when its PSS was last read, and its RSS − PSS then. */
  private readonly shared = new Map<number, { t: number; offset: number }>();

  constructor(
    private readonly root: number,
    private readonly intervalMs = 50,
    /** Read each process's PSS at most this often (0: every sample); see the file's comment. */
    private readonly pssEveryMs = 0,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }
  stop(): void {
    clearInterval(this.timer);
  }

  sample(): Sample {
    const now = performance.now();
    if (now - this.lastTree > 200) {
      this.pids = descendants(this.root);
      this.lastTree = now;
    }
    let rss = 0;
    let pss = 0;
    const byType = new Map<string, number>();
    for (const pid of this.pids) {
      const statm = readText(`/proc/${pid}/statm`);
      if (!statm) continue;
      const r = Number(statm.split(' ')[1]) * PAGE_SIZE;
      rss += r;
      const known = this.shared.get(pid);
      if (known === undefined || now - known.t >= this.pssEveryMs) {
        const rollup = readText(`/proc/${pid}/smaps_rollup`);
        const m = rollup ? /^Pss:\s+(\d+) kB/m.exec(rollup) : null;
        const p = m ? Number(m[1]) * 1024 : r;
        this.shared.set(pid, { t: now, offset: r - p });
        pss += p;
      } else {
        pss += Math.max(0, r - known.offset);
      }
      const t = processType(pid);
      byType.set(t, (byType.get(t) ?? 0) + r);
    }
    const s = { t: now, rss, pss, byType };
    this.samples.push(s);
    return s;
  }

  /**
   * Resets every process's VmHWM to its current RSS (`echo 5 > /proc/<pid>/clear_refs`) and
   * returns the summed RSS at that moment; `hwmSum()` after the phase then catches peaks that
   * fall between two samples (as a sum of per-process peaks, an upper bound of the
   * simultaneous total). Undefined where clear_refs is not writable.
   */
  resetPeaks(): number | undefined {
    this.pids = descendants(this.root);
    this.lastTree = performance.now();
    let rss = 0;
    try {
      for (const pid of this.pids) {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        rss += Number((readText(`/proc/${pid}/statm`) ?? '0 0').split(' ')[1]) * PAGE_SIZE;
      }
    } catch {
      return undefined;
    }
    return rss;
  }

  hwmSum(): number {
    let sum = 0;
    for (const pid of descendants(this.root)) {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readText(`/proc/${pid}/status`) ?? '');
      if (m) sum += Number(m[1]) * 1024;
    }
    return sum;
  }

  between(t0: number, t1: number): Sample[] {
    return this.samples.filter((s) => s.t >= t0 && s.t <= t1);
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
