// The part of dns2 (2.x, untyped) that the tests use to run a real DNS server on loopback.
declare module 'dns2' {
  import type { Socket, RemoteInfo } from 'node:dgram';
  interface Question {
    name: string;
    type: number;
    class: number;
  }
  interface Answer {
    name: string;
    type: number;
    class: number;
    ttl: number;
    data: string | string[];
  }
  class Packet {
    questions: Question[];
    answers: Answer[];
    header: { rcode: number; [k: string]: unknown };
    static TYPE: Record<string, number>;
    static CLASS: Record<string, number>;
    static createResponseFromRequest(request: Packet): Packet;
  }
  class UDPServer extends Socket {
    listen(port: number, address?: string): Promise<void>;
    on(event: 'request', listener: (request: Packet, send: (response: Packet) => Promise<unknown>, rinfo: RemoteInfo) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }
  function createUDPServer(options: { type: 'udp4' | 'udp6' }): UDPServer;
  const dns2: { Packet: typeof Packet; createUDPServer: typeof createUDPServer; UDPServer: typeof UDPServer };
  export default dns2;
}
