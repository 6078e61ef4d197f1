// satisfaction.test.mjs - 满意度 in Debian's Chromium against kefu serve: a case of a new
// customer (tagged for this run) is closed, the survey job invites the customer, who answers
// with a low score through the portal API; then a supervisor opens the dashboard and sees the
// answer counted (the KPI tiles against the API, the trend drawn on a canvas, the low score in
// the answers list), downloads the CSV export (BOM and header checked), edits a template
// question (an empty Chinese text refused under that question's field first) and creates a
// campaign for the run's tag, whose preview counts exactly that customer; adds an opinion
// card, and an expectation sheet on the customer page whose −2 gap raises the alert. It creates all its
// data, so it works on any number of demo customers and at any hour.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, PASSWORD, launch, login, newContext, pickOption, rand, shot, watchPage } from './lib.mjs';

const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD;
const TAG = `sat${rand(5)}`;
let browser;
let ctx;
let page;
const problems = [];
let sup;
let adm;
let customerId = 0;
let templateId = 0;

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

before(async () => {
	browser = await launch();
	adm = await apiSession('admin', ADMIN_PASSWORD);
	sup = await apiSession('zhuguan', PASSWORD);
	// A customer of this run only (a fresh one: the N-day limit of automatic surveys is per customer).
	for (let attempt = 0; !customerId; attempt++) {
		const phone = `197${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
		try {
			customerId = (await adm('POST', '/api/customers', { name: `满意度测试客户${rand(4)}`, phone, tags: [TAG] })).id;
		} catch (e) {
			if (attempt > 4) throw e;
		}
	}
	await adm('PATCH', '/api/survey-rules/case_closed', { enabled: true });
	const c = await adm('POST', '/api/cases', { customer_id: customerId, type: 'inquiry', subject: `满意度测试工单${TAG}`, channel: 'phone' });
	await adm('POST', `/api/cases/${c.id}/transitions`, { action: 'resolve', resolution: '已处理' });
	await adm('POST', `/api/cases/${c.id}/transitions`, { action: 'close' });
	await adm('POST', '/api/jobs/run', {});
	const inv = await adm('GET', `/api/survey-invitations?case_id=${c.id}`);
	const url = inv.items[0]?.url;
	assert.ok(url, `an invitation for the closed case: ${JSON.stringify(inv.items)}`);
	const token = url.split('/').pop();
	const r = await fetch(`${BASE}/api/portal/surveys/${token}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ answers: { csat: 1, nps: 2, effort: 6, comment: `太慢了${TAG}` } }) });
	assert.equal(r.status, 201, `the survey answered: ${await r.text()}`);
	// A template of this run, unanswered, for the editor.
	templateId = (
		await sup('POST', '/api/survey-templates', {
			name: `测试问卷${TAG}`,
			questions: [
				{ key: 'csat', kind: 'csat', text_zh: '满意吗？', required: true },
				{ key: 'why', kind: 'single', text_zh: '主要原因', options: [{ key: 'speed', zh: '速度' }, { key: 'price', zh: '价格' }] },
			],
		})
	).id;
	ctx = await newContext(browser, { acceptDownloads: true });
	page = await ctx.newPage();
	problems.push(...watchPage(page));
	await login(page, 'zhuguan');
});

after(async () => {
	if (templateId) await sup('DELETE', `/api/survey-templates/${templateId}`).catch(() => {});
	await browser?.close();
	if (problems.length) console.log(problems.join('\n'));
});

describe('a supervisor reads and runs satisfaction', () => {
	it('opens 满意度 from the menu: the low answer is counted in the tiles and drawn', async () => {
		await page.click('[data-test=nav-satisfaction]');
		await page.waitForURL(/\/satisfaction$/);
		await page.waitForSelector('[data-test=report-satisfaction][aria-busy=false]');
		await page.waitForSelector('[data-test=chart-sat-trend] canvas');
		const box = await page.locator('[data-test=chart-sat-trend] canvas').first().boundingBox();
		assert.ok(box && box.width > 200 && box.height > 150, 'the trend chart has a size');
		await page.waitForSelector('[data-test=chart-sat-nps] canvas');
		// The tiles say what the API says for the same (default) period, our answer included.
		const api = await sup('GET', '/api/reports/satisfaction?by=period');
		assert.ok(api.total.responses >= 1 && api.total.low >= 1, JSON.stringify(api.total));
		const tile = await page.locator('[data-test=kpi-responses]').innerText();
		assert.match(tile, new RegExp(`^[\\s\\S]*\\b${api.total.responses}\\b[\\s\\S]*${api.total.low}`));
		assert.match(await page.locator('[data-test=kpi-csat]').innerText(), /\d+\.\d%/);
		await page.waitForSelector('[data-test=sat-table] .el-table__row');
		await shot(page, 'satisfaction-01-dashboard');
	});

	it('groups by channel through the URL and downloads the CSV', async () => {
		await page.click('[data-test=sat-by] .el-radio-button:has-text("渠道")');
		await page.waitForURL(/by=channel/);
		await page.waitForSelector('[data-test=report-satisfaction][aria-busy=false]');
		await page.waitForSelector('[data-test=chart-sat-group] canvas');
		// The channel is named, not shown as its code.
		await page.waitForSelector('[data-test=sat-table] .el-table__row:has-text("电话")');
		const [d] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')]);
		assert.match(d.suggestedFilename(), /\.csv$/);
		const bytes = readFileSync(await d.path());
		assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM');
		const header = bytes.subarray(3).toString('utf8').split(/\r?\n/)[0];
		assert.match(header, /CSAT/);
		assert.match(header, /NPS/);
		await shot(page, 'satisfaction-02-by-channel');
	});

	it('lists the low answer with its answers', async () => {
		await page.goto('/satisfaction/responses?low=1');
		const row = page.locator('[data-test=resp-list] .el-table__row', { hasText: `太慢了${TAG}` });
		await row.waitFor();
		await row.locator('.el-table__expand-icon').click();
		await page.waitForSelector(`[data-test=resp-answers]:has-text("太慢了${TAG}")`);
		await shot(page, 'satisfaction-03-responses');
	});

	it('edits a template question: an empty Chinese text is refused under that question first', async () => {
		await page.goto('/satisfaction/surveys');
		await page.locator('[data-test=tpl-list] .el-table__row', { hasText: `测试问卷${TAG}` }).click();
		await page.waitForSelector('[data-test=tpl-editor]');
		await page.fill('[data-test=q-1-text_zh]', '');
		await page.click('[data-test=tpl-save]');
		const err = page.locator('[data-test=q-1] .el-form-item__error');
		await err.waitFor();
		assert.match(await err.innerText(), /中文/);
		await shot(page, 'satisfaction-04-template-refused');
		await page.fill('[data-test=q-1-text_zh]', `您最在意什么？${TAG}`);
		await page.click('[data-test=tpl-save]');
		await page.waitForSelector('[data-test=tpl-editor]', { state: 'detached' });
		const tpl = await sup('GET', `/api/survey-templates/${templateId}`);
		assert.equal(tpl.questions[1].text_zh, `您最在意什么？${TAG}`);
	});

	it("shows the results of the template answered, the run's comment among the latest words", async () => {
		const inv = await sup('GET', `/api/survey-responses?low=1&limit=50`);
		const mine = inv.items.find((x) => x.comment === `太慢了${TAG}`);
		assert.ok(mine, 'our response is listed');
		const tpl = await sup('GET', `/api/survey-templates/${mine.template_id}`);
		await page.locator('[data-test=tpl-list] .el-table__row', { hasText: tpl.name }).locator('[data-test=tpl-results-open]').click();
		const res = page.locator('[data-test=tpl-results]');
		await res.locator(`text=太慢了${TAG}`).waitFor();
		await res.locator('[data-test=chart-result-csat] canvas').waitFor();
		await shot(page, 'satisfaction-04b-template-results');
		await page.keyboard.press('Escape');
	});

	it('creates a campaign for the tag and previews exactly its customer', async () => {
		await page.goto('/satisfaction/campaigns');
		await page.click('[data-test=camp-new]');
		await page.fill('[data-test=camp-name]', `测试活动${TAG}`);
		await page.fill('[data-test=camp-dialog] input[placeholder="标签"]', TAG);
		await page.click('[data-test=camp-save]');
		const count = page.locator('[data-test=camp-count]');
		await count.waitFor();
		assert.match(await count.innerText(), /共 1 位客户/);
		await page.waitForSelector('[data-test=camp-recipients] .el-table__row');
		assert.equal(await page.locator('[data-test=camp-recipients] .el-table__row').count(), 1);
		await shot(page, 'satisfaction-05-campaign-preview');
	});

	it('adds an opinion card and shows its portal address; the service page is read-only to a supervisor', async () => {
		await page.goto('/satisfaction/portal');
		await page.fill('[data-test=src-name]', `测试门店${TAG}`);
		await page.fill('[data-test=src-slug]', `${TAG}-store`);
		await page.click('[data-test=src-add]');
		await page.waitForSelector(`[data-test=opinion-sources] .el-table__row:has-text("/portal/card/${TAG}-store")`);
		assert.ok(await page.locator('[data-test=set-hotline]').isDisabled(), 'only an admin edits the service page');
		await shot(page, 'satisfaction-06-portal');
	});

	it('records an expectation sheet on the customer page, then a perceived level with a large gap', async () => {
		await page.goto(`/customers/${customerId}`);
		await page.click('[data-test=exp-new]');
		await page.fill('[data-test=exp-title]', `年度服务${TAG}`);
		await page.fill('[data-test=exp-attr-0]', '响应速度');
		await page.fill('[data-test=exp-attr-1]', '价格');
		await page.click('[data-test=exp-save]');
		const card = page.locator('[data-test=expectation-card]');
		await card.locator(`text=年度服务${TAG}`).waitFor();
		await card.locator('[data-test=exp-record]').first().click();
		await pickOption(page, 'exp-perceived-0', '2');
		await card.locator('[data-test=exp-save-perceived]').click();
		await card.locator('.el-tag', { hasText: '差距过大' }).waitFor();
		assert.match(await card.innerText(), /−2/);
		await shot(page, 'satisfaction-07-expectations');
	});

	it('had no page errors', () => {
		assert.deepEqual(problems, []);
	});
});
