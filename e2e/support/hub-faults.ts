/**
 * The switchable faults of the fake Hub (hub-server.ts): which rules apply to a request, and how
 * a file body goes out under them. Planning is a pure function of the rules and the request;
 * only `sendBody` touches the socket.
 */
import type { ServerResponse } from 'node:http';

/** Status faults answer instead of the file; the rest change how the file goes out. */
export type StatusFault = '404' | '401' | '403' | '500' | 'html200';
/** Body faults change the bytes of a GET (a HEAD is left alone, and does not use up `times`). */
export type BodyFault = 'truncate' | 'drop' | 'bitflip' | 'zeros' | 'trickle' | 'stall';
/** Header faults combine with a body fault (e.g. `noLength` + `trickle`). */
export type HeaderFault = 'noRange' | 'noCors' | 'noLength';
export type Fault = StatusFault | BodyFault | HeaderFault;

export interface FaultRule {
  /**
   * `'*'` for every file, else the end of the file path at a `/` boundary:
   * `'model_q4.onnx'` and `'onnx/model_q4.onnx'` match `onnx/model_q4.onnx`, `'q4.onnx'` does not.
   */
  path: string;
  fault: Fault;
  /** How many requests it applies to; default Infinity. */
  times?: number;
  /**
   * Bytes: `truncate`/`drop`/`stall` send this many then stop (default half the body); `bitflip` flips the
   * byte at this file offset (default the middle); `trickle` sends this many per 100 ms tick
   * (default 64 KiB).
   */
  after?: number;
}

/** What applies to one request once the rules are matched (and their `times` used up). */
export interface FaultPlan {
  status?: StatusFault;
  body?: { fault: BodyFault; after: number | undefined };
  noRange: boolean;
  noCors: boolean;
  noLength: boolean;
  /** Every fault that applied, for the request log. */
  applied: Fault[];
}

export const NO_FAULTS: FaultPlan = { noRange: false, noCors: false, noLength: false, applied: [] };

const STATUS_FAULTS: readonly Fault[] = ['404', '401', '403', '500', 'html200'];
const BODY_FAULTS: readonly Fault[] = ['truncate', 'drop', 'bitflip', 'zeros', 'trickle', 'stall'];

function isStatusFault(fault: Fault): fault is StatusFault {
  return STATUS_FAULTS.includes(fault);
}
function isBodyFault(fault: Fault): fault is BodyFault {
  return BODY_FAULTS.includes(fault);
}

export function matchesPath(rulePath: string, filePath: string): boolean {
  return rulePath === '*' || filePath === rulePath || filePath.endsWith(`/${rulePath.replace(/^\/+/, '')}`);
}

/** Whether a fault changes anything for this request; one that doesn't keeps its `times`. */
function appliesTo(fault: Fault, method: string, hasRange: boolean): boolean {
  if (method === 'OPTIONS') return fault === 'noCors';
  if (isBodyFault(fault)) return method === 'GET';
  if (fault === 'noRange') return hasRange;
  return true;
}

/**
 * Matches `rules` against a request for `filePath` and decrements the `times` of those that
 * apply (mutating `rules`; spent rules are removed). A preflight only ever sees `noCors`, and it
 * does not use it up, so `{ fault: 'noCors', times: 1 }` still hits the GET that follows.
 * The first matching status fault wins, as does the first body fault; header faults add up.
 */
export function planFaults(rules: FaultRule[], filePath: string, method: string, hasRange: boolean): FaultPlan {
  const plan: FaultPlan = { ...NO_FAULTS, applied: [] };
  for (const rule of [...rules]) {
    if (!matchesPath(rule.path, filePath) || !appliesTo(rule.fault, method, hasRange)) continue;
    if (isStatusFault(rule.fault) && plan.status) continue;
    if (isBodyFault(rule.fault) && plan.body) continue;
    plan.applied.push(rule.fault);
    if (method !== 'OPTIONS' && rule.times !== undefined && --rule.times <= 0) rules.splice(rules.indexOf(rule), 1);
    const fault = rule.fault;
    switch (fault) {
      case '404':
      case '401':
      case '403':
      case '500':
      case 'html200':
        plan.status = fault;
        break;
      case 'truncate':
      case 'drop':
      case 'bitflip':
      case 'zeros':
      case 'trickle':
      case 'stall':
        plan.body = { fault, after: rule.after };
        break;
      case 'noRange':
        plan.noRange = true;
        break;
      case 'noCors':
        plan.noCors = true;
        break;
      case 'noLength':
        plan.noLength = true;
        break;
      default: {
        const unknown: never = fault;
        throw new Error(`unknown hub fault ${String(unknown)}`);
      }
    }
  }
  return plan;
}

/** Bodies like the Hub's for these statuses (JSON `{ error }`), or a CDN-style HTML error page. */
export function statusFaultResponse(fault: StatusFault): { status: number; contentType: string; body: string } {
  const json = (status: number, error: string) => ({
    status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ error }),
  });
  switch (fault) {
    case '404':
      return json(404, 'Entry not found');
    case '401':
      return json(401, 'Repository not found');
    case '403':
      return json(
        403,
        'Access to model is restricted. You must have access to it and be authenticated to access it. Please log in.',
      );
    case '500':
      return json(500, "Internal Error - We're working hard to fix this as soon as possible!");
    case 'html200':
      return {
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>\n',
      };
    default: {
      const unknown: never = fault;
      throw new Error(`unknown status fault ${String(unknown)}`);
    }
  }
}

/**
 * The bytes that go out for `[start, start + slice.length)` of a file under a body fault:
 * `zeros` blanks them, `bitflip` XORs the byte at file offset `after` (default the file's middle)
 * with 0xff when it falls in the slice. Truncation and pacing happen in `sendBody`.
 */
export function faultedBytes(slice: Buffer, start: number, fileSize: number, body: FaultPlan['body']): Buffer {
  if (body?.fault === 'zeros') return Buffer.alloc(slice.length);
  if (body?.fault !== 'bitflip') return slice;
  const at = (body.after ?? Math.floor(fileSize / 2)) - start;
  if (at < 0 || at >= slice.length) return slice;
  const copy = Buffer.from(slice);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

const TRICKLE_CHUNK = 64 * 1024;
const TRICKLE_TICK_MS = 100;

/**
 * Writes `bytes` (already faulted) as the response body; `count` hears every chunk written.
 * `truncate` ends the response cleanly after `after` bytes and closes the connection (FIN, the
 * headers said `Connection: close`), so a client sees a body shorter than its Content-Length;
 * `drop` resets the connection (RST) after `after` bytes; `stall` sends `after` bytes and then
 * nothing, with the connection left open (a hung mirror or proxy) until the client gives up;
 * `trickle` paces the body out so a test can abort mid-download, and stops when the client goes away.
 */
export async function sendBody(
  res: ServerResponse,
  bytes: Buffer,
  body: FaultPlan['body'],
  count: (n: number) => void,
): Promise<void> {
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve) => {
      count(chunk.length);
      // The callback also runs (with an error) when the socket is gone; the caller checks `destroyed`.
      res.write(chunk, () => resolve());
    });
  const half = Math.floor(bytes.length / 2);
  const fault = body?.fault;
  const after = body?.after;
  switch (fault) {
    case 'truncate': {
      const cut = bytes.subarray(0, Math.min(after ?? half, bytes.length));
      count(cut.length);
      res.end(cut);
      return;
    }
    case 'drop':
      await write(bytes.subarray(0, Math.min(after ?? half, bytes.length)));
      // A reset straight from the write callback (or setImmediate) still reaches the client as a
      // FIN on Node 20; a timer tick later it is an RST (checked in tests/unit/hub-server.test.ts).
      setTimeout(() => res.socket?.resetAndDestroy(), 10);
      return;
    case 'stall':
      await write(bytes.subarray(0, Math.min(after ?? half, bytes.length)));
      return; // the response never ends; the client's abort closes the socket
    case 'trickle': {
      const step = Math.max(1, after ?? TRICKLE_CHUNK);
      for (let offset = 0; offset < bytes.length && !res.destroyed; offset += step) {
        await write(bytes.subarray(offset, offset + step));
        await new Promise((resolve) => setTimeout(resolve, TRICKLE_TICK_MS));
      }
      if (!res.destroyed) res.end();
      return;
    }
    case 'bitflip':
    case 'zeros':
    case undefined:
      count(bytes.length);
      res.end(bytes);
      return;
    default: {
      const unknown: never = fault;
      throw new Error(`unknown body fault ${String(unknown)}`);
    }
  }
}
