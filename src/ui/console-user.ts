// Who the console acts as: the emulator admin key or a signed-in owner or admin (its own file so
// the API caller and the console sign-in can both name it without importing each other).
export type ConsoleUser =
  | { kind: 'key'; adminKey: string }
  | { kind: 'member'; email: string; role: string; cookie: string };
