// reports.test.mjs - the supervisor's reports (报表) and the customer-value settings, in
// Debian's Chromium against kefu serve: every report draws its chart (a canvas) over a
// non-empty table; a Pareto band and a migration flow list their customers; CSV and Excel
// exports download (checked byte by byte: the BOM and header of the CSV, the zip signature
// of the .xlsx); an administrator changes a tier threshold (a mistake shown under its field
// first) and recomputes, and the run is listed; the customer page shows the value card and
// applies the lifecycle the rules suggest; the commitment and workload figures open the lists
// behind them. It creates its own customer with orders through
// the API, so it works on any number of demo customers, and restores the rules it changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, PASSWORD, launch, login, newContext, rand, shot, watchPage } from './lib.mjs';

const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD;
const DAY = 86400000;
let browser;
const watched = []; // the problems of each page (watchPage)
let customerId = 0;
let originalRules = null;

/** A signed-in API session (cookie + CSRF token) for setting up data. */
async function apiSession(username, password) {
	const r = await fetch(`${BASE}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
	assert.equal(r.status, 200, `login ${username}`);
	const body = await r.json();
	const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	return async (method, path, json) => {
		const res = await fetch(`${BASE}${path}`, {
			method,
			headers: { cookie, 'X-CSRF-Token': body.csrf_token, ...(json ? { 'Content-Type': 'application/json' } : {}) },
			body: json ? JSON.stringify(json) : undefined,
		});
		const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
		assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
		return data;
	};
}

/**
 * A recompute now. The server's daily job may be recomputing already (it runs at start
 * when none ran today): then wait for it and ask again.
 */
async function recomputeNow(call) {
	for (let i = 0; ; i++) {
		try {
			return await call('POST', '/api/segments/recompute');
		} catch (e) {
			if (!/: 409 /.test(e.message) || i > 240) throw e;
			await new Promise((r) => setTimeout(r, 500));
		}
	}
}

let sup; // the supervisor's API
let supId = 0; // the supervisor's user id (the maker of the promise below)
let adm; // the administrator's API

before(async () => {
	browser = await launch();
	sup = await apiSession('zhuguan', PASSWORD);
	adm = ADMIN_PASSWORD ? await apiSession('admin', ADMIN_PASSWORD) : null;
	// A customer of our own: four large orders in the last months (a top buyer whatever the
	// demo size) and a small one more than a year ago (a long relation: a key account
	// suggested), segmented, then its lifecycle set by hand to differ from the suggestion.
	for (let attempt = 0; !customerId; attempt++) {
		const phone = `199${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
		try {
			customerId = (await sup('POST', '/api/customers', { name: `报表测试客户${rand(4)}`, phone, lifecycle: 'potential' })).id;
		} catch (e) {
			if (attempt > 4) throw e;
		}
	}
	const now = Date.now();
	for (let i = 1; i <= 4; i++)
		await sup('POST', `/api/customers/${customerId}/orders`, { order_no: `RPT-${rand(6)}-${i}`, amount_fen: 15_000_000, ordered_at: now - i * 15 * DAY });
	await sup('POST', `/api/customers/${customerId}/orders`, { order_no: `RPT-${rand(6)}-0`, amount_fen: 10_000, ordered_at: now - 400 * DAY });
	// Complaints of today for the service reports (the demo may have no cases).
	for (const [channel, emotion] of [['phone', 'angry'], ['web', 'calm'], ['phone', 'anxious']])
		await sup('POST', '/api/cases', { customer_id: customerId, type: 'complaint', subject: `报表测试投诉${rand(3)}`, channel, emotion });
	await recomputeNow(sup);
	const c = await sup('GET', `/api/customers/${customerId}`);
	await sup('PATCH', `/api/customers/${customerId}`, { lifecycle: c.lifecycle === 'temporary' ? 'general' : 'temporary', version: c.version });
	originalRules = (await sup('GET', '/api/segments/settings')).settings;
});

after(async () => {
	if (adm && originalRules) await adm('PATCH', '/api/segments/settings', originalRules).catch(() => {});
	await browser?.close();
});

/** Waits for the report's chart canvas and table rows; returns the number of rows. */
async function drawn(page, report, chart) {
	await page.waitForSelector(`[data-test=report-${report}][aria-busy=false]`);
	await page.waitForSelector(`[data-test=chart-${chart}] canvas`);
	const size = await page.locator(`[data-test=chart-${chart}] canvas`).first().boundingBox();
	assert.ok(size && size.width > 200 && size.height > 150, `${report}: the chart has no size`);
	await page.waitForSelector('[data-test=report-table] .el-table__row');
	return page.locator('[data-test=report-table] .el-table__row').count();
}

async function download(page, button) {
	const [d] = await Promise.all([page.waitForEvent('download'), page.click(`[data-test=${button}]`)]);
	return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

describe('a supervisor reads the reports', () => {
	let ctx;
	let page;
	before(async () => {
		ctx = await newContext(browser, { acceptDownloads: true });
		page = await ctx.newPage();
		watched.push(watchPage(page));
		await login(page, 'zhuguan');
	});
	after(() => ctx?.close());

	it('opens 报表 from the menu: the 80/20 chart, the top-20% share, the bands', async () => {
		await page.click('[data-test=nav-reports]');
		await page.waitForURL(/\/reports\/pareto/);
		assert.equal(await drawn(page, 'pareto', 'pareto'), 10);
		assert.match(await page.locator('[data-test=kpi-top20]').innerText(), /前 20% 客户贡献[\s\S]*\d+\.\d%/);
		await shot(page, 'reports-01-pareto');
	});

	it('lists the customers of the best band, ranked', async () => {
		await page.click('[data-test=band-1]');
		await page.waitForSelector('[data-test=pareto-customers] .el-table__row');
		const first = await page.locator('[data-test=pareto-customers] .el-table__row').first().innerText();
		assert.match(first, /^1\s/);
		await shot(page, 'reports-02-pareto-band');
		// The whole ranking, from the drawer.
		const all = await download(page, 'ranking-csv');
		assert.match(all.name, /^kefu-top-customers-.*\.csv$/);
		assert.match(all.bytes.subarray(3).toString('utf8'), /^排名,客户编号,客户名称/);
		await page.keyboard.press('Escape');
		// The second band starts where the first ended.
		const ranks = await page.locator('[data-test=report-table] .el-table__row').nth(1).locator('td').nth(1).innerText();
		await page.click('[data-test=band-2]');
		await page.waitForSelector('[data-test=pareto-customers] .el-table__row');
		const firstRank = await page.locator('[data-test=pareto-customers] .el-table__row').first().locator('td').first().innerText();
		assert.equal(firstRank.trim(), ranks.split('–')[0].replace(/,/g, '').trim());
		await page.keyboard.press('Escape');
	});

	it('exports the Pareto as CSV and as Excel', async () => {
		const csv = await download(page, 'export-csv');
		assert.match(csv.name, /^kefu-pareto-\d{4}-\d{2}-\d{2}\.csv$/);
		assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM');
		const lines = csv.bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
		assert.match(lines[0], /^客户占比（%）,客户数,累计金额（元）,累计占比（%）$/);
		assert.ok(lines.length > 2, 'CSV has rows');
		const xlsx = await download(page, 'export-xlsx');
		assert.match(xlsx.name, /^kefu-pareto-\d{4}-\d{2}-\d{2}\.xlsx$/);
		assert.deepEqual([...xlsx.bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'XLSX is a zip');
		assert.ok(xlsx.bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'XLSX has a worksheet');
	});

	it('keeps the period in the URL: the Pareto of the last 90 days', async () => {
		await page.goto('/reports/pareto?period=x&from=2000-01-01&to=2000-01-31');
		await page.waitForSelector('[data-test=report-pareto][aria-busy=false]');
		assert.ok(await page.locator('.el-empty').isVisible(), 'a period without orders says so');
		await page.goto('/reports/pareto');
		await page.click('[data-test=period-preset] .el-select__wrapper');
		await page.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("最近 90 天")');
		await page.waitForURL((u) => !!u.searchParams.get('from') && !!u.searchParams.get('to'));
		await drawn(page, 'pareto', 'pareto');
	});

	it('the pyramid: tiers with counts and revenue; a tier opens the customer list', async () => {
		await page.click('[data-test=report-tab-pyramid]');
		assert.equal(await drawn(page, 'pyramid', 'pyramid'), 6);
		await page.waitForSelector('[data-test=chart-tier-shares] canvas');
		assert.match(await page.locator('[data-test=report-table]').innerText(), /顶层[\s\S]*¥/);
		await shot(page, 'reports-03-pyramid');
		const xlsx = await download(page, 'export-xlsx');
		assert.deepEqual([...xlsx.bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
		await page.click('[data-test=tier-top]');
		await page.waitForURL((u) => u.pathname === '/customers' && u.searchParams.get('tier') === 'top');
		await page.goBack();
	});

	it('the pyramid over a period: what each tier brought in the last 90 days', async () => {
		await page.goto('/reports/pyramid');
		await drawn(page, 'pyramid', 'pyramid');
		assert.ok(!(await page.locator('[data-test=report-table]').innerText()).includes('期间购买客户'));
		await page.click('[data-test=period-preset] .el-select__wrapper');
		await page.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("最近 90 天")');
		await page.waitForURL((u) => !!u.searchParams.get('from') && !!u.searchParams.get('to'));
		await page.waitForSelector('[data-test=report-table] >> text=期间购买客户');
		assert.match(await page.locator('[data-test=report-table]').innerText(), /期间营收[\s\S]*顶层[\s\S]*¥/);
		await page.waitForSelector('text=期间内');
	});

	it('narrows the pyramid to organizations: fewer customers, and a tier lists only theirs', async () => {
		await page.goto('/reports/pyramid');
		await drawn(page, 'pyramid', 'pyramid');
		const all = await page.evaluate(async () => (await (await fetch('/api/reports/pyramid')).json()).customers);
		await page.click('[data-test=report-kind] .el-select__wrapper');
		await page.click('.el-select-dropdown:visible .el-select-dropdown__item:has-text("组织客户")');
		await page.waitForURL((u) => u.searchParams.get('kind') === 'organization');
		const orgs = await page.evaluate(async () => (await (await fetch('/api/reports/pyramid?kind=organization')).json()).customers);
		assert.ok(orgs > 0 && orgs < all, `${orgs} of ${all}`);
		await page.waitForSelector(`[data-test=kpi-customers] >> text=${orgs.toLocaleString('zh-CN')}`);
		await page.click('[data-test=tier-low]');
		await page.waitForURL((u) => u.pathname === '/customers' && u.searchParams.get('tier') === 'low' && u.searchParams.get('kind') === 'organization');
		await page.goBack();
	});

	it('reads the pyramid in English too', async () => {
		await page.goto('/reports/pyramid');
		await drawn(page, 'pyramid', 'pyramid');
		await page.click('[data-test=lang-en]');
		await page.waitForSelector('text=Share of revenue');
		assert.match(await page.locator('[data-test=report-table]').innerText(), /Top[\s\S]*Customers|Customers[\s\S]*Top/);
		await shot(page, 'reports-03b-pyramid-en');
		await page.click('[data-test=lang-zh-CN]');
		await page.waitForSelector('text=营收占比');
	});

	it('the RFM grid', async () => {
		await page.goto('/reports/rfm');
		assert.equal(await drawn(page, 'rfm', 'rfm'), 5);
		await page.waitForSelector('[data-test=chart-lifecycle] canvas');
		await shot(page, 'reports-04-rfm');
	});

	it('tier migration: the Sankey, the matrix, the customers of a flow', async () => {
		await page.click('[data-test=report-tab-migration]');
		assert.ok((await drawn(page, 'tier-migration', 'migration')) > 0);
		await shot(page, 'reports-05-migration');
		await page.locator('[data-test=report-table] [data-test^=flow-]').first().click();
		await page.waitForSelector('[data-test=migration-customers] .el-table__row');
		await shot(page, 'reports-06-migration-flow');
		await page.keyboard.press('Escape');
		const csv = await download(page, 'export-csv');
		assert.match(csv.bytes.subarray(3).toString('utf8'), /^起始层级,目标层级,客户数,变化\r?\n/);
	});

	it('complaints by root cause, and by channel from the URL', async () => {
		// Our complaints were received today: the default period (the last 90 days) has them.
		await page.click('[data-test=report-tab-complaints]');
		assert.ok((await drawn(page, 'complaints', 'complaints')) > 0);
		await shot(page, 'reports-07-complaints');
		await page.click('[data-test=complaints-by] label:has-text("渠道")');
		await page.waitForURL((u) => u.searchParams.get('by') === 'channel');
		await drawn(page, 'complaints', 'complaints');
	});

	it('cases per week with SLA compliance', async () => {
		await page.click('[data-test=report-tab-weekly]');
		assert.ok((await drawn(page, 'cases-weekly', 'weekly')) > 0);
		await shot(page, 'reports-08-weekly');
		const csv = await download(page, 'export-csv');
		assert.match(csv.bytes.subarray(3).toString('utf8'), /^周（周一）,受理,已解决,/);
	});

	it('follow-up coverage', async () => {
		await page.click('[data-test=report-tab-follow-ups]');
		assert.ok((await drawn(page, 'follow-ups', 'follow-ups')) >= 5);
		await shot(page, 'reports-09-follow-ups');
	});

	it('commitment fulfilment: stacked weeks; a number opens the commitments behind it', async () => {
		// A promise of our own, due in two minutes and kept now: on time, in today's week.
		const content = `报表测试承诺${rand(4)}`;
		const m = await sup('POST', '/api/commitments', { customer_id: customerId, content, due_at: Date.now() + 120_000 });
		await sup('POST', `/api/commitments/${m.id}/outcome`, { outcome: 'kept' });
		await page.click('[data-test=report-tab-commitments]');
		await page.waitForURL(/\/reports\/commitments/);
		assert.ok((await drawn(page, 'commitments', 'commitments')) >= 2, 'a maker and the total');
		supId = m.made_by;
		const made = page.locator(`[data-test=cell-made-${m.made_by}]`);
		const n = Number((await made.innerText()).replace(/,/g, ''));
		assert.ok(n >= 1);
		await shot(page, 'reports-09b-commitments');
		await made.click();
		await page.waitForURL((u) => u.pathname === '/commitments' && u.searchParams.get('agent') === String(m.made_by) && !!u.searchParams.get('due_from'));
		await page.waitForSelector('[data-test=cm-due-range]');
		await page.waitForSelector(`[data-test=cm-table] .el-table__row:has-text("${content}")`);
		assert.equal(await page.locator('[data-test=cm-table] .el-table__row').count(), Math.min(n, 20), 'the list holds what the report counted');
	});

	it('agent workload: bars per agent; a number opens the records behind it', async () => {
		await page.goto('/reports/workload');
		assert.ok((await drawn(page, 'agent-workload', 'workload')) >= 2, 'an agent and the total');
		await shot(page, 'reports-09c-workload');
		const me = supId;
		const due = page.locator(`[data-test=cell-commitments_due-${me}]`);
		const n = Number((await due.innerText()).replace(/,/g, ''));
		assert.ok(n >= 1, 'the promise made above');
		await due.click();
		await page.waitForURL((u) => u.pathname === '/commitments' && u.searchParams.get('tab') === 'all' && u.searchParams.get('agent') === String(me));
		await page.waitForSelector('[data-test=cm-table] .el-table__row:has-text("报表测试承诺")');
		assert.equal(await page.locator('[data-test=cm-table] .el-table__row').count(), Math.min(n, 20));
		const csv = await (async () => {
			await page.goBack();
			await page.waitForSelector('[data-test=report-agent-workload][aria-busy=false]');
			return download(page, 'export-csv');
		})();
		assert.match(csv.name, /^kefu-agent-workload-\d{4}-\d{2}-\d{2}\.csv$/);
		assert.match(csv.bytes.subarray(3).toString('utf8'), /^坐席,分配工单,关闭工单,当前未结,/);
		// the cases assigned to the most loaded agent in the period (the complaints made above)
		const assigned = page.locator('[data-test^=cell-assigned-]').first();
		const k = Number((await assigned.innerText()).replace(/,/g, ''));
		await assigned.click();
		await page.waitForURL((u) => u.pathname === '/cases' && !!u.searchParams.get('assignee') && !!u.searchParams.get('created_from'));
		await page.waitForSelector('[data-test=filter-created]');
		await page.waitForSelector('[data-test=case-row]');
		assert.equal(await page.locator('[data-test=case-row]').count(), Math.min(k, 50), 'the inbox lists what the report counted');
	});

	it('reads the segmentation rules without editing them, and recomputes; the run is listed', async () => {
		await page.click('[data-test=nav-segments]');
		await page.waitForSelector('[data-test=segment-rules]');
		assert.ok(await page.locator('[data-test=seg-top_pct] input').isDisabled(), 'a supervisor cannot edit the rules');
		await page.waitForSelector('[data-test=runs-table] .el-table__row');
		const before = Number(await page.locator('[data-test=runs-table] .el-table__row').first().locator('td').first().innerText());
		await page.click('[data-test=recompute]');
		await page.waitForFunction((n) => Number(document.querySelector('[data-test=runs-table] .el-table__row td')?.innerText) > n, before);
		assert.match(await page.locator('[data-test=runs-table] .el-table__row').first().innerText(), /完成[\s\S]*王主管/);
		await shot(page, 'reports-10-segments-supervisor');
	});

	it('confirms a suggested key account, with a note', async () => {
		// Where our customer stands in the pending list (best revenue first, 20 a page here).
		let pos = -1;
		for (let cursor = '', seen = 0, pages = 0; pos < 0 && pages < 50; pages++) {
			const r = await sup('GET', `/api/segments/key-suggestions?status=pending&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			const i = r.items.findIndex((x) => x.customer_id === customerId);
			if (i >= 0) pos = seen + i;
			seen += r.items.length;
			if (!r.next_cursor) break;
			cursor = r.next_cursor;
		}
		assert.ok(pos >= 0, 'our customer is suggested as a key account');
		const rows = page.locator('[data-test=keys-table] .el-table__body-wrapper .el-table__row');
		await rows.first().waitFor();
		for (let k = 0; k < Math.floor(pos / 20); k++) {
			const n = await rows.count();
			await page.click('[data-test=keys-more]');
			await page.waitForFunction((m) => document.querySelectorAll('[data-test=keys-table] .el-table__body-wrapper .el-table__row').length > m, n);
		}
		await page.click(`[data-test=key-confirm-${customerId}]`);
		await page.fill('.el-message-box input', '长期合作，浏览器测试确认');
		await shot(page, 'reports-10b-key-confirm');
		await page.click('.el-message-box__btns .el-button--primary');
		await page.waitForSelector(`[data-test=key-confirm-${customerId}]`, { state: 'detached' });
		const seg = await sup('GET', `/api/customers/${customerId}/segment`);
		assert.equal(seg.value_class, 'key');
		assert.equal(seg.key.decision, 'confirmed');
		await page.click('[data-test=key-status] label:has-text("已确认")');
		await page.waitForSelector('[data-test=keys-table] .el-table__row:has-text("长期合作，浏览器测试确认")');
	});
});

describe('an administrator changes a threshold', { skip: !ADMIN_PASSWORD && 'KEFU_ADMIN_PASSWORD is not set' }, () => {
	let ctx;
	let page;
	before(async () => {
		ctx = await newContext(browser);
		page = await ctx.newPage();
		watched.push(watchPage(page));
		await login(page, 'admin', ADMIN_PASSWORD);
	});
	after(() => ctx?.close());

	it('sees a mistake under its field, fixes it, saves, recomputes', async () => {
		await page.goto('/settings/segments');
		await page.waitForSelector('[data-test=segment-rules]');
		const mid = page.locator('[data-test=seg-mid_pct] input');
		await mid.fill('99');
		await mid.press('Tab');
		await page.click('[data-test=save-rules]');
		const err = page.locator('[data-test=seg-mid_pct] .el-form-item__error');
		await err.waitFor();
		assert.match(await err.innerText(), /不能超过 100%/);
		await shot(page, 'reports-11-segments-error');
		await mid.fill(String(originalRules.mid_pct));
		const top = page.locator('[data-test=seg-top_pct] input');
		const want = originalRules.top_pct === 2 ? 3 : 2;
		await top.fill(String(want));
		await top.press('Tab');
		await page.click('[data-test=save-rules]');
		await page.waitForSelector('.el-message--success');
		assert.equal((await adm('GET', '/api/segments/settings')).settings.top_pct, want);
		const runs = (await adm('GET', '/api/segments/runs')).items;
		await page.click('[data-test=recompute]');
		await page.waitForFunction((n) => Number(document.querySelector('[data-test=runs-table] .el-table__row td')?.innerText) > n, runs[0]?.id || 0);
		const last = (await adm('GET', '/api/segments/runs')).items[0];
		assert.equal(last.source, 'api');
		assert.equal(last.status, 'done');
		await shot(page, 'reports-12-segments-admin');
	});
});

describe('the customer page', () => {
	let ctx;
	let page;
	before(async () => {
		ctx = await newContext(browser);
		page = await ctx.newPage();
		watched.push(watchPage(page));
		await login(page, 'zhuguan');
	});
	after(() => ctx?.close());

	it('shows the value card and applies the suggested lifecycle', async () => {
		await page.goto(`/customers/${customerId}`);
		await page.waitForSelector('[data-test=segment-card] [data-test=segment-rfm]');
		assert.match(await page.locator('[data-test=segment-tier]').innerText(), /顶层|高层|中层/);
		assert.match(await page.locator('[data-test=segment-revenue]').innerText(), /¥600,000\.00/);
		// Its place in the ranking, as the ranking report counts it.
		let mine;
		for (let cursor = '', pages = 0; !mine && pages < 100; pages++) {
			const r = await sup('GET', `/api/reports/pareto/customers?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
			mine = r.items.find((x) => x.customer_id === customerId);
			if (!r.next_cursor) break;
			cursor = encodeURIComponent(r.next_cursor);
		}
		assert.ok(mine, 'our customer is in the ranking');
		assert.match(await page.locator('[data-test=segment-rank]').innerText(), new RegExp(`^第 ${mine.rank.toLocaleString('en-US')} 名 / [\\d,]+（前 [\\d.]+%）$`));
		await page.waitForSelector('[data-test=segment-suggestion]');
		await page.locator('[data-test=segment-card]').scrollIntoViewIfNeeded();
		await shot(page, 'reports-13-customer-card');
		await page.click('[data-test=segment-apply]');
		await page.waitForSelector('[data-test=segment-suggestion]', { state: 'detached' });
		const seg = await sup('GET', `/api/customers/${customerId}/segment`);
		assert.equal(seg.lifecycle, seg.lifecycle_suggested);
		assert.equal(seg.lifecycle_manual, false);
		assert.equal(await page.locator('[data-test=view-lifecycle]').innerText(), await page.locator('[data-test=segment-lifecycle] .el-tag').innerText());
	});
});

after(() => {
	const bad = watched.flat().filter((p) => !/status of 4\d\d/.test(p));
	assert.deepEqual(bad, [], 'no page errors');
});
