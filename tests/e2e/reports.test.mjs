// Reports as charts (JSON) and as files: .xlsx read back by a small independent reader
// (zip central directory + zlib inflate + the sheet XML) and CSV (UTF-8 BOM, header line),
// with the numbers equal to the API's; format negotiation; the Pareto ranking pages.
//
// The fixture: five buyers with 500, 300, 100, 60 and 40 yuan (the first bought 100 days
// ago, the others 10 days ago) and one customer who never bought.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus, rand,
} from './lib.mjs';
import { unzip, sheetRows, parseCsv } from './xlsx.mjs';

// The daily recompute job would run at start; these tests recompute when they mean to.
process.env.KEFU_JOBS_INTERVAL = '0';

const DAY = 86400000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let srv, admin, supervisor;
const buyers = [];
let base;

/** Fetches a file: {status, headers, bytes}. */
async function download(session, path, headers = {}) {
	const res = await fetch(session.base + path, { headers: { Cookie: session.cookie, ...headers } });
	return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function chinaToday() {
	return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
}

function assertXlsx(r, name) {
	assert.equal(r.status, 200, r.bytes.toString('utf8').slice(0, 300));
	assert.equal(r.headers.get('content-type'), XLSX);
	assert.equal(r.headers.get('content-disposition'), `attachment; filename="kefu-${name}-${chinaToday()}.xlsx"`);
	assert.equal(r.bytes.subarray(0, 2).toString('latin1'), 'PK');
	assert.ok(r.bytes.includes('xl/workbook.xml'), 'names xl/workbook.xml');
	const files = unzip(r.bytes);
	for (const part of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'])
		assert.ok(files[part], `xlsx part ${part}: ${Object.keys(files)}`);
	return files;
}

function assertCsv(r, name) {
	assert.equal(r.status, 200, r.bytes.toString('utf8').slice(0, 300));
	assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
	assert.equal(r.headers.get('content-disposition'), `attachment; filename="kefu-${name}-${chinaToday()}.csv"`);
	assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
	const text = r.bytes.subarray(3).toString('utf8');
	assert.ok(text.endsWith('\r\n'));
	return parseCsv(text);
}

// ------------------------------------------------------------------ fixture

async function order(c, yuan, daysAgo, margin) {
	const body = { order_no: `SO-${rand(4)}`, amount_fen: yuan * 100, ordered_at: base - daysAgo * DAY };
	if (margin !== undefined)
		body.margin_fen = margin * 100;
	assertStatus(await api(admin, 'POST', `/api/customers/${c.id}/orders`, body), 201, 'order');
}

before(async () => {
	srv = await startServer('reports');
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor' });
	base = Date.now() - 60000;
	const spec = [['华东机电', 500, 100, 100], ['=HYPERLINK("http://x")', 300, 10, 60], ['李, "小"明', 100, 10, 20],
		['王芳', 60, 10, undefined], ['赵磊', 40, 10, 8]];
	for (const [name, yuan, days, margin] of spec) {
		const c = await createCustomer(admin, { name });
		await order(c, yuan, days, margin);
		buyers.push(c);
	}
	await createCustomer(admin, { name: '尚未购买' });
	assertStatus(await api(admin, 'POST', '/api/segments/recompute'), 200);
});

after(async () => {
	await srv?.stop();
});

// ------------------------------------------------------------------ tests

test('pyramid: JSON, CSV and xlsx carry the same numbers', async () => {
	const j = assertStatus(await api(supervisor, 'GET', '/api/reports/pyramid'), 200);
	const top = j.tiers[0];
	assert.equal(top.tier, 'top');
	assert.equal(top.customers, 1);
	assert.equal(top.revenue_fen, 50000);
	assert.equal(top.revenue_share, 0.5);
	assert.equal(j.tiers.find((t) => t.tier === 'low').customers, 4);
	assert.equal(j.tiers.find((t) => t.tier === 'potential').customers, 1);

	const rows = assertCsv(await download(supervisor, '/api/reports/pyramid?format=csv'), 'pyramid');
	assert.deepEqual(rows[0], ['层级', '客户数', '客户占比（%）', '营收（元）', '营收占比（%）', '毛利（元）', '关键客户数']);
	assert.equal(rows.length, 7);
	for (let i = 0; i < 6; i++) {
		const t = j.tiers[i], row = rows[i + 1];
		assert.equal(row[0], t.label_zh);
		assert.equal(Number(row[1]), t.customers);
		assert.equal(row[3], (t.revenue_fen / 100).toFixed(2));
		assert.equal(Number(row[4]), Number((t.revenue_share * 100).toFixed(2)));
	}

	const files = assertXlsx(await download(supervisor, '/api/reports/pyramid?format=xlsx'), 'pyramid');
	const x = sheetRows(files);
	assert.equal(x[0][0], '层级');
	assert.equal(x[0][3], '营收（元）');
	for (let i = 0; i < 6; i++) {
		const t = j.tiers[i];
		assert.equal(x[i + 1][0], t.label_zh);
		assert.equal(x[i + 1][1], t.customers);
		assert.equal(x[i + 1][3], t.revenue_fen / 100);
		assert.ok(Math.abs(x[i + 1][4] - t.revenue_share) < 1e-12);
	}
	// the parameters sheet is absent for the pyramid, present where a period applies
	assert.equal(files['xl/worksheets/sheet2.xml'], undefined);
});

test('format negotiation: Accept header, English headers, unknown format', async () => {
	const csv = assertCsv(await download(supervisor, '/api/reports/pyramid', { Accept: 'text/csv' }), 'pyramid');
	assert.equal(csv[0][0], '层级');
	const en = assertCsv(await download(supervisor, '/api/reports/pyramid?format=csv', { 'Accept-Language': 'en' }), 'pyramid');
	assert.deepEqual(en[0].slice(0, 4), ['Tier', 'Customers', 'Share of customers (%)', 'Revenue (yuan)']);
	assert.equal(en[1][0], 'Top');
	assertXlsx(await download(supervisor, '/api/reports/pyramid', { Accept: XLSX }), 'pyramid');
	const j = await api(supervisor, 'GET', '/api/reports/pyramid?format=json', undefined, { headers: { Accept: 'text/csv' } });
	assert.equal(j.status, 200);
	assert.ok(Array.isArray(j.json.tiers));
	assertProblem(await api(supervisor, 'GET', '/api/reports/pyramid?format=pdf'), 422, 'invalid', 'format');
	assertProblem(await api(supervisor, 'GET', '/api/reports/pareto?by=profit'), 422, 'invalid', 'by');
});

test('pareto: 80/20 numbers, the curve, and the same points in the files', async () => {
	const p = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto'), 200);
	assert.equal(p.source, 'segments');
	assert.equal(p.customers, 5);
	assert.equal(p.total_fen, 100000);
	assert.equal(p.top20_customers, 1);
	assert.equal(p.top20_share, 0.5);
	assert.equal(p.customers_80, 2);
	assert.equal(p.customers_80_share, 0.4);
	assert.deepEqual(p.points.map((x) => x.customers), [0, 1, 2, 3, 4, 5]);
	assert.deepEqual(p.points.map((x) => x.value_fen), [0, 50000, 80000, 90000, 96000, 100000]);
	assert.equal(typeof p.computed_at, 'number');

	const rows = assertCsv(await download(supervisor, '/api/reports/pareto?format=csv'), 'pareto');
	assert.deepEqual(rows[0], ['客户占比（%）', '客户数', '累计金额（元）', '累计占比（%）']);
	assert.equal(rows.length, p.points.length + 1);
	assert.deepEqual(rows[2], ['20.00', '1', '500.00', '50.00']);
	assert.deepEqual(rows.at(-1), ['100.00', '5', '1000.00', '100.00']);

	const files = assertXlsx(await download(supervisor, '/api/reports/pareto?format=xlsx'), 'pareto');
	const x = sheetRows(files);
	p.points.forEach((pt, i) => {
		assert.ok(Math.abs(x[i + 1][0] - pt.x) < 1e-12);
		assert.equal(x[i + 1][1], pt.customers);
		assert.equal(x[i + 1][2], pt.value_fen / 100);
		assert.ok(Math.abs(x[i + 1][3] - pt.y) < 1e-12);
	});
	const info = sheetRows(files, 2); // the parameters of the period
	assert.equal(info[0][0], '排序依据');
	assert.equal(info[0][1], 'revenue');
});

test('pareto over a period aggregates the orders of that period; by margin', async () => {
	const from = base - 30 * DAY;
	const p = assertStatus(await api(supervisor, 'GET', `/api/reports/pareto?from=${from}`), 200);
	assert.equal(p.source, 'orders');
	assert.equal(p.from, from);
	assert.equal(p.customers, 4); // the 500 yuan order is older
	assert.equal(p.total_fen, 50000);
	assert.equal(p.top20_fen, 30000);
	const m = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto?by=margin'), 200);
	assert.equal(m.by, 'margin');
	assert.equal(m.total_fen, (100 + 60 + 20 + 8) * 100); // an unknown margin counts 0
	assert.equal(m.top20_fen, 10000);
	const day = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto?from=2000-01-01&to=2000-01-31'), 200);
	assert.equal(day.customers, 0);
	assert.equal(day.top20_share, 0);
	assertProblem(await api(supervisor, 'GET', '/api/reports/pareto?from=yesterday'), 422, 'invalid', 'from');
});

test('pyramid over a period: the tiers with what each brought in that period', async () => {
	const from = base - 30 * DAY;
	const all = assertStatus(await api(supervisor, 'GET', '/api/reports/pyramid'), 200);
	const p = assertStatus(await api(supervisor, 'GET', `/api/reports/pyramid?from=${from}`), 200);
	assert.equal(p.source, 'orders');
	assert.equal(p.from, from);
	assert.equal(p.buyers, 4); // as the Pareto of the same period
	assert.equal(p.revenue_fen, 50000);
	assert.equal(p.customers, all.customers); // the same tiers, counted as the recompute left them
	p.tiers.forEach((t, i) => assert.equal(t.customers, all.tiers[i].customers));
	assert.equal(p.tiers.reduce((a, t) => a + t.buyers, 0), 4);
	assert.equal(p.tiers.reduce((a, t) => a + t.revenue_fen, 0), 50000);
	assert.equal(all.buyers, undefined);
	const rows = assertCsv(await download(supervisor, `/api/reports/pyramid?from=${from}&format=csv`), 'pyramid');
	assert.deepEqual(rows[0].slice(-1), ['期间购买客户']);
	assert.equal(rows.slice(1, 7).reduce((a, r) => a + Number(r[7]), 0), 4);
	const none = assertStatus(await api(supervisor, 'GET', '/api/reports/pyramid?from=2000-01-01&to=2000-01-31'), 200);
	assert.equal(none.buyers, 0);
	assert.equal(none.revenue_fen, 0);
	assertProblem(await api(supervisor, 'GET', '/api/reports/pyramid?from=2025-02-30'), 422, 'invalid', 'from');
});

test('pareto ranking: pages with a cursor; the file neutralises formulas', async () => {
	const p1 = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto/customers?limit=2'), 200);
	assert.deepEqual(p1.items.map((x) => x.rank), [1, 2]);
	assert.equal(p1.items[0].customer_id, buyers[0].id);
	assert.equal(p1.items[1].cum_fen, 80000);
	assert.equal(p1.total_fen, 100000);
	assert.ok(p1.next_cursor);
	const p2 = assertStatus(await api(supervisor, 'GET',
		`/api/reports/pareto/customers?limit=10&cursor=${encodeURIComponent(p1.next_cursor)}`), 200);
	assert.deepEqual(p2.items.map((x) => x.rank), [3, 4, 5]);
	assert.equal(p2.items.at(-1).cum_share, 1);
	assert.equal(p2.next_cursor, null);
	// A page from a rank: the same rows, the same cumulative sums, and a cursor onwards.
	const p3 = assertStatus(await api(supervisor, 'GET', '/api/reports/pareto/customers?from_rank=3&limit=2'), 200);
	assert.deepEqual(p3.items, p2.items.slice(0, 2));
	const p4 = assertStatus(await api(supervisor, 'GET',
		`/api/reports/pareto/customers?limit=10&cursor=${encodeURIComponent(p3.next_cursor)}`), 200);
	assert.deepEqual(p4.items, p2.items.slice(2));
	assert.deepEqual(assertStatus(await api(supervisor, 'GET', '/api/reports/pareto/customers?from_rank=1&limit=2'), 200), p1);
	assert.deepEqual(assertStatus(await api(supervisor, 'GET', '/api/reports/pareto/customers?from_rank=99'), 200),
		{ items: [], total_fen: 100000, next_cursor: null });
	assertProblem(await api(supervisor, 'GET', '/api/reports/pareto/customers?from_rank=0'), 422, 'invalid', 'from_rank');
	assertProblem(await api(supervisor, 'GET', '/api/reports/pareto/customers?cursor=zzz'), 422, 'invalid', 'cursor');

	const r = await download(supervisor, '/api/reports/pareto/customers?format=csv');
	const rows = assertCsv(r, 'top-customers');
	assert.equal(rows.length, 6); // every buyer, not a page
	for (const row of rows.slice(1)) assert.ok(['顶层', '高层', '中层', '低层', '休眠', '潜在'].includes(row[4]), `tier in words: ${row[4]}`);
	assert.equal(rows[2][2], `'=HYPERLINK("http://x")`);
	assert.ok(r.bytes.toString('utf8').includes(`"'=HYPERLINK(""http://x"")"`));
	assert.equal(rows[3][2], '李, "小"明');
	const x = sheetRows(assertXlsx(await download(supervisor, '/api/reports/pareto/customers?format=xlsx'), 'top-customers'));
	assert.equal(x.length, 6);
	assert.equal(x[1][2], '华东机电');
	assert.equal(x[1][5], 500);
	assert.equal(x[2][2], '=HYPERLINK("http://x")'); // a string cell in xlsx, never a formula
});

test('tier migration and RFM as files', async () => {
	const m = assertStatus(await api(supervisor, 'GET', '/api/reports/tier-migration?from=2000-01-01'), 200);
	assert.equal(m.customers, 6);
	const rows = assertCsv(await download(supervisor, '/api/reports/tier-migration?from=2000-01-01&format=csv'), 'tier-migration');
	assert.deepEqual(rows[0], ['起始层级', '目标层级', '客户数', '变化']);
	assert.equal(rows.length, m.links.length + 1);
	const total = rows.slice(1).reduce((a, r) => a + Number(r[2]), 0);
	assert.equal(total, m.customers);
	const x = sheetRows(assertXlsx(await download(supervisor, '/api/reports/tier-migration?from=2000-01-01&format=xlsx'), 'tier-migration'));
	assert.equal(x.length, m.links.length + 1);

	const rfm = assertStatus(await api(supervisor, 'GET', '/api/reports/rfm'), 200);
	const rr = assertCsv(await download(supervisor, '/api/reports/rfm?format=csv'), 'rfm');
	assert.equal(rr.length, 26);
	assert.equal(rr.slice(1).reduce((a, r) => a + Number(r[2]), 0), rfm.buyers);
	assert.equal(rfm.buyers, 5);
});

test('reports answer supervisors and admins only', async () => {
	const agent = await userSession(srv, admin, { role: 'agent' });
	for (const p of ['/api/reports/pareto', '/api/reports/pyramid?format=csv', '/api/reports/rfm',
		'/api/reports/tier-migration', '/api/reports/pareto/customers?format=xlsx',
		'/api/reports/tier-migration/customers'])
		assertProblem(await api(agent, 'GET', p), 403);
	assertStatus(await api(admin, 'GET', '/api/reports/rfm'), 200);
});
