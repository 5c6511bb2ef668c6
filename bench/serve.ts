/**
 * What `tabembed serve` sustains, with and without cross-request batching: 1, 8 and 64
 * concurrent clients, each sending one short text per request and the next as soon as the
 * answer is in, against two servers of the built CLI (`--no-batching` on one), both up for the
 * whole run, their cells interleaved so machine load falls on both alike. Requests/s, p50 and
 * p95 latency per cell, and from each server's /metrics the texts per engine call. Writes
 * bench/serve.md. A measurement, not a test: nothing here passes or fails on a number.
 *
 *   npm run bench:serve [-- --model public/models/qwen3-tiny --dtype q8 --seconds 6]
 *
 * Run `npm run build:cli` first when src/ changed: the servers are the built CLI (dist/node).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { quantile } from '../src/core/embed-metrics.ts';
import { argValue, ROOT } from './bench-args.ts';
import { loadAverage, writeKeepingEarlierRuns } from './results-file.ts';

const MODEL = argValue('--model') ?? 'public/models/qwen3-tiny';
const DTYPE = argValue('--dtype') ?? 'q8';
/** Measured seconds per cell, after a warm-up of a fifth of it. */
const SECONDS = Number(argValue('--seconds') ?? 6);
const CONCURRENCY = [1, 8, 64];
const TOPICS = ['cats', 'rain in spring', 'train timetables', 'bread recipes', 'the tides', 'old maps'];
/** One short text per request, never the same twice in a row (the server caches nothing, but a reader may wonder). */
const textFor = (n: number): string => `short query ${n} about ${TOPICS[n % TOPICS.length] ?? ''}`;

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  agent: Agent;
}

/** The built CLI's `serve` on a free port, resolved when it says it is ready. */
async function startServer(name: string, flags: string[]): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/tabembed.js'),
      'serve',
      '--model',
      MODEL,
      '--dtype',
      DTYPE,
      '--port',
      '0',
      '--model-id',
      'bench',
      '--max-queue',
      '100000',
      ...flags,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /listening on (http:\S+),/.exec(stderr)?.[1];
      if (found && stderr.includes('ready: ')) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`tabembed serve exited ${code}:\n${stderr}`)));
  });
  // Keep-alive, one socket per client: a load generator that reconnects measures its own handshakes.
  return { name, url, child, agent: new Agent({ keepAlive: true, maxSockets: Infinity }) };
}

function post(server: Server, text: string): Promise<void> {
  const body = JSON.stringify({ model: 'bench', input: text, encoding_format: 'base64' });
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/v1/embeddings`,
      {
        method: 'POST',
        agent: server.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Texts per engine call so far, from /metrics: [sum, count] of tabembed_batch_texts. */
async function batchTexts(server: Server): Promise<[number, number]> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const read = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return [read('tabembed_batch_texts_sum'), read('tabembed_batch_texts_count')];
}

interface Cell {
  server: string;
  clients: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  textsPerCall: number;
}

/** `clients` loops for a warm-up then `SECONDS`, each sending its next request when the last is answered. */
async function measure(server: Server, clients: number): Promise<Cell> {
  let n = 0;
  const run = async (until: number, latencies: number[] | undefined): Promise<void> => {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const started = performance.now();
          await post(server, textFor(n++));
          latencies?.push(performance.now() - started);
        }
      }),
    );
  };
  await run(performance.now() + (SECONDS * 1000) / 5, undefined);
  const [sumBefore, countBefore] = await batchTexts(server);
  const latencies: number[] = [];
  const started = performance.now();
  await run(started + SECONDS * 1000, latencies);
  const seconds = (performance.now() - started) / 1000;
  const [sumAfter, countAfter] = await batchTexts(server);
  latencies.sort((a, b) => a - b);
  return {
    server: server.name,
    clients,
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    textsPerCall: (sumAfter - sumBefore) / Math.max(1, countAfter - countBefore),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const servers = [await startServer('batching', []), await startServer('--no-batching', ['--no-batching'])];
  const loadBefore = loadAverage();
  const cells: Cell[] = [];
  try {
    for (const clients of CONCURRENCY) {
      for (const server of servers) {
        const cell = await measure(server, clients);
        console.log(
          `${cell.server}, ${clients} clients: ${cell.perSecond.toFixed(0)} req/s, p50 ${cell.p50.toFixed(1)} ms, p95 ${cell.p95.toFixed(1)} ms, ${cell.textsPerCall.toFixed(1)} texts/call`,
        );
        cells.push(cell);
      }
    }
  } finally {
    for (const server of servers) {
      server.agent.destroy();
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  }
  const loadAfter = loadAverage();
  const byClients = (clients: number, name: string): Cell | undefined =>
    cells.find((cell) => cell.clients === clients && cell.server === name);
  const lines = [
    '# `tabembed serve`: requests/s and latency, with and without cross-request batching',
    '',
    `\`npm run bench:serve\` (bench/serve.ts), ${new Date().toISOString().slice(0, 10)}. Two servers of the built CLI (\`tabembed serve --model ${MODEL} --dtype ${DTYPE}\`, native CPU backend), one with \`--no-batching\`, both up for the whole run. Per cell: N clients in this process (node:http, keep-alive), each sending one short text per request (\`${textFor(0)}\`, …; base64 answers) and the next as soon as it is answered; ${SECONDS / 5} s of warm-up, then ${SECONDS} s measured; cells interleaved (batching, then not, at each N), one run. Latency is wall-clock per request at the client; texts per engine call are from each server's /metrics over the measured seconds.`,
    '',
    '| clients | server | requests/s | p50 ms | p95 ms | texts per engine call |',
    '|---|---|---|---|---|---|',
    ...cells.map(
      (cell) =>
        `| ${cell.clients} | ${cell.server} | ${cell.perSecond.toFixed(0)} | ${cell.p50.toFixed(1)} | ${cell.p95.toFixed(1)} | ${cell.textsPerCall.toFixed(1)} |`,
    ),
    '',
    ...CONCURRENCY.map((clients) => {
      const on = byClients(clients, 'batching');
      const off = byClients(clients, '--no-batching');
      return on && off
        ? `- **${clients} client${clients === 1 ? '' : 's'}:** batching gives ${(on.perSecond / off.perSecond).toFixed(2)}× the requests/s of one call per request (p50 ${on.p50.toFixed(1)} vs ${off.p50.toFixed(1)} ms).`
        : '';
    }),
    '- **Reading it:** the test model (64 wide, 3 layers) costs less per text than the HTTP, JSON and base64 work around it, and the load generator shares the cores with both servers. Batching saves the per-call cost (a `session.run`, tokenising, planning) where cores are left over; where they are full, fewer engine calls do not show as more requests/s, and a request that arrives just after a merged call starts waits for all of it. With one client nothing ever waits, so both servers do the same work and differ by noise. On the CPU a model of real width gets a token budget of one text per run (`src/engine/token-budget.ts`), so there requests do not merge.',
    `- **Machine:** ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), shared with other work; load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after; Node ${process.version}; ${((Date.now() - started) / 1000).toFixed(0)} s in all. The load generator runs on the same cores as the servers.`,
    '',
  ];
  writeKeepingEarlierRuns(join(ROOT, 'bench/serve.md'), lines);
  console.log(lines.join('\n'));
}

await main();
