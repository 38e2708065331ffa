// Test support: a real DNS server (dns2, UDP on 127.0.0.1) answering TXT queries from a zone the
// test controls; each TXT record may be split into several character-strings as real zones do.
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';

const { Packet } = dns2;

export interface TestDnsServer {
  /** `127.0.0.1:PORT`, as --dns-server takes it. */
  address: string;
  /** name → records, each record a list of character-strings. */
  zone: Map<string, string[][]>;
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const zone = new Map<string, string[][]>();
  const queries: string[] = [];
  const server = dns2.createUDPServer({ type: 'udp4' });
  server.on('request', (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    for (const q of request.questions) {
      queries.push(q.name);
      const records = zone.get(q.name.toLowerCase());
      if (!records) {
        response.header.rcode = 3; // NXDOMAIN
        continue;
      }
      if (q.type !== Packet.TYPE.TXT) continue;
      for (const chunks of records) {
        response.answers.push({ name: q.name, type: Packet.TYPE.TXT!, class: Packet.CLASS.IN!, ttl: 60, data: chunks });
      }
    }
    void send(response);
  });
  await server.listen(0, '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    zone,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
