// A recording as a scenario file: the `idp:` section from the directory at the start, the steps,
// a provenance header; refused (422 secret_in_recording) when a secret or a high-entropy value survives.
import { stringify } from 'yaml';
import { VERSION } from '../version.js';
import { secretInRecording, type Recording } from './recording.js';

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * A run that looks like a key, token, signature or encoded assertion: 20+ characters of a
 * token alphabet, random enough (hex GUIDs and words stay below the bar; base64 secrets do not).
 */
export function highEntropyRun(text: string): string | undefined {
  for (const m of text.matchAll(/[A-Za-z0-9+/=_\-.~]{20,}/g)) {
    const run = m[0];
    if (/^[a-z.\-]+$/i.test(run)) continue;
    if (entropy(run) >= 4.2 && /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run)) return run;
  }
  return undefined;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

/** Throws 422 `secret_in_recording` naming the first step that carries a secret seen or a random-looking value. */
export function checkSecrets(rec: Recording, steps: Record<string, unknown>[], idpUsers: unknown): void {
  const secrets = [...rec.secrets].filter((s) => s.length >= 4);
  const check = (value: unknown, where: string, index: number) => {
    for (const s of strings(value)) {
      const known = secrets.find((secret) => s.includes(secret));
      if (known) throw secretInRecording(`${where} would carry a secret seen while recording (a token, password or client secret); nothing was written. Redact it or leave that call out of the recording.`, index);
      const run = highEntropyRun(s);
      if (run) {
        throw secretInRecording(
          `${where} would carry "${run.slice(0, 6)}…", a random-looking value (${run.length} characters) that is neither a variable nor a known name; the recording is refused so no secret reaches the file. Leave that call out, or send a readable value.`,
          index,
        );
      }
    }
  };
  check(idpUsers, 'The idp section', 0);
  steps.forEach((s, i) => check(s, `Step ${i + 1} (${rec.steps[i]?.from ?? Object.keys(s)[0]})`, i + 1));
}

const VENDOR_AGENTS: [RegExp, string][] = [
  [/azure|entra|microsoft/i, 'entra'],
  [/okta/i, 'okta'],
  [/google/i, 'google'],
  [/classlink/i, 'classlink'],
  [/clever/i, 'clever'],
];

/** The IdP vendor the user agents seen name (Entra's provisioning says "Azure Active Directory SCIM Client"…). */
export function vendorSeen(rec: Recording): string {
  for (const ua of rec.userAgents) for (const [re, vendor] of VENDOR_AGENTS) if (re.test(ua)) return vendor;
  return 'generic';
}

/** The scenario document of a recording (checked for secrets first). */
export function recordingScenario(rec: Recording): Record<string, unknown> {
  const steps = rec.steps.map((s) => s.step);
  const snap = rec.idpSnapshot;
  const idp = snap
    ? {
        vendor: snap.vendor,
        protocol: rec.protocol ?? 'saml',
        users: snap.users,
        ...(snap.groups.length > 0 ? { groups: snap.groups.map((g) => ({ name: g.name, ...(g.members.length > 0 ? { members: g.members } : {}) })) } : {}),
      }
    : rec.pastedConnection || rec.ssoUsers.size > 0
      ? // A real IdP: the mock IdP imitates its vendor, with the people who signed in through it.
        { vendor: vendorSeen(rec), protocol: rec.protocol ?? 'saml', users: [...rec.ssoUsers].map((email) => ({ email })) }
      : undefined;
  checkSecrets(rec, steps, idp);
  return {
    name: rec.name,
    description: `Recorded from workspace "${rec.workspace}" between ${rec.startedAt} and ${rec.stoppedAt ?? 'now'}.`,
    ...(idp ? { idp } : {}),
    steps: steps.length > 0 ? steps : [{ expect_events: { type: 'recording.started', min: 0 } }],
  };
}

/** The scenario as YAML with its provenance header. */
export function recordingYaml(rec: Recording, now: Date): string {
  const doc = recordingScenario(rec);
  const seen = [...rec.userAgents].slice(0, 5).map((u) => u.replace(/[\r\n]/g, ' ').slice(0, 120));
  const header = [
    '# yaml-language-server: $schema=./schema.json',
    `# Recorded by edu-workspace-emulator ${VERSION} on ${now.toISOString()} (recording ${rec.id}).`,
    ...(rec.idpSnapshot
      ? [`# IdP: mock IdP "${rec.idp}", vendor ${rec.idpSnapshot.vendor}.`]
      : rec.pastedConnection || rec.ssoUsers.size > 0 || rec.userAgents.size > 0
        ? [`# IdP: not the mock IdP; vendor seen: ${vendorSeen(rec)} (from the user agents). A replay uses the mock IdP imitating it.`]
        : []),
    ...(seen.length > 0 ? [`# User agents seen: ${seen.join('; ')}`] : ['# User agents seen: none']),
    '# Server-assigned ids and version tags are saved as variables; tokens, passwords and assertions are not recorded.',
    ...rec.skipped.slice(0, 20).map((s) => `# Not recorded: ${s.replace(/[\r\n]/g, ' ')}`),
  ];
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}
