// Customer value segmentation: the recompute (API and CLI), tiers and the tier= filter,
// RFM and lifecycle (with manual overrides), settings, key-account suggestions, tier
// history and the migration report after orders change.
//
// The fixture: 20 buyers B1..B20 with revenue (21 - i) * 1000 yuan in the window; B1..B5
// bought three times in the last week (B2 also once 200 days ago), the others once a
// month or more ago; I1 bought only more than a year ago (inactive); P1, P2 never bought.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
	startServer, api, adminSession, userSession, createCustomer, listAll,
	assertProblem, assertStatus, BIN, rand,
} from './lib.mjs';

// The daily recompute job would run at start; these tests recompute when they mean to.
process.env.KEFU_JOBS_INTERVAL = '0';

const DAY = 86400000;
const YUAN = 100;
let srv, admin, supervisor, agent;
const B = []; // B[1..20]
let I1, P1, P2;
let base; // the instant order dates count back from, so equal days are equal instants
let t0, t1, tMid, t2;

/** An instant strictly between what happened before and what happens after. */
async function mark() {
	await new Promise((r) => setTimeout(r, 5));
	const t = Date.now();
	await new Promise((r) => setTimeout(r, 5));
	return t;
}

async function order(c, yuan, daysAgo) {
	const r = await api(admin, 'POST', `/api/customers/${c.id}/orders`, {
		order_no: `SO-${rand(4)}`, amount_fen: yuan * YUAN, ordered_at: base - daysAgo * DAY,
	});
	assertStatus(r, 201, 'order');
}

async function recompute(session = supervisor) {
	const r = await api(session, 'POST', '/api/segments/recompute');
	assertStatus(r, 200, 'recompute');
	return r.json;
}

async function customer(c) {
	const r = await api(admin, 'GET', `/api/customers/${c.id}`);
	assertStatus(r, 200);
	return r.json;
}

async function segment(c, session = agent) {
	const r = await api(session, 'GET', `/api/customers/${c.id}/segment`);
	assertStatus(r, 200, 'segment');
	return r.json;
}

async function idsWith(filter) {
	const items = await listAll(admin, `/api/customers?${filter}`);
	return items.map((c) => c.id).sort((a, b) => a - b);
}

const ids = (...cs) => cs.map((c) => c.id).sort((a, b) => a - b);
const range = (a, b) => B.slice(a, b + 1);

before(async () => {
	srv = await startServer('segment');
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent' });
	base = Date.now() - 60000;
	for (let i = 1; i <= 20; i++)
		B[i] = await createCustomer(admin, { name: `买家${i}` });
	I1 = await createCustomer(admin, { name: '休眠客户' });
	P1 = await createCustomer(admin, { name: '潜在客户一' });
	P2 = await createCustomer(admin, { name: '潜在客户二' });
	for (let i = 1; i <= 20; i++) {
		const rev = (21 - i) * 1000;
		if (i === 2) {
			await order(B[i], 4000, 200);
			for (const d of [2, 3, 4])
				await order(B[i], 5000, d);
		} else if (i <= 5) {
			await order(B[i], rev / 4, 2);
			await order(B[i], rev / 4, 3);
			await order(B[i], rev / 2, 4);
		} else {
			await order(B[i], rev, 30 + i);
		}
	}
	await order(I1, 800, 400);
	await order(I1, 900, 500);
	t0 = await mark();
});

after(async () => {
	await srv?.stop();
});

test('roles: agents cannot recompute or read reports; supervisors cannot change settings', async () => {
	assertProblem(await api(agent, 'POST', '/api/segments/recompute'), 403);
	assertProblem(await api(agent, 'GET', '/api/reports/pyramid'), 403);
	assertProblem(await api(agent, 'GET', '/api/segments/key-suggestions'), 403);
	assertProblem(await api(supervisor, 'PATCH', '/api/segments/settings', { top_pct: 5 }), 403);
	const s = assertStatus(await api(supervisor, 'GET', '/api/segments/settings'), 200);
	assert.deepEqual(s.settings, s.defaults);
	assert.equal(s.settings.top_pct, 1);
	assert.equal(s.settings.high_pct, 4);
	assert.equal(s.settings.mid_pct, 15);
	assert.equal(s.settings.lifecycle_auto, true);
	assert.equal(s.last_run_at, null);
});

test('before any recompute every customer is potential and has no segment', async () => {
	const c = await customer(B[1]);
	assert.equal(c.tier, 'potential');
	const s = await segment(B[1]);
	assert.equal(s.computed, false);
	assert.equal(s.computed_at, null);
	assert.deepEqual(s.history, []);
});

test('recompute with the default rules: pyramid, RFM, lifecycle', async () => {
	const run = await recompute();
	t1 = await mark();
	assert.equal(run.customers, 23);
	assert.equal(run.buyers, 21);
	assert.deepEqual(run.tiers, { top: 1, high: 0, mid: 3, low: 16, inactive: 1, potential: 2 });
	assert.equal(run.tier_changes, 21);
	assert.equal(run.key_suggestions, 0);
	// 20 active buyers: top 1% is B1 alone, high (next 4%) nobody, mid (next 15%) B2..B4
	assert.equal((await customer(B[1])).tier, 'top');
	assert.equal((await customer(B[3])).tier, 'mid');
	assert.equal((await customer(B[20])).tier, 'low');
	assert.equal((await customer(I1)).tier, 'inactive');
	assert.equal((await customer(P1)).tier, 'potential');
	// the list filter follows
	assert.deepEqual(await idsWith('tier=top'), ids(B[1]));
	assert.deepEqual(await idsWith('tier=mid'), ids(...range(2, 4)));
	assert.deepEqual(await idsWith('tier=inactive'), ids(I1));
	assert.deepEqual(await idsWith('tier=potential'), ids(P1, P2));
	// RFM: B1 has the most revenue; B1..B5 bought last (tied) and often
	const s1 = await segment(B[1]);
	assert.equal(s1.computed, true);
	assert.deepEqual(s1.rfm, { r: 5, f: 5, m: 5 });
	assert.equal(s1.revenue_fen, 20000 * YUAN);
	assert.equal(s1.orders_window, 3);
	assert.equal(s1.orders_total, 3);
	assert.equal(typeof s1.computed_at, 'number');
	assert.deepEqual(s1.history.map((h) => [h.from_tier, h.to_tier]), [['potential', 'top']]);
	const s20 = await segment(B[20]);
	assert.equal(s20.rfm.m, 1);
	// lifecycle: repeat recent buyers loyal, one-off buyers temporary, lapsed temporary
	assert.equal((await customer(B[1])).lifecycle, 'loyal');
	assert.deepEqual(await idsWith('lifecycle=loyal'), ids(...range(1, 5)));
	assert.equal((await customer(B[9])).lifecycle, 'temporary');
	assert.equal((await customer(I1)).lifecycle, 'temporary');
	assert.equal((await customer(P1)).lifecycle, 'potential');
	// the automatic change is in the customer's audit log
	const audit = assertStatus(await api(admin, 'GET', `/api/customers/${B[1].id}/audit`), 200);
	const items = audit.items || audit;
	assert.ok(items.some((e) => e.action === 'lifecycle_auto'), JSON.stringify(items).slice(0, 500));
});

test('a second recompute on unchanged data changes nothing', async () => {
	const run = await recompute();
	assert.equal(run.tier_changes, 0);
	assert.equal(run.lifecycle_changes, 0);
	const s = await segment(B[1]);
	assert.equal(s.history.length, 1);
	const runs = assertStatus(await api(supervisor, 'GET', '/api/segments/runs'), 200);
	assert.equal(runs.items.length, 2);
	assert.equal(runs.items[0].status, 'done');
	assert.equal(runs.items[0].source, 'api');
	assert.equal(runs.items[0].actor.id, supervisor.user.id);
	assert.equal(runs.items[1].tier_changes, 21);
});

test('pareto and pyramid reports after the first recompute', async () => {
	const p = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto'), 200);
	assert.equal(p.source, 'segments');
	assert.equal(p.customers, 20); // I1 bought nothing in the window
	assert.equal(p.total_fen, 210000 * YUAN);
	assert.equal(p.top20_customers, 4);
	assert.equal(p.top20_fen, (20 + 19 + 18 + 17) * 1000 * YUAN);
	assert.ok(Math.abs(p.top20_share - 74 / 210) < 1e-9);
	assert.equal(p.customers_80, 12); // 20 + 19 + ... + 9 = 174 >= 168
	assert.equal(p.points.length, 21);
	assert.equal(p.points[20].y, 1);
	const py = assertStatus(await api(supervisor, 'GET', '/api/reports/pyramid'), 200);
	assert.deepEqual(py.tiers.map((t) => t.tier), ['top', 'high', 'mid', 'low', 'inactive', 'potential']);
	const top = py.tiers[0];
	assert.equal(top.customers, 1);
	assert.equal(top.revenue_fen, 20000 * YUAN);
	assert.equal(py.tiers[2].revenue_fen, (19 + 18 + 17) * 1000 * YUAN);
	assert.equal(py.customers, 23);
	assert.equal(py.revenue_fen, 210000 * YUAN);
	assert.equal(top.label_zh, '顶层');
});

test('a customer’s place in the Pareto ranking, as the ranking report lists it', async () => {
	assert.deepEqual((await segment(B[1])).pareto, { rank: 1, buyers: 20, share: 0.05 });
	assert.equal((await segment(B[7])).pareto.rank, 7);
	const last = (await segment(B[20], supervisor)).pareto;
	assert.deepEqual(last, { rank: 20, buyers: 20, share: 1 });
	const page = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto/customers?limit=20'), 200);
	assert.equal(page.items.find((x) => x.customer_id === B[7].id).rank, 7);
	assert.equal((await segment(I1)).pareto, null); // no order in the window
	assert.equal((await segment(P1)).pareto, null);
});

test('a lifecycle a person sets is kept, until handed back to the recompute', async () => {
	let c = await customer(B[9]);
	assertStatus(await api(agent, 'PATCH', `/api/customers/${B[9].id}`, { lifecycle: 'general' }), 200);
	await recompute();
	c = await customer(B[9]);
	assert.equal(c.lifecycle, 'general');
	let s = await segment(B[9]);
	assert.equal(s.lifecycle_manual, true);
	assert.equal(s.lifecycle_suggested, 'temporary');
	s = assertStatus(await api(agent, 'POST', `/api/customers/${B[9].id}/segment/lifecycle-auto`), 200);
	assert.equal(s.lifecycle, 'temporary');
	assert.equal(s.lifecycle_manual, false);
	assert.equal((await customer(B[9])).lifecycle, 'temporary');
	assertProblem(await api(agent, 'POST', '/api/customers/999999/segment/lifecycle-auto'), 404);
});

test('settings are validated, naming the field', async () => {
	const bad = [
		[{ top_pct: 0 }, 'top_pct'],
		[{ top_pct: 50, high_pct: 40, mid_pct: 20 }, 'mid_pct'],
		[{ top_pct: 1.234 }, 'top_pct'],
		[{ window_months: 0 }, 'window_months'],
		[{ rank_by: 'profit' }, 'rank_by'],
		[{ key_min_tier: 'low' }, 'key_min_tier'],
		[{ lifecycle_auto: 'yes' }, 'lifecycle_auto'],
		[{ loyal_min_r: 6 }, 'loyal_min_r'],
		[{ colour: 'red' }, 'colour'],
	];
	for (const [body, field] of bad)
		assertProblem(await api(admin, 'PATCH', '/api/segments/settings', body), 422, 'invalid', field);
	const s = assertStatus(await api(supervisor, 'GET', '/api/segments/settings'), 200);
	assert.equal(s.settings.top_pct, 1); // nothing half-written
	const ok = assertStatus(await api(admin, 'PATCH', '/api/segments/settings', { top_pct: 0.5 }), 200);
	assert.equal(ok.settings.top_pct, 0.5);
});

test('wider cut-offs move customers, record history, and suggest a key account', async () => {
	const s = assertStatus(await api(admin, 'PATCH', '/api/segments/settings',
		{ top_pct: 10, high_pct: 20, mid_pct: 30 }), 200);
	assert.equal(s.settings.top_pct, 10);
	tMid = await mark();
	const run = await recompute();
	t2 = await mark();
	assert.deepEqual(run.tiers, { top: 2, high: 4, mid: 6, low: 8, inactive: 1, potential: 2 });
	// B2 mid->top, B3 B4 mid->high, B5 B6 low->high, B7..B12 low->mid
	assert.equal(run.tier_changes, 11);
	assert.deepEqual(await idsWith('tier=top'), ids(B[1], B[2]));
	assert.deepEqual(await idsWith('tier=high'), ids(...range(3, 6)));
	const h = (await segment(B[2])).history;
	assert.deepEqual(h.map((x) => [x.from_tier, x.to_tier]), [['mid', 'top'], ['potential', 'mid']]);
	assert.equal(h[0].direction, 1);
	// B2: top, 4 orders, the first 200 days ago -> suggested; B1 is too new a customer
	assert.equal(run.key_suggestions, 1);
	const list = assertStatus(await api(supervisor, 'GET', '/api/segments/key-suggestions'), 200);
	assert.deepEqual(list.items.map((x) => x.customer_id), [B[2].id]);
	assert.equal(list.items[0].revenue_fen, 19000 * YUAN);
	assert.equal(list.items[0].orders_total, 4);
	assert.equal(list.items[0].decision, null);
	assert.equal(list.next_cursor, null);
});

test('key accounts: only a supervisor confirms; confirming sets value_class with an audit entry', async () => {
	assertProblem(await api(agent, 'POST', `/api/segments/key-suggestions/${B[2].id}/confirm`), 403);
	assertProblem(await api(supervisor, 'POST', `/api/segments/key-suggestions/${B[3].id}/confirm`), 409);
	assertProblem(await api(supervisor, 'POST', '/api/segments/key-suggestions/999999/confirm'), 404);
	assertProblem(await api(supervisor, 'POST', `/api/segments/key-suggestions/${B[2].id}/confirm`,
		{ note: 'x'.repeat(501) }), 422, 'invalid', 'note');
	assert.equal((await customer(B[2])).value_class, 'ordinary');
	const open = assertStatus(await api(supervisor, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone',
		subject: '续约咨询', customer_id: B[2].id }), 201, 'a case of B2');
	assert.equal(open.key_account, false);
	const r = assertStatus(await api(supervisor, 'POST', `/api/segments/key-suggestions/${B[2].id}/confirm`,
		{ note: '长期大客户' }), 200);
	assert.equal(r.decision, 'confirmed');
	assert.equal(r.value_class, 'key');
	assert.equal(r.decided_by.id, supervisor.user.id);
	const c = await customer(B[2]);
	assert.equal(c.value_class, 'key');
	// Their open cases become key-account cases, first in every queue.
	const k = assertStatus(await api(supervisor, 'GET', `/api/cases/${open.id}`), 200);
	assert.equal(k.key_account, true);
	const audit = assertStatus(await api(admin, 'GET', `/api/customers/${B[2].id}/audit`), 200);
	const items = audit.items || audit;
	const e = items.find((x) => x.action === 'key_confirm');
	assert.ok(e, 'key_confirm audit entry');
	assertProblem(await api(supervisor, 'POST', `/api/segments/key-suggestions/${B[2].id}/confirm`), 409);
	const pending = assertStatus(await api(supervisor, 'GET', '/api/segments/key-suggestions'), 200);
	assert.equal(pending.items.length, 0);
	const confirmed = assertStatus(await api(supervisor, 'GET', '/api/segments/key-suggestions?status=confirmed'), 200);
	assert.deepEqual(confirmed.items.map((x) => x.customer_id), [B[2].id]);
	assertProblem(await api(supervisor, 'GET', '/api/segments/key-suggestions?status=maybe'), 422, 'invalid', 'status');
	// a recompute never takes the key flag away
	await recompute();
	assert.equal((await customer(B[2])).value_class, 'key');
});

test('rejecting a suggestion is remembered', async () => {
	// relax the rules so B1 (too new) is suggested too
	assertStatus(await api(admin, 'PATCH', '/api/segments/settings', { key_min_history_months: 0 }), 200);
	await recompute();
	let list = assertStatus(await api(supervisor, 'GET', '/api/segments/key-suggestions'), 200);
	assert.ok(list.items.some((x) => x.customer_id === B[1].id));
	const r = assertStatus(await api(supervisor, 'POST', `/api/segments/key-suggestions/${B[1].id}/reject`,
		{ note: '一次性采购' }), 200);
	assert.equal(r.decision, 'rejected');
	assert.equal(r.value_class, 'ordinary');
	await recompute();
	list = assertStatus(await api(supervisor, 'GET', '/api/segments/key-suggestions'), 200);
	assert.ok(!list.items.some((x) => x.customer_id === B[1].id));
	const rej = assertStatus(await api(supervisor, 'GET', '/api/segments/key-suggestions?status=rejected'), 200);
	assert.deepEqual(rej.items.map((x) => x.customer_id), [B[1].id]);
	assert.equal(rej.items[0].note, '一次性采购');
	assertStatus(await api(admin, 'PATCH', '/api/segments/settings', { key_min_history_months: 6 }), 200);
});

test('new orders move tiers; the migration report shows who moved', async () => {
	await order(B[20], 50000, 0); // B20: 51,000 yuan, now the best
	const run = await recompute();
	// B20 low->top; B2 top->high; B6 high->mid; B12 mid->low
	assert.equal(run.tier_changes, 4);
	assert.equal((await customer(B[20])).tier, 'top');
	assert.equal((await customer(B[2])).tier, 'high');
	const m = assertStatus(await api(supervisor, 'GET', `/api/reports/tier-migration?from=${t2}`), 200);
	assert.equal(m.from, t2);
	assert.equal(m.customers, 23);
	assert.equal(m.up, 1);
	assert.equal(m.down, 3);
	assert.equal(m.same, 19);
	const link = (f, t) => m.links.find((l) => l.from === f && l.to === t);
	assert.equal(link('low', 'top').customers, 1);
	assert.equal(link('low', 'top').direction, 'up');
	assert.equal(link('low', 'top').source, 'from:low');
	assert.equal(link('low', 'top').target, 'to:top');
	assert.equal(link('top', 'high').customers, 1);
	assert.equal(link('top', 'high').direction, 'down');
	assert.equal(link('high', 'high').customers, 3); // B3 B4 B5
	const names = new Set(m.nodes.map((n) => n.name));
	for (const l of m.links) {
		assert.ok(names.has(l.source), l.source);
		assert.ok(names.has(l.target), l.target);
	}
	// the customers behind a flow
	const who = assertStatus(await api(supervisor, 'GET',
		`/api/reports/tier-migration/customers?from=${t2}&from_tier=low&to_tier=top`), 200);
	assert.deepEqual(who.items.map((x) => x.customer_id), [B[20].id]);
	assert.equal(who.items[0].direction, 'up');
	assert.equal(typeof who.items[0].changed_at, 'number');
	// from before the first recompute: everyone started potential
	const all = assertStatus(await api(supervisor, 'GET', `/api/reports/tier-migration?from=${t0}`), 200);
	assert.ok(all.links.every((l) => l.from === 'potential'), JSON.stringify(all.links));
	assert.equal(all.up, 21);
	assert.equal(all.same, 2);
	// between the first run and the change of rules nothing moved; then 11 did
	const none = assertStatus(await api(supervisor, 'GET', `/api/reports/tier-migration?from=${t1}&to=${tMid}`), 200);
	assert.equal(none.up + none.down, 0);
	const rules = assertStatus(await api(supervisor, 'GET', `/api/reports/tier-migration?from=${tMid}&to=${t2}`), 200);
	assert.equal(rules.up, 11);
	assert.equal(rules.down, 0);
	// a customer created after `from` comes from "new"
	const late = await createCustomer(admin, { name: '新来的客户' });
	const withNew = assertStatus(await api(supervisor, 'GET', `/api/reports/tier-migration?from=${t2}`), 200);
	assert.equal(withNew.new, 1);
	assert.equal(withNew.links.find((l) => l.from === 'new').to, 'potential');
	const newbies = assertStatus(await api(supervisor, 'GET',
		`/api/reports/tier-migration/customers?from=${t2}&from_tier=new`), 200);
	assert.deepEqual(newbies.items.map((x) => x.customer_id), [late.id]);
	// bad periods name the parameter
	assertProblem(await api(supervisor, 'GET', '/api/reports/tier-migration?from=2025-13-01'), 422, 'invalid', 'from');
	assertProblem(await api(supervisor, 'GET', `/api/reports/tier-migration?from=${t2}&to=${t1}`), 422, 'invalid', 'to');
	assertProblem(await api(supervisor, 'GET', '/api/reports/tier-migration/customers?from_tier=gold'), 422, 'invalid', 'from_tier');
});

test('archived customers leave the segmentation', async () => {
	assertStatus(await api(admin, 'DELETE', `/api/customers/${P2.id}`), 204);
	const run = await recompute();
	assert.equal(run.customers, 23); // 24 live minus P2
	const py = assertStatus(await api(supervisor, 'GET', '/api/reports/pyramid'), 200);
	assert.equal(py.tiers.find((t) => t.tier === 'potential').customers, 2); // P1 and the late one
});

test('RFM report: every buyer in the grid, lifecycle counts', async () => {
	const r = assertStatus(await api(supervisor, 'GET', '/api/reports/rfm'), 200);
	assert.equal(r.grid.length, 25);
	assert.equal(r.buyers, 21);
	assert.equal(r.grid.reduce((a, c) => a + c.customers, 0), 21);
	assert.equal(r.monetary.reduce((a, c) => a + c.customers, 0), 21);
	const loyal = r.lifecycle.find((l) => l.lifecycle === 'loyal');
	assert.equal(loyal.label_zh, '忠诚');
	assert.equal(loyal.customers, loyal.suggested);
});

test('kefu segment runs the same recompute from the command line', async () => {
	const out = await new Promise((resolve, reject) => {
		execFile(BIN, ['segment', '--db', srv.dbUrl], { timeout: 30000 }, (err, stdout, stderr) =>
			err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout));
	});
	assert.match(out, /segment run \d+: 23 customers \(21 buyers\)/);
	assert.match(out, /changed: 0 tiers/);
	const runs = assertStatus(await api(supervisor, 'GET', '/api/segments/runs?limit=1'), 200);
	assert.equal(runs.items[0].source, 'cli');
	assert.equal(runs.items[0].actor, null);
	const bad = await new Promise((resolve) => {
		execFile(BIN, ['segment', '--bogus'], (err) => resolve(err ? err.code : 0));
	});
	assert.equal(bad, 2);
});

test('the daily job recomputes once after the recompute hour, and can be turned off', async () => {
	// every run above started after the last 02:00 (China time) unless this suite runs
	// across 02:00 itself; then this first job run may recompute: either way it is not due after
	let r = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assert.equal(r.jobs.segment.ran, true);
	r = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assert.equal(r.jobs.segment.result, 'up to date');
	assertStatus(await api(admin, 'PATCH', '/api/segments/settings', { auto_recompute: false }), 200);
	r = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assert.match(r.jobs.segment.result, /^off/);
	// a database never recomputed is due at once
	const fresh = await startServer('segment-job');
	try {
		const a = await adminSession(fresh);
		await createCustomer(a, { name: '新库客户' });
		r = assertStatus(await api(a, 'POST', '/api/jobs/run'), 200);
		assert.match(r.jobs.segment.result, /^run \d+: 1 customers, 0 tier changes/);
		const runs = assertStatus(await api(a, 'GET', '/api/segments/runs'), 200);
		assert.equal(runs.items[0].source, 'job');
		r = assertStatus(await api(a, 'POST', '/api/jobs/run'), 200);
		assert.equal(r.jobs.segment.result, 'up to date');
	} finally {
		await fresh.stop();
	}
});
