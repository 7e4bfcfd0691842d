/**
 * The `strongroom` command: the same services as the app, without Electron. Conventions for every
 * command: `--profile DIR` or STRONGROOM_PROFILE; the passphrase from STRONGROOM_PASSPHRASE or a
 * prompt on a TTY; `--json` prints exactly one JSON document on stdout; failures exit non-zero and,
 * with `--json`, print `{"error":{"code","message"}}`.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisMode, AnalysisResult, Api, CacheStatus, ConnectionSummary, EventMap, TlsMode } from '../../shared/contracts/index.js';
import { StrongroomError, toErrorInfo, type ErrorInfo } from '../../shared/errors.js';
import { createClient } from '../../shared/rpc/client.js';
import { resolveProfileDir } from '../worker/profile.js';
import { WorkerConnection } from '../worker/connection.js';
import { promptHidden } from './prompt.js';
import { forecastToJson, forecastToText } from './forecast-output.js';
import { BUILT_FORMATS, type BuiltFormat, type ExportTarget } from '../../shared/contracts/export.js';
import { writeFileAtomic } from '../worker/export/atomic.js';
import { FORECAST_MODELS, MAX_HORIZON, type ForecastModel } from '../../shared/contracts/forecast.js';

const HELP = `Usage: strongroom <command> [options]

Commands:
  init        Create an encrypted cache in the profile (asks for a new passphrase)
  status      Unlock and show schema version, cipher and extracts
  passwd      Change the passphrase (rewraps the key; data is not re-encrypted)
  serve       Start the browser host on 127.0.0.1 and print its URL
  connect     Save (and test) a warehouse connection: --name NAME --url postgres://USER@HOST:PORT/DB
              [--tls disable|require|verify-ca|verify-full] [--ca FILE] [--cert FILE --key FILE]
              The password comes from PGPASSWORD.
  extracts    Permitted remote extracts and local ones [--connection NAME]
  sync        Sync extracts: strongroom sync [NAME...] [--connection NAME]; progress on stderr
  query       Run an analysis spec: strongroom query SPEC.json [--format json|csv] [--mode sqlite|memory|live]
              [--now ISO-DATETIME]; SPEC.json may be - for stdin. JSON: {"columns":[{"name","type"}],"rows":[[…]]}
  forecast    Forecast an analysis spec (one date dimension with a grain, one measure, optional group
              dimensions): strongroom forecast SPEC.json --horizon H [--model auto|ets|theta|arima|mstl|
              combination|snaive|drift|croston] [--levels 80,95] [--save]. Prints per series the model,
              its backtest accuracy and the forecasts with intervals; --json for
              {"series":[{"group","model","backtest","forecast":[{"period","mean","lower_80",…}]}],…}
  export      Export an analysis, a dashboard or a spec, within the extracts' export policy:
              strongroom export (--analysis ID | --dashboard ID | --spec SPEC.json) --format csv|xlsx|pptx
              --out FILE [--locale en|ru]. The file is written atomically and the export audited;
              --json prints {"file","format","bytes","rows","sha256"}
  demo-warehouse  Serve the built-in demo bank warehouse on 127.0.0.1 [--port N] [--scale S]

Options:
  --profile DIR   Profile directory (default: STRONGROOM_PROFILE, else the app's own profile)
  --port N        Port for serve (default: a free port)
  --json          Print exactly one JSON document on stdout
  -h, --help      Show this help

Environment:
  STRONGROOM_PASSPHRASE       Passphrase (otherwise prompted on a terminal)
  STRONGROOM_NEW_PASSPHRASE   New passphrase for init and passwd (otherwise prompted)
`;

/** Exit codes: 0 success, 2 bad usage or arguments, 3 wrong passphrase or throttled, 1 anything else. */
function exitCodeFor(code: ErrorInfo['code']): number {
  if (code === 'INVALID_ARGUMENT' || code === 'INVALID_ANALYSIS') return 2;
  if (code === 'WRONG_PASSPHRASE' || code === 'THROTTLED') return 3;
  return 1;
}

async function readSecret(envName: string, question: string, confirm = false): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new StrongroomError('INVALID_ARGUMENT', `No passphrase: set ${envName} or run in a terminal to be asked.`);
  }
  const first = await promptHidden(question);
  if (confirm && (await promptHidden('Repeat it: ')) !== first) {
    throw new StrongroomError('INVALID_ARGUMENT', 'The two passphrases differ.');
  }
  return first;
}

/** postgres://USER@HOST:PORT/DB (a password in the URL is refused: use PGPASSWORD). */
function parsePgUrl(text: string): { host: string; port: number; database: string; user: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StrongroomError('INVALID_ARGUMENT', `Not a URL: ${text}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new StrongroomError('INVALID_ARGUMENT', '--url must start with postgres://');
  if (url.password) throw new StrongroomError('INVALID_ARGUMENT', 'Put the password in PGPASSWORD, not in the URL (it would stay in your shell history).');
  if (!url.username || !url.hostname) throw new StrongroomError('INVALID_ARGUMENT', '--url needs a user and a host: postgres://USER@HOST:PORT/DB');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    user: decodeURIComponent(url.username),
  };
}

/** The named connection, or the only one there is. */
async function pickConnection(api: Api, name: string | undefined, required: boolean): Promise<ConnectionSummary | null> {
  const all = await api.connections.list();
  if (name) {
    const found = all.find((c) => c.name === name || c.id === name);
    if (!found) throw new StrongroomError('NOT_FOUND', `No connection named "${name}". Add one with strongroom connect.`);
    return found;
  }
  if (all.length === 1) return all[0]!;
  if (!required) return null;
  throw new StrongroomError('INVALID_ARGUMENT', all.length ? `Several connections: choose one with --connection (${all.map((c) => c.name).join(', ')}).` : 'No connection yet. Add one with strongroom connect.');
}

function printStatus(status: CacheStatus) {
  const mib = (status.sizeBytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    [
      `Profile:   ${status.profileDir}`,
      `Schema:    ${status.schemaVersion} (this build knows up to ${status.latestSchemaVersion})`,
      `Cipher:    SQLCipher 4 compatible; key wrapped by ${status.keyWrappers.join(' and ')} (scrypt N=${status.kdf.N}, r=${status.kdf.r}, p=${status.kdf.p})`,
      `Extracts:  ${status.extracts}`,
      `Size:      ${mib} MiB`,
      `Created:   ${status.createdAt}`,
      '',
    ].join('\n'),
  );
}

/** The CLI's JSON form of a result: row-major, as scripts expect. */
export function resultToJson(result: AnalysisResult): { columns: Array<{ name: string; type: string }>; rows: unknown[][]; grouping?: number[] } {
  const rows = Array.from({ length: result.rowCount }, (_, r) => result.data.map((column) => column[r]));
  return {
    columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
    rows,
    ...(result.grouping ? { grouping: result.grouping } : {}),
  };
}

/** RFC 4180 CSV with a header row; empty fields are nulls. */
export function resultToCsv(result: AnalysisResult): string {
  const field = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [result.columns.map((c) => field(c.name)).join(',')];
  for (let r = 0; r < result.rowCount; r++) lines.push(result.data.map((column) => field(column[r])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function readSpecFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (err) {
    throw new StrongroomError('INVALID_ANALYSIS', `${file} is not a readable JSON analysis spec: ${(err as Error).message}`, { path: '' });
  }
}

export async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        port: { type: 'string' },
        name: { type: 'string' },
        url: { type: 'string' },
        tls: { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        connection: { type: 'string' },
        scale: { type: 'string' },
        format: { type: 'string' },
        mode: { type: 'string' },
        now: { type: 'string' },
        horizon: { type: 'string' },
        analysis: { type: 'string' },
        dashboard: { type: 'string' },
        spec: { type: 'string' },
        out: { type: 'string' },
        locale: { type: 'string' },
        model: { type: 'string' },
        levels: { type: 'string' },
        save: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = values.json ?? false;
    const command = positionals[0];
    if (values.help || !command) {
      process.stdout.write(HELP);
      return command || values.help ? 0 : 2;
    }
    if (command === 'serve') {
      const { serve } = await import('../host/main.js');
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
        throw new StrongroomError('INVALID_ARGUMENT', `--port must be a port number, got ${values.port}`);
      }
      const host = await serve({ ...(values.profile ? { profile: values.profile } : {}), ...(port !== undefined ? { port } : {}) });
      if (json) process.stdout.write(`${JSON.stringify({ url: host.url })}\n`);
      else process.stdout.write(`Strongroom is running in your browser at:\n  ${host.url}\n(only this machine can reach it; Ctrl+C stops it)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await host.close();
      return 0;
    }

    if (command === 'demo-warehouse') {
      const { startDemoWarehouse } = await import('../worker/demo/index.js');
      const port = values.port === undefined ? 0 : Number(values.port);
      const scale = values.scale === undefined ? 1 : Number(values.scale);
      if (!(scale > 0 && scale <= 1)) throw new StrongroomError('INVALID_ARGUMENT', '--scale must be in (0, 1]');
      const t0 = Date.now();
      const demo = await startDemoWarehouse({ port, scale });
      const info = { host: demo.host, port: demo.port, roles: ['analyst', 'staff_msk', 'staff_spb'], url: demo.url('analyst'), seconds: (Date.now() - t0) / 1000 };
      if (json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else process.stdout.write(`Demo warehouse ready in ${info.seconds.toFixed(1)} s on 127.0.0.1:${demo.port} (roles: analyst, staff_msk, staff_spb; any password).\n  psql ${demo.url('analyst')}\nIt is a demo, not a security boundary. Ctrl+C stops it.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await demo.stop();
      return 0;
    }

    const profileDir = resolveProfileDir(values.profile);
    // The same worker thread the app and the browser host use, with the same resource limits.
    const worker = new WorkerConnection(join(__dirname, 'worker.cjs'), { profileDir });
    const client = createClient<Api, EventMap>(worker.transport());
    const { api } = client;
    try {
      switch (command) {
        case 'init': {
          const passphrase = await readSecret('STRONGROOM_NEW_PASSPHRASE', 'New passphrase: ', true).catch(async (err) => {
            // STRONGROOM_PASSPHRASE also serves for init, so scripts need only one variable.
            if (process.env.STRONGROOM_PASSPHRASE) return process.env.STRONGROOM_PASSPHRASE;
            throw err;
          });
          await api.session.create({ passphrase });
          const status = await api.cache.status();
          if (json) process.stdout.write(`${JSON.stringify({ created: true, ...status })}\n`);
          else process.stdout.write(`Created an encrypted cache in ${profileDir}\n`);
          return 0;
        }
        case 'status': {
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const status = await api.cache.status();
          if (json) process.stdout.write(`${JSON.stringify(status)}\n`);
          else printStatus(status);
          return 0;
        }
        case 'passwd': {
          const current = await readSecret('STRONGROOM_PASSPHRASE', 'Current passphrase: ');
          const next = await readSecret('STRONGROOM_NEW_PASSPHRASE', 'New passphrase: ', true);
          await api.session.changePassphrase({ current, next });
          if (json) process.stdout.write(`${JSON.stringify({ changed: true })}\n`);
          else process.stdout.write('Passphrase changed. The data was not re-encrypted; the key was rewrapped.\n');
          return 0;
        }
        case 'connect': {
          if (!values.name || !values.url) throw new StrongroomError('INVALID_ARGUMENT', 'connect needs --name NAME and --url postgres://USER@HOST:PORT/DB');
          const url = parsePgUrl(values.url);
          const tlsMode = (values.tls ?? 'disable') as TlsMode;
          if (!['disable', 'require', 'verify-ca', 'verify-full'].includes(tlsMode)) throw new StrongroomError('INVALID_ARGUMENT', `--tls must be disable, require, verify-ca or verify-full`);
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const existing = (await api.connections.list()).find((c) => c.name === values.name);
          const saved = await api.connections.save({
            ...(existing ? { id: existing.id } : {}),
            name: values.name,
            ...url,
            ...(process.env.PGPASSWORD !== undefined ? { password: process.env.PGPASSWORD } : {}),
            tlsMode,
            ...(values.ca ? { caCert: readFileSync(values.ca, 'utf8') } : {}),
            ...(values.cert ? { clientCert: readFileSync(values.cert, 'utf8') } : {}),
            ...(values.key ? { clientKey: readFileSync(values.key, 'utf8') } : {}),
          });
          const tested = await api.connections.test({ id: saved.id });
          if (json) process.stdout.write(`${JSON.stringify({ connection: saved, test: tested })}\n`);
          else process.stdout.write(`Saved "${saved.name}": connected as ${tested.warehouseUser} to PostgreSQL ${tested.serverVersion}${tested.tls ? ' over TLS' : ''}; ${tested.permittedExtracts} extracts permitted.\n`);
          return 0;
        }
        case 'extracts': {
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const local = await api.extracts.list();
          const connection = await pickConnection(api, values.connection, false);
          const remote = connection ? await api.sync.remote({ connectionId: connection.id }) : null;
          if (json) process.stdout.write(`${JSON.stringify({ connection: connection?.name ?? null, remote, local })}\n`);
          else {
            for (const r of remote ?? []) process.stdout.write(`${r.name.padEnd(24)} ${r.classification.padEnd(13)} ${r.local ? `v${r.local.version}, ${r.local.rowCount} rows, synced ${r.local.syncedAt}, lease until ${r.local.leaseExpiresAt}` : 'not synced'}\n`);
            if (!remote) for (const l of local) process.stdout.write(`${l.name.padEnd(24)} v${l.version}, ${l.rowCount} rows, synced ${l.syncedAt}${l.leaseExpired ? ' (LEASE EXPIRED)' : ''}\n`);
          }
          return 0;
        }
        case 'sync': {
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const connection = (await pickConnection(api, values.connection, true))!;
          const names = positionals.slice(1);
          const off = client.on('sync.progress', (p) => {
            const pct = p.totalRows ? ` ${Math.floor((100 * p.rows) / Math.max(1, p.totalRows))}%` : '';
            process.stderr.write(`${p.name} ${p.phase} ${p.rows} rows${pct} ${p.rowsPerSecond} rows/s${p.etaSeconds !== null ? ` eta ${p.etaSeconds.toFixed(0)} s` : ''}\n`);
          });
          const onSignal = () => void api.sync.cancel();
          process.once('SIGINT', onSignal);
          try {
            const report = await api.sync.run({ connectionId: connection.id, ...(names.length ? { names } : {}) });
            if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
            else for (const r of report.results) process.stdout.write(`${r.name}: ${r.status}${r.mode ? ` (${r.mode})` : ''}, ${r.rowsRead} rows read, ${r.rowsDeleted} deleted, ${r.rowCount} in cache${r.error ? ` — ${r.error.message}` : ''}\n`);
            return report.results.some((r) => r.status === 'failed' || r.status === 'cancelled') ? 1 : 0;
          } finally {
            off();
            process.off('SIGINT', onSignal);
          }
        }
        case 'forecast': {
          const file = positionals[1];
          const usage = 'strongroom forecast SPEC.json --horizon H [--model M] [--levels 80,95] [--json]';
          if (!file) throw new StrongroomError('INVALID_ARGUMENT', `forecast needs a spec file: ${usage}`);
          const horizon = Number(values.horizon);
          if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= MAX_HORIZON)) throw new StrongroomError('INVALID_ARGUMENT', `--horizon must be a whole number of periods from 1 to ${MAX_HORIZON}: ${usage}`);
          const model = (values.model ?? 'auto') as ForecastModel;
          if (!FORECAST_MODELS.includes(model)) throw new StrongroomError('INVALID_ARGUMENT', `--model must be one of ${FORECAST_MODELS.join(', ')}`);
          const levels = values.levels ? values.levels.split(',').map(Number) : [80, 95];
          if (!levels.every((l) => l > 0 && l < 100)) throw new StrongroomError('INVALID_ARGUMENT', '--levels must be percentages between 0 and 100, e.g. 80,95');
          const spec = readSpecFile(file);
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const requestId = `cli-${process.pid}`;
          const onSignal = () => void api.forecast.cancel(requestId);
          process.once('SIGINT', onSignal);
          try {
            const run = await api.forecast.run({ spec, horizon, levels, model, requestId, save: values.save ?? false });
            process.stdout.write(json ? `${JSON.stringify(forecastToJson(run))}\n` : forecastToText(run));
            return 0;
          } finally {
            process.off('SIGINT', onSignal);
          }
        }
        case 'export': {
          const usage = 'strongroom export (--analysis ID | --dashboard ID | --spec SPEC.json) --format csv|xlsx|pptx --out FILE';
          const chosen = [values.analysis, values.dashboard, values.spec].filter((v) => v !== undefined);
          if (chosen.length !== 1) throw new StrongroomError('INVALID_ARGUMENT', `export needs exactly one of --analysis, --dashboard or --spec: ${usage}`);
          const format = values.format as BuiltFormat | undefined;
          if (!format || !BUILT_FORMATS.includes(format)) {
            throw new StrongroomError('INVALID_ARGUMENT', `--format must be one of ${BUILT_FORMATS.join(', ')} (PDF, PNG and SVG are drawn by the app's renderer: export them from the app): ${usage}`);
          }
          if (!values.out) throw new StrongroomError('INVALID_ARGUMENT', `export needs --out FILE: ${usage}`);
          const locale = values.locale ?? 'en';
          if (locale !== 'en' && locale !== 'ru') throw new StrongroomError('INVALID_ARGUMENT', '--locale must be en or ru');
          const target: ExportTarget = values.analysis ? { kind: 'analysis', id: values.analysis } : values.dashboard ? { kind: 'dashboard', id: values.dashboard } : { kind: 'spec', spec: readSpecFile(values.spec!) };
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const file = await api.export.build(target, { format, locale });
          const written = await writeFileAtomic(values.out, Buffer.from(file.base64, 'base64'));
          if (written.sha256 !== file.sha256) throw new StrongroomError('INTERNAL', `${values.out} was written with SHA-256 ${written.sha256}, not the audited ${file.sha256}.`);
          const info = { file: values.out, format, bytes: file.bytes, rows: file.rows, sha256: file.sha256 };
          process.stdout.write(json ? `${JSON.stringify(info)}\n` : `Wrote ${values.out} (${format}, ${file.rows} rows, ${file.bytes} bytes, SHA-256 ${file.sha256})\n`);
          return 0;
        }
        case 'query': {
          const file = positionals[1];
          if (!file) throw new StrongroomError('INVALID_ARGUMENT', 'query needs a spec file: strongroom query SPEC.json [--format json|csv]');
          const format = values.format ?? 'json';
          if (format !== 'json' && format !== 'csv') throw new StrongroomError('INVALID_ARGUMENT', '--format must be json or csv');
          const mode = (values.mode ?? 'sqlite') as AnalysisMode;
          if (!['auto', 'memory', 'sqlite', 'live'].includes(mode)) throw new StrongroomError('INVALID_ARGUMENT', '--mode must be sqlite, memory, live or auto');
          const spec = readSpecFile(file);
          await api.session.unlock({ passphrase: await readSecret('STRONGROOM_PASSPHRASE', 'Passphrase: ') });
          const requestId = `cli-${process.pid}`;
          const onSignal = () => void api.analysis.cancel(requestId);
          process.once('SIGINT', onSignal);
          try {
            const result = await api.analysis.run(spec, { mode, requestId, ...(values.now ? { now: values.now } : {}) });
            process.stdout.write(format === 'csv' ? resultToCsv(result) : `${JSON.stringify(resultToJson(result))}\n`);
            if (result.truncated) process.stderr.write(`strongroom: only the first ${result.rowCount} rows are shown; raise "limit" in the spec for more\n`);
            return 0;
          } finally {
            process.off('SIGINT', onSignal);
          }
        }
        default:
          throw new StrongroomError('INVALID_ARGUMENT', `Unknown command "${command}". Run strongroom --help.`);
      }
    } finally {
      await worker.close();
    }
  } catch (err) {
    const info =
      err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
        ? { code: 'INVALID_ARGUMENT' as const, message: err.message }
        : toErrorInfo(err);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: info.code, message: info.message } })}\n`);
    else process.stderr.write(`strongroom: ${info.message} [${info.code}]\n`);
    return exitCodeFor(info.code);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
