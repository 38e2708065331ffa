// Benchmark: a member's effective permissions over real HTTP on loopback (GET
// /w/{ws}/api/users/{id}/permissions) in a small workspace (10 members, 5 groups) and a large one
// (5,000 members, 1,000 groups, 20 roles). The member asked about is in 3 groups in both, so the
// answer should cost the same. Run: npx tsx bench/permissions.ts
import { startEmulator } from '../src/start.js';
import { addMember } from '../src/members/members.js';
import { createRole, setRoleGroups } from '../src/roles/roles.js';
import { createLocalGroup } from '../src/groups/groups.js';

async function build(members: number, groups: number, roles: number) {
  const running = await startEmulator({ adminKey: 'bench-key-123' });
  const { core } = running.emulator;
  const ws = core.requireWorkspace('default');
  const memberIds: string[] = [];
  for (let i = 0; i < members; i++) memberIds.push(addMember(core, ws, { email: `user${i}@bench.example`, source: 'invite' }).id);
  const groupIds: string[] = [];
  for (let i = 0; i < groups; i++) groupIds.push(createLocalGroup(core, ws, `Group ${i}`, 'bench').id);
  const index = core.index(ws);
  // Every member in 3 groups.
  memberIds.forEach((m, i) => {
    for (let k = 0; k < 3; k++) index.addMembership(groupIds[(i + k * 7) % groups]!, m);
  });
  for (let r = 0; r < roles; r++) {
    const role = createRole(core, ws, { name: `Role ${r}`, permissions: { 'codex.use': r % 2 === 0, 'credits.monthly_limit': 100 + r } }, 'bench');
    setRoleGroups(core, ws, role.id, groupIds.filter((_, i) => i % roles === r), 'bench');
  }
  return { running, memberIds };
}

async function time(label: string, members: number, groups: number, roles: number) {
  const { running, memberIds } = await build(members, groups, roles);
  const headers = { Authorization: `Bearer ${running.adminKey}` };
  const target = memberIds[Math.floor(memberIds.length / 2)]!;
  const url = `${running.url}/w/default/api/users/${target}/permissions`;
  for (let i = 0; i < 500; i++) await (await fetch(url, { headers })).arrayBuffer();
  const runs = 3_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.arrayBuffer();
  }
  const perRequestUs = Number(process.hrtime.bigint() - started) / runs / 1_000;
  await running.stop();
  console.log(`${label.padEnd(40)} ${perRequestUs.toFixed(1).padStart(8)} µs/request`);
  return perRequestUs;
}

// A first round warms the JIT up; the second is the one to read.
for (const round of ['warm-up', 'measured']) {
  console.log(`-- ${round}`);
  const small = await time('10 members, 5 groups, 2 roles', 10, 5, 2);
  const large = await time('5,000 members, 1,000 groups, 20 roles', 5_000, 1_000, 20);
  console.log(`ratio large/small: ${(large / small).toFixed(2)}`);
}
