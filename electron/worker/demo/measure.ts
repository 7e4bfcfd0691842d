// Measures the demo warehouse: generation time per step, row counts, memory, and COPY TO STDOUT
// throughput through the role server with `pg`, as the sync engine reads it. Figures are printed with
// the machine they were measured on; nothing is asserted.
//
//   node <bundle of this file> [--scale 1] [--no-copy]
//
// (bundle it with esbuild like scripts/bench.mjs does for test/bench/*.bench.ts).
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { startDemoWarehouse } from './index';

/** What {@link measureDemo} measured. */
export interface DemoMeasurement {
  scale: number;
  timings: Record<string, number>;
  counts: Record<string, number>;
  /** Resident set size after generation, MB. */
  rssMb: number;
  /** COPY (SELECT * FROM bank.transactions) TO STDOUT as `analyst`, if measured. */
  copy?: { rows: number; bytes: number; ms: number };
}

/** Generates the demo at `scale`, serves it, and times a full COPY of transactions as analyst. */
export async function measureDemo(scale: number, options: { copy?: boolean; log?: (line: string) => void } = {}): Promise<DemoMeasurement> {
  const log = options.log ?? (() => {});
  const server = await startDemoWarehouse({ scale, onStep: (step, ms) => log(`  ${step.padEnd(24)} ${String(ms).padStart(7)} ms`) });
  try {
    const result: DemoMeasurement = { scale, timings: server.timings, counts: server.counts, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) };
    if (options.copy ?? true) {
      const client = new pg.Client({ connectionString: server.url('analyst') });
      await client.connect();
      try {
        const started = performance.now();
        const stream = client.query(copyTo('COPY (SELECT * FROM bank.transactions) TO STDOUT'));
        let bytes = 0;
        let rows = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
        }
        result.copy = { rows, bytes, ms: Math.round(performance.now() - started) };
      } finally {
        await client.end();
      }
    }
    return result;
  } finally {
    await server.stop();
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const scale = Number(argValue('--scale') ?? '1');
  const cpu = cpus();
  console.log(`demo warehouse at scale ${scale} on ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const m = await measureDemo(scale, { copy: !process.argv.includes('--no-copy'), log: (line) => console.log(line) });
  console.log(`  ${'total'.padEnd(24)} ${String(m.timings.total).padStart(7)} ms   (resident ${m.rssMb} MB)`);
  console.log(`rows: ${Object.entries(m.counts).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ')}`);
  if (m.copy) {
    const seconds = m.copy.ms / 1000;
    console.log(`COPY transactions TO STDOUT as analyst: ${m.copy.rows.toLocaleString('en-US')} rows, ${(m.copy.bytes / 2 ** 20).toFixed(1)} MB in ${seconds.toFixed(2)} s (${Math.round(m.copy.rows / seconds).toLocaleString('en-US')} rows/s)`);
  }
}

// Run when executed directly (node measure bundle), not when imported by a benchmark.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
