/**
 * Certificates made in the test with Debian's openssl: a throw-away CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate, all signed by that CA. Nothing is reused between
 * runs; the folder is the caller's to remove.
 *
 * @example
 *   const certs = await makeCertificates(dir);
 *   https.createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, …)
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MissingServiceError } from './services.js';

const run = promisify(execFile);

export interface Certificates {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second CA that signed nothing here: trusting only it must fail. */
  readonly otherCa: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingServiceError('openssl', "install Debian's openssl package", err);
    throw err;
  }
}

async function ca(dir: string, name: string): Promise<void> {
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
}

async function signed(dir: string, name: string, ext: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), ext);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

export async function makeCertificates(dir: string): Promise<Certificates> {
  await ca(dir, 'ca');
  await ca(dir, 'other-ca');
  await signed(dir, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await signed(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    otherCa: join(dir, 'other-ca.pem'),
  };
}
