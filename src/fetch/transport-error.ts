// The one error an HttpPort throws: a failure below HTTP (network, timeout, abort), typed so the
// retry layer can tell them apart. Its message never holds headers or bodies, so never a secret.

/** `too-large`: the body passed the response size limit (it was not read further). */
export type TransportFailure = 'network' | 'timeout' | 'aborted' | 'too-large';

export class TransportError extends Error {
  readonly failure: TransportFailure;
  /** False when the request certainly never reached the server (connection refused, DNS). */
  readonly mayHaveReached: boolean;
  readonly errno?: string;

  constructor(failure: TransportFailure, message: string, opts: { mayHaveReached?: boolean; errno?: string } = {}) {
    super(message);
    this.name = 'TransportError';
    this.failure = failure;
    this.mayHaveReached = opts.mayHaveReached ?? failure !== 'aborted';
    this.errno = opts.errno;
  }
}

/** Error codes meaning the request never left this machine or never got a connection. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function networkError(errno: string | undefined, message: string): TransportError {
  return new TransportError('network', message, { errno, mayHaveReached: !(errno && NOT_SENT.has(errno)) });
}
