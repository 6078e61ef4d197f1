// Crash consistency: writers create customers (with contacts), cases (created on the fly
// from a phone number), replies on those cases and follow-up visits, eight at a time, while
// `kefu serve` is killed with SIGKILL at a random moment and started again, KEFU_CRASH_ROUNDS
// times (default 6). Afterwards every write the server acknowledged (2xx with an id) must be
// there, whole: the customer with all its contacts and its audit entry, the case with its
// customer and its first timeline event, the reply on its case, the visit. Writes that were
// cut off unanswered may or may not be there; none may be half there. The counts are printed
// for bench/RESULTS.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminSession, userSession, login, newPhone, rand } from './lib.mjs';

const ROUNDS = Number(process.env.KEFU_CRASH_ROUNDS || 6);
const WRITERS = 8;
let srv, admin, agentCreds;
const acked = { customers: [], cases: [], replies: [], followups: [] };
let refused = 0;
let cut = 0;

before(async () => {
	srv = await startServer('crash');
	admin = await adminSession(srv);
	const agent = await userSession(srv, admin, { role: 'agent' });
	agentCreds = { username: agent.user.username, password: agent.password };
});

after(async () => {
	await srv?.stop();
});

/** SIGKILL to the running server; then a new one on the same database. */
async function killAndRestart() {
	const procs = srv.procs;
	srv.procs = [];
	for (const p of procs) {
		p.child.kill('SIGKILL');
		await p.exit;
	}
	srv.url = await srv.spawnServe();
}

async function writer(session, stop, tag) {
	let i = 0;
	while (!stop.now) {
		i++;
		const k = i % 4;
		try {
			if (k === 0 || !acked.customers.length) {
				const ph = newPhone();
				const body = {
					name: `崩溃测试${tag}-${i}`,
					phone: ph.local,
					contacts: [
						{ name: `联系人甲${tag}${i}`, phone: newPhone().local },
						{ name: `联系人乙${tag}${i}`, email: `c${tag}${i}@example.com` },
					],
				};
				const r = await api(session, 'POST', '/api/customers', body);
				if (r.status === 201) acked.customers.push({ id: r.json.id, name: body.name, contacts: 2 });
				else refused++;
			} else if (k === 1) {
				const subject = `崩溃工单${tag}-${i}-${rand(4)}`;
				const r = await api(session, 'POST', '/api/cases', { type: 'complaint', channel: 'phone', subject, customer: { phone: newPhone().local } });
				if (r.status === 201) acked.cases.push({ id: r.json.id, subject });
				else refused++;
			} else if (k === 2 && acked.cases.length) {
				const c = acked.cases[Math.floor(Math.random() * acked.cases.length)];
				const body = `回复${tag}-${i}-${rand(6)}`;
				const r = await api(session, 'POST', `/api/cases/${c.id}/events`, { kind: 'note', body });
				if (r.status === 201) acked.replies.push({ case: c.id, body });
				else refused++;
			} else {
				const cust = acked.customers[Math.floor(Math.random() * acked.customers.length)];
				const title = `回访${tag}-${i}-${rand(4)}`;
				const r = await api(session, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + 7 * 86400000, title });
				if (r.status === 201) acked.followups.push({ id: r.json.id, title });
				else refused++;
			}
		} catch {
			// The connection died with the server: the write is unacknowledged.
			cut++;
			await new Promise((f) => setTimeout(f, 30));
		}
	}
}

test(`acknowledged writes survive ${ROUNDS} SIGKILLs, whole`, { timeout: 600_000 }, async () => {
	for (let round = 0; round < ROUNDS; round++) {
		const session = await login(srv.url, agentCreds.username, agentCreds.password);
		const stop = { now: false };
		const writers = Array.from({ length: WRITERS }, (_, w) => writer(session, stop, `${round}${w}`));
		await new Promise((f) => setTimeout(f, 300 + Math.random() * 1500));
		await killAndRestart();
		stop.now = true;
		await Promise.all(writers);
	}
	const s = await login(srv.url, agentCreds.username, agentCreds.password);
	const lost = [];
	for (const c of acked.customers) {
		const r = await api(s, 'GET', `/api/customers/${c.id}`);
		if (r.status !== 200 || r.json.name !== c.name || r.json.contacts.length !== c.contacts) lost.push(`customer ${c.id}: ${r.status}`);
		const a = await api(s, 'GET', `/api/customers/${c.id}/audit`);
		if (a.status !== 200 || !a.json.items.some((x) => x.action === 'create')) lost.push(`customer ${c.id}: no audit entry of its creation`);
	}
	const timelines = new Map();
	for (const c of acked.cases) {
		const r = await api(s, 'GET', `/api/cases/${c.id}`);
		if (r.status !== 200 || r.json.subject !== c.subject || !r.json.customer?.id) lost.push(`case ${c.id}: ${r.status}`);
		const ev = await api(s, 'GET', `/api/cases/${c.id}/events?limit=500`);
		if (ev.status !== 200 || !ev.json.items.length) lost.push(`case ${c.id}: empty timeline`);
		else timelines.set(c.id, ev.json.items);
	}
	for (const x of acked.replies) {
		const items = timelines.get(x.case) || [];
		if (!items.some((e) => e.body === x.body)) lost.push(`reply on case ${x.case}: missing`);
	}
	for (const f of acked.followups) {
		const r = await api(s, 'GET', `/api/followups/${f.id}`);
		if (r.status !== 200 || r.json.title !== f.title) lost.push(`follow-up ${f.id}: ${r.status}`);
	}
	const n = Object.values(acked).reduce((a, v) => a + v.length, 0);
	console.log(`crash: ${ROUNDS} SIGKILLs, ${n} acknowledged writes (customers ${acked.customers.length}, cases ${acked.cases.length}, notes ${acked.replies.length}, visits ${acked.followups.length}), ${cut} cut off, ${refused} refused, lost ${lost.length}`);
	assert.ok(acked.cases.length > 0 && acked.customers.length > 0, 'the writers got writes through');
	assert.deepEqual(lost, []);
});
