import type { IncomingMessage } from 'node:http';

const LOOPBACK_PEER = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Whether `req` came over a loopback connection: a process on this very host. */
export function fromLoopbackPeer(req: IncomingMessage): boolean {
  return LOOPBACK_PEER.test(req.socket.remoteAddress ?? '');
}
