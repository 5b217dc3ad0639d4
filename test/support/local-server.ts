import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';

export interface LocalServer {
  /** `http://127.0.0.1:<port>` (or `https://` for a TLS server). */
  origin: string;
  port: number;
  /** Connections accepted so far (TLS: handshakes completed). */
  connections(): number;
  /** Destroys every open connection, then closes the server. */
  close(): Promise<void>;
}

/**
 * Listens on an ephemeral port of 127.0.0.1 (tests talk to nothing else) and tracks the open connections, so `close()`
 * ends at once even when a client keeps a connection alive.
 */
export async function listenLocally(server: Server | NetServer, { tls = false } = {}): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
