// The customer-value reports at scale (issue 7): what the recompute pre-aggregates must equal
// what the orders and the tier history say when read afresh.
//  - `kefu demo --transactions N` tops the demo's orders up to about N;
//  - the Pareto curve, the pyramid and the tier migration of every preset period of the web UI
//    (web/src/modules/reports/period.js) are answered from the recompute (source "segments")
//    and equal the live answer (?fresh=1);
//  - a drill-down into the ranking from any place (from_rank, served from the recompute's
//    marks every 1000 places) equals the ranking paged from the top, and a customer's page
//    shows the same place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, api, adminSession, assertStatus, assertProblem, BIN } from './lib.mjs';
import { PRESETS, presetRange } from '../../web/src/modules/reports/period.js';

process.env.KEFU_JOBS_INTERVAL = '0';

let srv, admin;
const CUSTOMERS = 4000;
const TRANSACTIONS = 16000;

function run(args) {
	return new Promise((resolve) => {
		execFile(BIN, [...args, '--db', srv.dbUrl], { env: { ...process.env, KEFU_DEMO_PASSWORD: 'Demo-pass-12' }, timeout: 120_000 },
			(err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout: String(stdout), stderr: String(stderr) }));
	});
}

before(async () => {
	srv = await startServer('scale');
	admin = await adminSession(srv);
	const d = await run(['demo', '--customers', String(CUSTOMERS), '--transactions', String(TRANSACTIONS)]);
	assert.equal(d.code, 0, d.stderr);
	const m = /demo: (\d+) orders \((\d+) repeat purchases\)/.exec(d.stdout);
	assert.ok(m, d.stdout);
	assert.ok(Math.abs(Number(m[1]) - TRANSACTIONS) <= TRANSACTIONS * 0.02, `${m[1]} orders for ${TRANSACTIONS}`);
	assert.ok(Number(m[2]) > TRANSACTIONS / 4, d.stdout); // the demo makes about 2.2 per customer itself
	const s = await run(['segment']);
	assert.equal(s.code, 0, s.stderr);
});

after(async () => {
	await srv?.stop();
});

const get = async (path) => assertStatus(await api(admin, 'GET', path), 200, path);

test('kefu demo --transactions refuses what is not a count', async () => {
	const r = await run(['demo', '--customers', '1', '--transactions', 'many']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /--transactions/);
});

test('the Pareto of every preset period comes from the recompute and equals the orders read afresh', async () => {
	const now = Date.now();
	for (const name of PRESETS) {
		const { from, to } = presetRange(name, now);
		for (const by of ['revenue', 'margin']) {
			const q = `/api/reports/pareto?from=${from}&to=${to}&by=${by}`;
			const stored = await get(q);
			const live = await get(`${q}&fresh=1`);
			assert.equal(stored.source, 'segments', `${name} ${by}`);
			assert.ok(stored.computed_at > 0);
			assert.equal(live.source, 'orders');
			assert.equal(stored.from, live.from);
			assert.equal(stored.to, live.to);
			for (const k of ['customers', 'total_fen', 'top20_customers', 'top20_fen', 'customers_80'])
				assert.equal(stored[k], live[k], `${name} ${by} ${k}`);
			assert.deepEqual(stored.points, live.points, `${name} ${by}`);
		}
	}
	const last12 = await get(`/api/reports/pareto?from=${presetRange('last12m', now).from}&to=${presetRange('last12m', now).to}`);
	assert.ok(last12.customers > CUSTOMERS / 3, 'the demo has buyers in the last twelve months');
	// Any other period is read from the orders.
	const other = await get('/api/reports/pareto?from=2026-01-02&to=2026-02-03');
	assert.equal(other.source, 'orders');
});

test('the pyramid of every preset period comes from the recompute and equals the orders read afresh', async () => {
	const now = Date.now();
	for (const name of PRESETS) {
		const { from, to } = presetRange(name, now);
		const q = `/api/reports/pyramid?from=${from}&to=${to}`;
		const stored = await get(q);
		const live = await get(`${q}&fresh=1`);
		const pareto = await get(`/api/reports/pareto?from=${from}&to=${to}`);
		assert.equal(stored.source, 'segments', name);
		assert.equal(live.source, 'orders', name);
		assert.deepEqual(stored.tiers, live.tiers, name);
		assert.equal(stored.buyers, pareto.customers, `${name}: the buyers of the Pareto`);
		assert.equal(stored.revenue_fen, pareto.total_fen, `${name}: the revenue of the Pareto`);
	}
});

test('the tier migration of every preset period comes from the recompute and equals the history replayed', async () => {
	const now = Date.now();
	for (const name of PRESETS) {
		const { from, to } = presetRange(name, now);
		const q = `/api/reports/tier-migration?from=${from}&to=${to}`;
		const stored = await get(q);
		const live = await get(`${q}&fresh=1`);
		assert.equal(stored.source, 'segments', name);
		assert.equal(live.source, 'history', name);
		for (const k of ['from', 'to', 'customers', 'up', 'down', 'same', 'new'])
			assert.equal(stored[k], live[k], `${name} ${k}`);
		assert.deepEqual(stored.links, live.links, name);
		assert.deepEqual(stored.nodes, live.nodes, name);
	}
	const { from, to } = presetRange('last90', now);
	const m = await get(`/api/reports/tier-migration?from=${from}&to=${to}`);
	assert.ok(m.customers >= CUSTOMERS, 'every customer is in the picture');
	// The numbers link to their customers: a flow's list has as many as the flow says.
	const link = m.links.filter((l) => l.customers <= 400).sort((a, b) => b.customers - a.customers)[0];
	assert.ok(link, JSON.stringify(m.links));
	let n = 0;
	let cursor = null;
	do {
		const page = await get(`/api/reports/tier-migration/customers?from=${from}&to=${to}&from_tier=${link.from}&to_tier=${link.to}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
		n += page.items.length;
		for (const c of page.items) assert.equal(c.to_tier, link.to);
		cursor = page.next_cursor;
	} while (cursor);
	assert.equal(n, link.customers);
	// The file of a stored migration has the stored flows: one line each, its count in the third column.
	const res = await fetch(`${admin.base}/api/reports/tier-migration?from=${from}&to=${to}&format=csv`, { headers: { Cookie: admin.cookie, 'Accept-Language': 'en' } });
	assert.equal(res.status, 200);
	const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
	const counts = lines.slice(1).map((l) => Number(l.split(',')[2])).filter((x) => Number.isInteger(x) && x > 0);
	assert.deepEqual(counts.sort((a, b) => a - b), m.links.map((l) => l.customers).sort((a, b) => a - b));
});

test('a drill-down from any place of the ranking equals the ranking paged from the top', async () => {
	const truth = [];
	let cursor = null;
	do {
		const page = await get(`/api/reports/pareto/customers?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		truth.push(...page.items);
		cursor = page.next_cursor;
	} while (cursor);
	assert.ok(truth.length > 2000, `${truth.length} buyers: at least two marks`);
	truth.forEach((x, i) => assert.equal(x.rank, i + 1));
	const last = truth.length;
	for (const n of [2, 999, 1000, 1001, 1002, 1999, 2000, 2001, 2002, last - 1, last]) {
		const page = await get(`/api/reports/pareto/customers?from_rank=${n}&limit=3`);
		assert.deepEqual(page.items, truth.slice(n - 1, n + 2), `from_rank=${n}`);
		if (n + 2 < last) {
			const next = await get(`/api/reports/pareto/customers?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`);
			assert.deepEqual(next.items, truth.slice(n + 2, n + 4), `after from_rank=${n}`);
		} else {
			assert.equal(page.next_cursor, null);
		}
	}
	// A customer's page shows the same place.
	for (const n of [1, 999, 1000, 1001, 2000, 2001, last]) {
		const seg = await get(`/api/customers/${truth[n - 1].customer_id}/segment`);
		assert.equal(seg.pareto.rank, n, `customer at place ${n}`);
	}
	const past = await get(`/api/reports/pareto/customers?from_rank=${last + 1}`);
	assert.deepEqual(past.items, []);
	assert.equal(past.next_cursor, null);
});

/** The 80/20, pyramid and RFM narrowed by q equal the same read afresh (?fresh=1). */
async function sameAsFresh(q) {
	for (const by of ['revenue', 'margin']) {
		const a = await get(`/api/reports/pareto?${q}&by=${by}`);
		const b = await get(`/api/reports/pareto?${q}&by=${by}&fresh=1`);
		assert.equal(a.source, 'segments', q);
		for (const k of ['customers', 'total_fen', 'top20_customers', 'top20_fen', 'customers_80'])
			assert.equal(a[k], b[k], `${q} ${by} ${k}`);
		assert.deepEqual(a.points, b.points, `${q} ${by}`);
	}
	assert.deepEqual((await get(`/api/reports/pyramid?${q}`)).tiers, (await get(`/api/reports/pyramid?${q}&fresh=1`)).tiers, q);
	const r1 = await get(`/api/reports/rfm?${q}`);
	const r2 = await get(`/api/reports/rfm?${q}&fresh=1`);
	for (const k of ['buyers', 'grid', 'monetary', 'lifecycle']) assert.deepEqual(r1[k], r2[k], `${q} rfm ${k}`);
}

test('narrowed to some customers (the customer list’s filters), the reports add up to the whole', async () => {
	const now = Date.now();
	const { from, to } = presetRange('last90', now);
	const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
	const whole = {
		pareto: await get('/api/reports/pareto'),
		period: await get(`/api/reports/pareto?from=${from}&to=${to}`),
		pyramid: await get('/api/reports/pyramid'),
		pyramidPeriod: await get(`/api/reports/pyramid?from=${from}&to=${to}`),
		rfm: await get('/api/reports/rfm'),
		migration: await get(`/api/reports/tier-migration?from=${from}&to=${to}`),
	};
	const parts = [];
	for (const kind of ['person', 'organization']) {
		const p = {
			pareto: await get(`/api/reports/pareto?kind=${kind}`),
			period: await get(`/api/reports/pareto?from=${from}&to=${to}&kind=${kind}`),
			pyramid: await get(`/api/reports/pyramid?kind=${kind}`),
			pyramidPeriod: await get(`/api/reports/pyramid?from=${from}&to=${to}&kind=${kind}`),
			rfm: await get(`/api/reports/rfm?kind=${kind}`),
			migration: await get(`/api/reports/tier-migration?from=${from}&to=${to}&kind=${kind}`),
		};
		assert.equal(p.period.source, 'orders', 'a narrowed period is read from the orders');
		// Narrowed to a customer type, the recompute counted ahead what a fresh count finds.
		await sameAsFresh(`kind=${kind}`);
		assert.equal(p.migration.source, 'history');
		assert.ok(p.pareto.customers > 0 && p.pareto.customers < whole.pareto.customers, kind);
		// Every tier's count is the customer list's count with the same filter.
		for (const t of p.pyramid.tiers) {
			const c = await get(`/api/customers/count?kind=${kind}&tier=${t.tier}`);
			assert.equal(t.customers, c.count, `${kind} ${t.tier}`);
		}
		// The ranking behind the narrowed curve: as many buyers, the same total, best first.
		const items = [];
		let cursor = null;
		do {
			const page = await get(`/api/reports/pareto/customers?kind=${kind}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			items.push(...page.items);
			assert.equal(page.total_fen, p.pareto.total_fen);
			cursor = page.next_cursor;
		} while (cursor);
		assert.equal(items.length, p.pareto.customers);
		items.forEach((x, i) => assert.equal(x.rank, i + 1));
		const deep = await get(`/api/reports/pareto/customers?kind=${kind}&from_rank=${items.length - 1}&limit=5`);
		assert.deepEqual(deep.items, items.slice(-2));
		parts.push(p);
	}
	assert.equal(sum(parts.map((p) => p.pareto), 'customers'), whole.pareto.customers);
	assert.equal(sum(parts.map((p) => p.pareto), 'total_fen'), whole.pareto.total_fen);
	assert.equal(sum(parts.map((p) => p.period), 'customers'), whole.period.customers);
	assert.equal(sum(parts.map((p) => p.period), 'total_fen'), whole.period.total_fen);
	whole.pyramid.tiers.forEach((t, i) => {
		assert.equal(sum(parts.map((p) => p.pyramid.tiers[i]), 'customers'), t.customers, t.tier);
		assert.equal(sum(parts.map((p) => p.pyramid.tiers[i]), 'revenue_fen'), t.revenue_fen, t.tier);
	});
	whole.pyramidPeriod.tiers.forEach((t, i) => {
		assert.equal(sum(parts.map((p) => p.pyramidPeriod.tiers[i]), 'buyers'), t.buyers, t.tier);
		assert.equal(sum(parts.map((p) => p.pyramidPeriod.tiers[i]), 'revenue_fen'), t.revenue_fen, t.tier);
	});
	whole.rfm.grid.forEach((g, i) => assert.equal(sum(parts.map((p) => p.rfm.grid[i]), 'customers'), g.customers, `rfm ${g.r}${g.f}`));
	whole.rfm.lifecycle.forEach((l, i) => assert.equal(sum(parts.map((p) => p.rfm.lifecycle[i]), 'suggested'), l.suggested, l.lifecycle));
	for (const k of ['customers', 'up', 'down', 'same', 'new'])
		assert.equal(sum(parts.map((p) => p.migration), k), whole.migration[k], `migration ${k}`);
	// The owners' department narrows too, as it does the customer list.
	const depts = await get('/api/departments');
	const dept = (depts.items || depts)[0];
	for (const d of depts.items || depts) await sameAsFresh(`department_id=${d.id}`);
	const byDept = await get(`/api/reports/pyramid?department_id=${dept.id}`);
	assert.ok(byDept.customers > 0 && byDept.customers < whole.pyramid.customers);
	for (const t of byDept.tiers)
		assert.equal(t.customers, (await get(`/api/customers/count?department_id=${dept.id}&tier=${t.tier}`)).count, `department ${t.tier}`);
	// A bad filter is refused, naming it.
	assertProblem(await api(admin, 'GET', '/api/reports/pyramid?kind=robot'), 422, undefined, 'kind');
	assertProblem(await api(admin, 'GET', '/api/reports/pareto?department_id=x'), 422, undefined, 'department_id');
	assertProblem(await api(admin, 'GET', '/api/customers?department_id=0'), 422, undefined, 'department_id');
});
