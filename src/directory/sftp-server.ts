// The emulator's SFTP server for CSV directories (the ssh2 package's server, pure JavaScript): one per
// emulator, started with the first {"type":"sftp"} connection; each workspace signs in with its own
// username and password (or public key) and uploads users.csv and groups.csv; a sync follows.
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, SFTPWrapper, AuthContext } from 'ssh2';
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import { EmulatorError } from '../errors.js';
import type { WorkspaceState } from '../store/state.js';
import { CSV_FILES, MAX_CSV_BYTES, checkCsvFile } from './csv.js';
import { directoryRuntime, recordSync, runSync } from './directory.js';
import { emptySummary } from './apply.js';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/**
 * Open handles one connection may hold (over all its SFTP sessions): each file handle buffers up to
 * 1 MiB, so without a bound one signed-in client could hold any amount of memory (docs/security.md).
 */
export const MAX_OPEN_HANDLES = 8;
/** Quiet time after an upload before its sync runs, unless the client disconnects first. */
const SETTLE_MS = 1000;

export interface SftpOptions {
  /** 0: a free port. */
  port: number;
  host: string;
}

interface SftpRuntime {
  server: InstanceType<typeof Server> | undefined;
  starting: Promise<void> | undefined;
  connections: Set<Connection>;
}

const SFTP_RUNTIME = runtimeSlot<SftpRuntime>('directory-sftp', () => ({ server: undefined, starting: undefined, connections: new Set() }));
const sftpRuntime = (core: EmulatorCore) => core.runtime(SFTP_RUNTIME);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The workspace whose SFTP connection has this username (a scan at sign-in only). */
function workspaceOf(core: EmulatorCore, username: string): WorkspaceState | undefined {
  return Object.values(core.state.workspaces).find((ws) => ws.directory.connection?.type === 'sftp' && ws.directory.connection.username === username);
}

function authenticate(core: EmulatorCore, ctx: AuthContext): string | undefined {
  const ws = workspaceOf(core, ctx.username);
  const c = ws?.directory.connection;
  if (!ws || c?.type !== 'sftp') return undefined;
  if (ctx.method === 'password') return sameText(ctx.password, c.password) ? ws.id : undefined;
  if (ctx.method === 'publickey') {
    for (const text of c.publicKeys) {
      const parsed = utils.parseKey(text);
      const key = (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey | Error | undefined;
      if (!key || key instanceof Error) continue;
      if (key.type !== ctx.key.algo || !key.getPublicSSH().equals(ctx.key.data)) continue;
      // Without a signature the client only asks whether this key would do (RFC 4252 §7).
      if (!ctx.signature || !ctx.blob) return ws.id;
      return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ws.id : undefined;
    }
  }
  return undefined;
}

const fileName = (path: string) => path.replace(/^.*\//, '').toLowerCase();

function fileAttrs(size: number, mtimeMs: number) {
  const t = Math.floor(mtimeMs / 1000);
  return { mode: 0o100600, uid: 0, gid: 0, size, atime: t, mtime: t };
}
const DIR_ATTRS = { mode: 0o040700, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 };

/** One client connection: its workspace, open handles and the files it uploaded and not yet synced. */
function serveConnection(core: EmulatorCore, client: Connection): void {
  let wsId: string | undefined;
  let username = '';
  const uploaded: Record<string, string> = {};
  let timer: NodeJS.Timeout | undefined;
  let open = 0;
  let handlesOpen = 0;

  const syncNow = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const files = { ...uploaded };
    for (const k of Object.keys(uploaded)) delete uploaded[k];
    if (wsId === undefined || Object.keys(files).length === 0) return;
    const ws = core.workspace(wsId);
    if (ws?.directory.connection?.type !== 'sftp') return;
    runSync(core, wsId, 'upload', `sftp:${username}`, 'http://127.0.0.1', files).catch(() => {
      // Busy or changed: the files stay unsynced; the next upload or POST …/sync takes them.
    });
  };
  const settle = () => {
    if (timer) clearTimeout(timer);
    if (open === 0) timer = setTimeout(syncNow, SETTLE_MS);
  };

  client.on('authentication', (ctx) => {
    const found = authenticate(core, ctx);
    if (found !== undefined) {
      wsId = found;
      username = ctx.username;
      ctx.accept();
    } else ctx.reject(['password', 'publickey']);
  });
  client.on('ready', () => {
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('sftp', (acceptSftp) => serveSftp(acceptSftp()));
    });
  });
  client.on('close', () => syncNow());
  client.on('error', () => {});

  function serveSftp(sftp: SFTPWrapper): void {
    // The client's EOF ends the session: close our side too, or OpenSSH's sftp waits for the channel forever.
    sftp.on('end', () => sftp.end());
    // A session that ends with handles open gives them back to the connection's bound.
    sftp.on('close', () => {
      handlesOpen -= handles.size;
      handles.clear();
    });
    const tooMany = (id: number) =>
      sftp.status(id, STATUS_CODE.FAILURE, `too many open files (at most ${MAX_OPEN_HANDLES} per connection): close one first`);
    const handles = new Map<number, { kind: 'file'; name: string; chunks: Buffer[]; size: number; write: boolean } | { kind: 'dir'; listed: boolean }>();
    let nextHandle = 1;
    const handleOf = (buf: Buffer) => (buf.length === 4 ? handles.get(buf.readUInt32BE(0)) : undefined);
    const newHandle = (entry: Parameters<typeof handles.set>[1]) => {
      const id = nextHandle++;
      handles.set(id, entry);
      handlesOpen++;
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(id, 0);
      return buf;
    };
    const kept = () => ({ ...(core.workspace(wsId!)?.directory.files ?? {}), ...uploaded });

    sftp.on('REALPATH', (id, path) => {
      const name = path === '.' || path === '/' || path === '' ? '/' : `/${fileName(path)}`;
      sftp.name(id, [{ filename: name, longname: name, attrs: name === '/' ? DIR_ATTRS : fileAttrs(0, Date.now()) } as never]);
    });
    const stat = (id: number, path: string) => {
      const name = fileName(path);
      if (name === '' || name === '.' || path === '/') return sftp.attrs(id, DIR_ATTRS as never);
      const text = kept()[name];
      if (text === undefined) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE, `no ${name} here`);
      sftp.attrs(id, fileAttrs(Buffer.byteLength(text), Date.now()) as never);
    };
    sftp.on('STAT', stat);
    sftp.on('LSTAT', stat);
    sftp.on('OPENDIR', (id) => (handlesOpen >= MAX_OPEN_HANDLES ? tooMany(id) : sftp.handle(id, newHandle({ kind: 'dir', listed: false }))));
    sftp.on('READDIR', (id, handle) => {
      const h = handleOf(handle);
      if (!h || h.kind !== 'dir') return sftp.status(id, STATUS_CODE.FAILURE, 'not a directory handle');
      if (h.listed) return sftp.status(id, STATUS_CODE.EOF);
      h.listed = true;
      const files = kept();
      sftp.name(
        id,
        Object.keys(files).sort().map((f) => ({ filename: f, longname: `-rw------- 1 district district ${Buffer.byteLength(files[f]!)} Jan 1 00:00 ${f}`, attrs: fileAttrs(Buffer.byteLength(files[f]!), Date.now()) })) as never,
      );
    });
    sftp.on('OPEN', (id, path, flags) => {
      if (handlesOpen >= MAX_OPEN_HANDLES) return tooMany(id);
      const name = fileName(path);
      if (!(CSV_FILES as readonly string[]).includes(name)) {
        return sftp.status(id, STATUS_CODE.PERMISSION_DENIED, `only ${CSV_FILES.join(' and ')} are taken here, not "${path}"`);
      }
      const write = (flags & OPEN_MODE.WRITE) !== 0;
      if (!write && kept()[name] === undefined) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE, `no ${name} uploaded yet`);
      const chunks = write ? [] : [Buffer.from(kept()[name]!)];
      if (write) open++;
      sftp.handle(id, newHandle({ kind: 'file', name, chunks, size: chunks[0]?.length ?? 0, write }));
    });
    sftp.on('WRITE', (id, handle, offset, data) => {
      const h = handleOf(handle);
      if (!h || h.kind !== 'file' || !h.write) return sftp.status(id, STATUS_CODE.FAILURE, 'not a file open for writing');
      if (offset + data.length > MAX_CSV_BYTES) return sftp.status(id, STATUS_CODE.FAILURE, `${h.name} is larger than 1 MiB`);
      // Clients write in order; one that seeks is gathered by offset.
      const whole = Buffer.concat(h.chunks);
      const next = Buffer.alloc(Math.max(whole.length, offset + data.length));
      whole.copy(next);
      data.copy(next, offset);
      h.chunks = [next];
      h.size = next.length;
      sftp.status(id, STATUS_CODE.OK);
    });
    sftp.on('READ', (id, handle, offset, len) => {
      const h = handleOf(handle);
      if (!h || h.kind !== 'file') return sftp.status(id, STATUS_CODE.FAILURE, 'not a file handle');
      const whole = Buffer.concat(h.chunks);
      if (offset >= whole.length) return sftp.status(id, STATUS_CODE.EOF);
      sftp.data(id, whole.subarray(offset, offset + len));
    });
    sftp.on('FSTAT', (id, handle) => {
      const h = handleOf(handle);
      if (!h || h.kind !== 'file') return sftp.attrs(id, DIR_ATTRS as never);
      sftp.attrs(id, fileAttrs(h.size, Date.now()) as never);
    });
    const ok = (id: number) => sftp.status(id, STATUS_CODE.OK);
    sftp.on('SETSTAT', ok);
    sftp.on('FSETSTAT', ok);
    sftp.on('MKDIR', (id) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED, 'upload users.csv and groups.csv at the top level'));
    sftp.on('REMOVE', (id) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED, 'files are replaced by uploading them again'));
    sftp.on('RENAME', (id) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, 'upload users.csv and groups.csv under their own names'));
    sftp.on('CLOSE', (id, handle) => {
      const h = handleOf(handle);
      if (!h) return sftp.status(id, STATUS_CODE.FAILURE, 'unknown handle');
      handles.delete(handle.readUInt32BE(0));
      handlesOpen--;
      if (h.kind !== 'file' || !h.write) return ok(id);
      open--;
      const text = new TextDecoder('utf-8').decode(Buffer.concat(h.chunks));
      try {
        checkCsvFile(h.name, text);
      } catch (err) {
        // Refused as a whole: the file is not kept, the failed sync is in the history and journal.
        const ws = core.workspace(wsId!);
        if (ws) {
          recordSync(core, ws, { trigger: 'upload', actor: `sftp:${username}`, type: 'sftp', summary: emptySummary(), failure: err, warnings: [], files: { ...ws.directory.files, [h.name]: text } });
        }
        settle();
        return sftp.status(id, STATUS_CODE.FAILURE, err instanceof EmulatorError ? err.message : String(err));
      }
      uploaded[h.name] = text;
      settle();
      ok(id);
    });
  }
}

/**
 * An ed25519 pair from ssh2's generator that ssh2 itself can parse back. About one in 256 of its
 * pairs has a private or public key written in a form its own parser refuses ("Malformed OpenSSH
 * private key", mscdex/ssh2 issues 1390 and 1513); such a pair is drawn again.
 */
export function readableEd25519Key(options: { comment?: string } = {}): { private: string; public: string } {
  for (let attempt = 0; ; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', options);
    const readable = !(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error);
    if (readable || attempt >= 16) return pair;
  }
}

/** Starts the SFTP server, or does nothing when it is listening; rejects (nothing changed) when the port cannot be bound. */
export function startSftpServer(core: EmulatorCore, options: SftpOptions): Promise<void> {
  const rt = sftpRuntime(core);
  if (rt.server) return Promise.resolve();
  rt.starting ??= new Promise<void>((resolve, reject) => {
    // A fresh ed25519 host key per start (node:crypto, in the OpenSSH form ssh2 reads): nothing private is
    // committed or saved; clients see a new host key after a restart.
    const hostKey = readableEd25519Key().private;
    const server = new Server({ hostKeys: [hostKey] }, (client) => {
      rt.connections.add(client);
      client.on('close', () => rt.connections.delete(client));
      serveConnection(core, client);
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      rt.starting = undefined;
      reject(
        new EmulatorError({
          code: 'sftp_unavailable',
          status: 503,
          message: `The SFTP server could not listen on ${options.host}:${options.port}: ${err.message}${err.code === 'EADDRINUSE' ? ' (in use: start with --sftp-port 0 for a free port)' : ''}.`,
        }),
      );
    });
    server.listen(options.port, options.host, () => {
      // Like the HTTP socket's owner, the caller decides when the process ends; this server never holds it open.
      server.unref();
      // Once listening, a socket-level error of one client must not end the emulator.
      server.on('error', () => {});
      rt.server = server;
      rt.starting = undefined;
      const address = server.address() as AddressInfo;
      directoryRuntime(core).sftpAddress = { host: options.host, port: address.port };
      resolve();
    });
  });
  return rt.starting;
}

/** Closes the SFTP server and its connections (the emulator's close). */
export async function stopSftpServer(core: EmulatorCore): Promise<void> {
  const rt = sftpRuntime(core);
  await rt.starting?.catch(() => {});
  const server = rt.server;
  if (!server) return;
  rt.server = undefined;
  directoryRuntime(core).sftpAddress = undefined;
  for (const c of rt.connections) c.end();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
