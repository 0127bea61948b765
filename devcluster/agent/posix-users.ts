// User and group lookups (getpwnam/getpwuid/getgrgid) from /etc/passwd and
// /etc/group, which Node has no binding for. Used to run a task as its
// framework's user and to print owner names in /files/browse as Mesos does.
import { readFileSync } from 'node:fs';

export interface PosixUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface Tables {
  users: PosixUser[];
  groups: Array<{ name: string; gid: number; members: string[] }>;
  readAt: number;
}

let cache: Tables | undefined;
const CACHE_MS = 5000;

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function tables(): Tables {
  const now = Date.now();
  if (cache && now - cache.readAt < CACHE_MS) return cache;
  const users: PosixUser[] = [];
  for (const line of read('/etc/passwd').split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    users.push({ name: f[0] as string, uid, gid, home: f[5] as string });
  }
  const groups: Tables['groups'] = [];
  for (const line of read('/etc/group').split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || line.startsWith('#')) continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid)) continue;
    groups.push({ name: f[0] as string, gid, members: (f[3] as string).split(',').filter((m) => m !== '') });
  }
  cache = { users, groups, readAt: now };
  return cache;
}

export function userByName(name: string): PosixUser | undefined {
  return tables().users.find((u) => u.name === name);
}

/** getpwuid's name, or the number as text when there is none (as Mesos prints it). */
export function userName(uid: number): string {
  return tables().users.find((u) => u.uid === uid)?.name ?? String(uid);
}

export function groupName(gid: number): string {
  return tables().groups.find((g) => g.gid === gid)?.name ?? String(gid);
}
