/**
 * A CA bundle (`caFile`, `DCM_CA_BUNDLE`): a PEM file of certificate authorities trusted in
 * addition to Node's own roots, for a company's internal CA or a TLS-inspecting proxy. Each thread
 * reads a file once (the synchronous worker reads it for itself, by the path the request carries).
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../errors.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const bundles = new Map<string, readonly string[]>();

/**
 * The certificates of the PEM file at `path`. Throws ConfigError naming the file when it cannot be
 * read or holds no certificate.
 * @param where where the setting came from, for messages (e.g. `DCM_CA_BUNDLE in the environment`).
 */
export function readCaBundle(path: string, where = 'caFile'): readonly string[] {
  let certificates = bundles.get(path);
  if (certificates) return certificates;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError({ message: `the CA bundle ${path} (${where}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
  }
  certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new ConfigError({ message: `the CA bundle ${path} (${where}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)` });
  bundles.set(path, certificates);
  return certificates;
}

/** Node's root certificates and those of the bundle at `path`: what a request with `caFile` trusts. */
export function trustedWith(path: string): string[] {
  return [...rootCertificates, ...readCaBundle(path)];
}
