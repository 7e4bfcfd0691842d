/**
 * The `strongroom` command: the same services as the app, without Electron. Conventions for every
 * command: `--profile DIR` or STRONGROOM_PROFILE; the passphrase from STRONGROOM_PASSPHRASE or a
 * prompt on a TTY; `--json` prints exactly one JSON document on stdout; failures exit non-zero and,
 * with `--json`, print `{"error":{"code","message"}}`.
 */
import { parseArgs } from 'node:util';
import type { Api, CacheStatus } from '../../shared/contracts/index.js';
import { StrongroomError, toErrorInfo, type ErrorInfo } from '../../shared/errors.js';
import { createClient, createLoopbackTransport } from '../../shared/rpc/client.js';
import { resolveProfileDir } from '../worker/profile.js';
import { createWorkerRuntime } from '../worker/runtime.js';
import { promptHidden } from './prompt.js';

const HELP = `Usage: strongroom <command> [options]

Commands:
  init        Create an encrypted cache in the profile (asks for a new passphrase)
  status      Unlock and show schema version, cipher and extracts
  passwd      Change the passphrase (rewraps the key; data is not re-encrypted)
  serve       Start the browser host on 127.0.0.1 and print its URL

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
  if (code === 'INVALID_ARGUMENT') return 2;
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

export async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        port: { type: 'string' },
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

    const profileDir = resolveProfileDir(values.profile);
    const runtime = createWorkerRuntime({ profileDir });
    const { api } = createClient<Api>(createLoopbackTransport((r) => runtime.publicServer.handle(r)));
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
        default:
          throw new StrongroomError('INVALID_ARGUMENT', `Unknown command "${command}". Run strongroom --help.`);
      }
    } finally {
      runtime.close();
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
