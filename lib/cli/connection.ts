/**
 * `--endpoint` and `--profile`, shared by every command that talks to the API. The endpoint comes
 * from the same resolver as the library's (lib/config/resolve.ts), fed with the command's
 * environment, so precedence is unchanged: explicit flag > DCM_* > ES_* > .env > profile.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { Endpoint } from '../endpoint.js';
import { resolveEndpoint } from '../config/resolve.js';
import { ConfigError } from '../errors.js';
import type { FlagSpecs } from './args.js';
import type { CliIO, Env } from './io.js';

export const CONNECTION_FLAGS: FlagSpecs = {
  endpoint: {
    type: 'string',
    valueName: 'URL|FILE[#NICK]',
    description: 'API root URL, or an endpoint JSON file (#nickname picks one of a list)',
  },
  profile: { type: 'string', valueName: 'NAME', description: 'read ~/.mixcoatl/NAME.config' },
};

export interface ConnectionFlags {
  endpoint?: string;
  profile?: string;
}

/** The endpoint a command should use, given its `--endpoint`/`--profile` flags. */
export function cliEndpoint(flags: ConnectionFlags, io: Pick<CliIO, 'env' | 'cwd'>): Endpoint {
  const env: Env = { ...io.env };
  if (flags.profile !== undefined) {
    env.DCM_PROFILE = flags.profile;
    // A profile named on the command line beats keys inherited from the environment.
    for (const name of ['DCM_ACCESS_KEY', 'ES_ACCESS_KEY', 'DCM_SECRET_KEY', 'ES_SECRET_KEY', 'DCM_ENDPOINT', 'ES_ENDPOINT', 'DCM_API_VERSION', 'ES_API_VERSION', 'DCM_SSL_VERIFY', 'ES_SSL_VERIFY']) {
      delete env[name];
    }
  }
  const given = flags.endpoint;
  if (given !== undefined && !/^https?:\/\//i.test(given)) return endpointFromFile(given, io.cwd);
  if (given !== undefined) env.DCM_ENDPOINT = given;
  return resolveEndpoint(undefined, env as NodeJS.ProcessEnv);
}

function endpointFromFile(spec: string, cwd: string): Endpoint {
  const hash = spec.lastIndexOf('#');
  const file = hash === -1 ? spec : spec.slice(0, hash);
  const nickname = hash === -1 ? undefined : spec.slice(hash + 1);
  const path = isAbsolute(file) ? file : resolvePath(cwd, file);
  if (nickname === undefined) return Endpoint.fromFile(path);
  const all = Endpoint.multipleFromFile(path);
  const found = all.get(nickname);
  if (!found) {
    throw new ConfigError({ message: `${file}: no endpoint with nickname ${JSON.stringify(nickname)} (known: ${[...all.keys()].join(', ') || 'none'})` });
  }
  return found;
}
