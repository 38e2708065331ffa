// Serving an emulator over HTTP on a socket with @hono/node-server (for the CLI and
// startEmulator): listen, report the real URL (port 0 picks one), and stop cleanly.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** What can be served: a fetch handler and a store to flush on stop (an Emulator is one). */
export interface Servable {
  app: { fetch(request: Request): Response | Promise<Response> };
  /** Told the bound address and port, so that they count as the emulator's own origin. */
  hosts: { listeningOn(address: string, port: number): void };
  close(): Promise<void>;
}

export interface Listening {
  server: Server;
  /** `http://HOST:PORT` with the port actually bound. */
  url: string;
  /** Stops accepting, ends open streams, then flushes the emulator's store. */
  stop(): Promise<void>;
}

/** Listens on host:port; a listen error is turned into the caller's own error by `explain`. */
export async function listen(emulator: Servable, host: string, port: number, explain: (err: NodeJS.ErrnoException) => Error): Promise<Listening> {
  const server = createAdaptorServer({ fetch: emulator.app.fetch, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(explain(err)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  emulator.hosts.listeningOn(address.address, address.port);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams stay open until told: end them so close can finish.
        server.closeAllConnections();
      });
      await emulator.close();
    })());
  return { server, url, stop };
}
