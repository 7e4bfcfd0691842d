/**
 * Entry of a forecasting thread (dist/electron/forecast.cjs): pure arithmetic on the numbers it is
 * sent. It opens nothing and holds no key; it only sees the series of one run while it computes them.
 */
import { parentPort } from 'node:worker_threads';
import { forecastSeries } from '../../../shared/forecast/auto.js';
import type { ForecastJob, PoolReply, PoolTask } from './pool.js';

const port = parentPort;
if (!port) throw new Error('pool-thread.ts must run as a worker thread');
port.on('message', (task: PoolTask) => {
  let reply: PoolReply;
  try {
    reply = { id: task.id, results: task.jobs.map((job: ForecastJob) => forecastSeries(job.values, job.options)) };
  } catch (err) {
    reply = { id: task.id, error: (err as Error).message ?? String(err) };
  }
  port.postMessage(reply);
});
