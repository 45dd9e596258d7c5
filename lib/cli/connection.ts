/**
 * `--endpoint` and `--profile`, shared by every command that talks to the API. The endpoint comes
 * from the same resolver as the library's (lib/config/resolve.ts), fed with the command's
 * environment, so precedence is unchanged: explicit flag > DCM_* > ES_* > .env > profile.
 */
import { Endpoint } from '../endpoint.js';
import { resolveEndpoint } from '../config/resolve.js';
import { ConfigError } from '../errors.js';
import { filePath, type CliIO, type Env } from './io.js';
import { settingOf } from '../config/schema.js';
import { redactAlso } from './redact.js';

export { CONNECTION_FLAGS } from './flags.js';

export interface ConnectionFlags {
  endpoint?: string;
  profile?: string;
}

/**
 * The endpoint a command should use, given its `--endpoint`/`--profile` flags. Its secret key is
 * handed to the CLI's redaction, wherever it came from.
 */
export function cliEndpoint(flags: ConnectionFlags, io: Pick<CliIO, 'env' | 'cwd'>): Endpoint {
  const endpoint = resolveCliEndpoint(flags, io);
  redactAlso(endpoint.secretKey);
  return endpoint;
}

function resolveCliEndpoint(flags: ConnectionFlags, io: Pick<CliIO, 'env' | 'cwd'>): Endpoint {
  const env: Env = { ...io.env };
  if (flags.profile !== undefined) {
    env[settingOf('configure', 'profile').env[0]] = flags.profile;
    // A profile named on the command line beats keys inherited from the environment.
    for (const key of ['accessKey', 'secretKey', 'endpoint', 'apiVersion', 'sslVerify']) for (const name of settingOf('configure', key).env) delete env[name];
  }
  const given = flags.endpoint;
  if (given !== undefined && !/^https?:\/\//i.test(given)) return endpointFromFile(given, io);
  if (given === undefined) return resolveEndpoint(undefined, env as NodeJS.ProcessEnv);
  const variable = settingOf('configure', 'endpoint').env[0];
  env[variable] = given;
  try {
    return resolveEndpoint(undefined, env as NodeJS.ProcessEnv);
  } catch (error) {
    // The URL was given as --endpoint: a message about it names the flag, not the variable it went through.
    if (error instanceof ConfigError && error.message.includes(`${variable} in the environment`)) {
      throw new ConfigError({ message: error.message.replace(`${variable} in the environment`, '--endpoint').replaceAll(variable, '--endpoint') });
    }
    throw error;
  }
}

function endpointFromFile(spec: string, io: Pick<CliIO, 'cwd'>): Endpoint {
  const hash = spec.lastIndexOf('#');
  const file = hash === -1 ? spec : spec.slice(0, hash);
  const nickname = hash === -1 ? undefined : spec.slice(hash + 1);
  const path = filePath(io, file);
  if (nickname === undefined) return Endpoint.fromFile(path);
  const all = Endpoint.multipleFromFile(path);
  const found = all.get(nickname);
  if (!found) {
    throw new ConfigError({ message: `${file}: no endpoint with nickname ${JSON.stringify(nickname)} (known: ${[...all.keys()].join(', ') || 'none'})` });
  }
  return found;
}
