// Reads a district's users.csv and groups.csv (RFC 4180, UTF-8, a header row) into a directory
// snapshot, refusing a whole file with the line and column of its first problem (docs/directory-sync.md §4).
import { parse } from 'csv-parse/sync';
import { EmulatorError } from '../errors.js';
import { normalizeEmail } from '../members/members.js';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from './apply.js';

export const USERS_FILE = 'users.csv';
export const GROUPS_FILE = 'groups.csv';
/** The files a CSV directory reads; anything else uploaded is refused. */
export const CSV_FILES = [USERS_FILE, GROUPS_FILE] as const;
/** The largest CSV file taken (the HTTP body limit is 1 MiB; SFTP uploads are held to the same). */
export const MAX_CSV_BYTES = 1024 * 1024;

/** A column and the header names that stand for it (ours first, then WorkOS's and common HRIS spellings). */
interface Column {
  name: string;
  aliases: string[];
  required: boolean;
}

const USER_COLUMNS: Column[] = [
  { name: 'id', aliases: ['id', 'user_id', 'employee_id', 'idp_id'], required: true },
  { name: 'email', aliases: ['email', 'user_email', 'primary_email', 'username'], required: true },
  { name: 'first_name', aliases: ['first_name', 'given_name', 'firstname'], required: false },
  { name: 'last_name', aliases: ['last_name', 'family_name', 'lastname'], required: false },
  { name: 'status', aliases: ['status', 'state', 'user_status'], required: false },
];
const GROUP_COLUMNS: Column[] = [
  { name: 'group_id', aliases: ['group_id'], required: true },
  { name: 'group_name', aliases: ['group_name', 'name'], required: true },
  { name: 'user_id', aliases: ['user_id', 'member_id'], required: true },
];

/** A refusal of a CSV file: 400 `invalid_csv` with the file, line and column (1-based). */
export function csvError(file: string, line: number | undefined, column: number | undefined, message: string): EmulatorError {
  const where = `${file}${line !== undefined ? `, line ${line}` : ''}${column !== undefined ? `, column ${column}` : ''}`;
  return new EmulatorError({
    code: 'invalid_csv',
    status: 400,
    message: `${where}: ${message} Nothing was changed; fix the file and upload it again.`,
    details: { file, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) },
  });
}

interface Row {
  line: number;
  cells: string[];
}

interface Table {
  /** Column name → index in the row. */
  columns: Map<string, number>;
  rows: Row[];
  warnings: string[];
}

function readTable(file: string, text: string, wanted: Column[]): Table {
  if (text.includes('\uFFFD')) throw csvError(file, undefined, undefined, 'the file is not valid UTF-8.');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { message?: string; lines?: number; column?: number };
    throw csvError(file, e.lines, typeof e.column === 'number' ? e.column + 1 : undefined, `not RFC 4180 CSV (${e.message ?? String(err)}).`);
  }
  const [header, ...body] = records;
  if (!header) throw csvError(file, 1, undefined, `the file is empty; it needs a header row such as "${wanted.map((c) => c.name).join(',')}".`);
  const names = header.record.map((h) => h.trim().toLowerCase());
  const columns = new Map<string, number>();
  const used = new Set<number>();
  for (const column of wanted) {
    const at = names.findIndex((n) => column.aliases.includes(n));
    if (at >= 0) {
      columns.set(column.name, at);
      used.add(at);
    } else if (column.required) {
      throw csvError(file, header.info.lines, undefined, `the header has no "${column.name}" column (headers are compared case-insensitively; found ${names.map((n) => `"${n}"`).join(', ')}).`);
    }
  }
  names.forEach((n, i) => {
    if (!used.has(i) && names.indexOf(n) !== i) throw csvError(file, header.info.lines, i + 1, `the column "${n}" appears twice in the header.`);
  });
  const unknown = names.filter((_, i) => !used.has(i));
  const warnings = unknown.length > 0 ? [`${file}: unknown columns ignored: ${unknown.map((n) => `"${n}"`).join(', ')}`] : [];
  return { columns, rows: body.map((r) => ({ line: r.info.lines, cells: r.record })), warnings };
}

function cell(file: string, table: Table, row: Row, column: string, required: boolean): string | undefined {
  const at = table.columns.get(column);
  if (at === undefined) return undefined;
  const value = (row.cells[at] ?? '').trim();
  if (value === '' && required) throw csvError(file, row.line, at + 1, `"${column}" is empty; every row needs one.`);
  return value === '' ? undefined : value;
}

/** Reads users.csv: `id,email,first_name,last_name,status` (status `active` or `inactive`, default active). */
export function parseUsersCsv(text: string): { users: DirectoryUser[]; warnings: string[] } {
  const table = readTable(USERS_FILE, text, USER_COLUMNS);
  const ids = new Map<string, number>();
  const emails = new Map<string, number>();
  const users: DirectoryUser[] = [];
  for (const row of table.rows) {
    const id = cell(USERS_FILE, table, row, 'id', true)!;
    const idColumn = table.columns.get('id')! + 1;
    const emailColumn = table.columns.get('email')! + 1;
    if (ids.has(id)) throw csvError(USERS_FILE, row.line, idColumn, `duplicate id "${id}" (also on line ${ids.get(id)}).`);
    ids.set(id, row.line);
    const rawEmail = cell(USERS_FILE, table, row, 'email', true)!;
    let email: string;
    try {
      email = normalizeEmail(rawEmail);
    } catch {
      throw csvError(USERS_FILE, row.line, emailColumn, `"${rawEmail}" is not an email address such as "ada@springfield.k12.us".`);
    }
    const key = email.toLowerCase();
    if (emails.has(key)) throw csvError(USERS_FILE, row.line, emailColumn, `duplicate email ${email} (also on line ${emails.get(key)}).`);
    emails.set(key, row.line);
    const status = cell(USERS_FILE, table, row, 'status', false)?.toLowerCase() ?? 'active';
    if (status !== 'active' && status !== 'inactive') {
      throw csvError(USERS_FILE, row.line, table.columns.get('status')! + 1, `status must be "active" or "inactive", got "${status}".`);
    }
    const givenName = cell(USERS_FILE, table, row, 'first_name', false);
    const familyName = cell(USERS_FILE, table, row, 'last_name', false);
    users.push({ id, email, active: status === 'active', ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}) });
  }
  return { users, warnings: table.warnings };
}

/**
 * Reads groups.csv: `group_id,group_name,user_id`, one row per membership; every user_id must be in
 * users.csv (not checked when `userIds` is undefined: the file alone, before users.csv is known).
 */
export function parseGroupsCsv(text: string, userIds: ReadonlySet<string> | undefined): { groups: DirectoryGroup[]; warnings: string[] } {
  const table = readTable(GROUPS_FILE, text, GROUP_COLUMNS);
  const groups = new Map<string, DirectoryGroup & { line: number }>();
  for (const row of table.rows) {
    const groupId = cell(GROUPS_FILE, table, row, 'group_id', true)!;
    const name = cell(GROUPS_FILE, table, row, 'group_name', true)!;
    const userId = cell(GROUPS_FILE, table, row, 'user_id', true)!;
    if (userIds && !userIds.has(userId)) {
      throw csvError(GROUPS_FILE, row.line, table.columns.get('user_id')! + 1, `unknown member "${userId}": no user with this id in users.csv.`);
    }
    const group = groups.get(groupId);
    if (!group) {
      groups.set(groupId, { id: groupId, name, members: [userId], line: row.line });
      continue;
    }
    if (group.name !== name) {
      throw csvError(GROUPS_FILE, row.line, table.columns.get('group_name')! + 1, `group "${groupId}" is named "${group.name}" on line ${group.line} and "${name}" here; one group has one name.`);
    }
    if (!group.members.includes(userId)) group.members.push(userId);
  }
  return { groups: [...groups.values()].map(({ line: _line, ...g }) => g), warnings: table.warnings };
}

/** Checks one uploaded file on its own (syntax, columns, ids, emails); throws `invalid_csv`. */
export function checkCsvFile(name: string, text: string): void {
  if (name === USERS_FILE) parseUsersCsv(text);
  else parseGroupsCsv(text, undefined);
}

/** Both files as one snapshot; users.csv is required, groups.csv is optional. */
export function csvSnapshot(files: Record<string, string>): DirectorySnapshot {
  const usersText = files[USERS_FILE];
  if (usersText === undefined) {
    throw new EmulatorError({ code: 'directory_no_files', status: 409, message: `No ${USERS_FILE} has been uploaded yet: upload it over SFTP or with POST /w/<ws>/api/directory/upload, then sync.` });
  }
  const users = parseUsersCsv(usersText);
  const groupsText = files[GROUPS_FILE];
  const groups = groupsText === undefined ? { groups: [], warnings: [] } : parseGroupsCsv(groupsText, new Set(users.users.map((u) => u.id)));
  return { users: users.users, groups: groups.groups, warnings: [...users.warnings, ...groups.warnings] };
}
