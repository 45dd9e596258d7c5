/**
 * The emulator's TLS material (`tls: true`, `dcm sim --tls`): a certificate authority and a server
 * certificate for 127.0.0.1, ::1 and localhost, made at start and valid for a week. The CA's
 * certificate is written to a file of its own (`caFile` of the handle), so a client can trust it
 * the way it trusts a company's internal CA: `DCM_CA_BUNDLE=<caFile>`. Nothing is reused across
 * starts; the directory is removed when the emulator closes.
 *
 * Keys are made by Node's crypto (native, fast); node-forge, loaded only here, writes and signs the
 * X.509 certificates, which Node cannot.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What an HTTPS server needs, and where the CA's certificate was written. */
export interface TlsMaterial {
  /** The server's certificate (PEM), issued by the CA. */
  cert: string;
  /** The server's private key (PEM). */
  key: string;
  /** The CA's certificate (PEM). */
  ca: string;
  /** The file holding `ca`, for clients (`DCM_CA_BUNDLE`). */
  caFile: string;
  /** Removes the directory of `caFile`. */
  dispose(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An RSA key pair, made on libuv's thread pool (the CA's and the server's are made side by side). */
function rsaPair(): Promise<{ publicKey: string; privateKey: string }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ publicKey, privateKey }),
    );
  });
}

/** A fresh CA and a server certificate for the loopback names, the CA written to a new temporary file. */
export async function makeTlsMaterial(): Promise<TlsMaterial> {
  const [{ default: forge }, caPair, serverPair] = await Promise.all([import('node-forge'), rsaPair(), rsaPair()]);
  const { pki, md } = forge;
  const now = Date.now();
  const make = (subject: string, pair: { publicKey: string }, serial: string) => {
    const cert = pki.createCertificate();
    cert.publicKey = pki.publicKeyFromPem(pair.publicKey);
    cert.serialNumber = serial;
    cert.validity.notBefore = new Date(now - DAY_MS);
    cert.validity.notAfter = new Date(now + 7 * DAY_MS);
    cert.setSubject([{ name: 'commonName', value: subject }, { name: 'organizationName', value: 'mixcoatl emulator' }]);
    return cert;
  };
  // Random serial numbers, so two starts never clash; the leading 01 keeps them positive.
  const serial = (): string => `01${randomBytes(15).toString('hex')}`;

  const caKey = pki.privateKeyFromPem(caPair.privateKey);
  const ca = make('mixcoatl emulator CA', caPair, serial());
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey, md.sha256.create());

  const server = make('localhost', serverPair, serial());
  server.setIssuer(ca.subject.attributes);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKey, md.sha256.create());

  const caPem = pki.certificateToPem(ca);
  const dir = mkdtempSync(join(tmpdir(), 'mixcoatl-emulator-tls-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, caPem, { mode: 0o644 });
  return {
    cert: pki.certificateToPem(server),
    key: serverPair.privateKey,
    ca: caPem,
    caFile,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
