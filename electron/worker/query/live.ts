import pg from 'pg';
import type { EngineResult, Plan } from '../../../shared/analysis/plan.js';
import { StrongroomError } from '../../../shared/errors.js';
import type { LocalExtract } from '../db/repositories/local-extracts.js';
import { pgQualified, type Warehouse } from '../sync/warehouse.js';
import { Cancellation, executeSql, type StatementRunner } from './sql-engine.js';

// Values come back in the forms toCell expects: dates as text (node-pg would make a local-time Date),
// numeric and bigint as text (converted to numbers), timestamps as Date (UTC instants).
const TEXT_TYPES = new Set([1082 /* date */, 1700 /* numeric */, 20 /* int8 */]);
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (TEXT_TYPES.has(oid)) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * Live mode: the same plan compiled for PostgreSQL and run on the warehouse as the extract's own
 * warehouse user, so row-level security and column grants apply exactly as they did to the sync.
 * Cancelling ends the session, which stops the statement on the server.
 */
export async function runLive(
  plan: Plan,
  local: LocalExtract,
  cancel: Cancellation,
  open: (connectionId: string) => Promise<{ warehouse: Warehouse }>,
): Promise<EngineResult> {
  if (!local.connectionId || !local.source) {
    throw new StrongroomError('NOT_FOUND', `"${local.name}" has no warehouse connection to run live against; analyse the cached copy instead.`);
  }
  const { warehouse } = await open(local.connectionId);
  let cancelled = false;
  cancel.onCancel(() => {
    cancelled = true;
    void warehouse.close();
  });
  const run: StatementRunner = async (sql, params) => {
    try {
      const result = await warehouse.client.query({ text: sql, values: params, rowMode: 'array', types: pgTypes });
      return result.rows as unknown[][];
    } catch (err) {
      if (cancelled) throw new StrongroomError('CANCELLED', 'The analysis was cancelled.');
      throw warehouse.error(err);
    }
  };
  try {
    return await executeSql(plan, 'postgres', pgQualified(local.source), run, cancel);
  } finally {
    await warehouse.close();
  }
}
