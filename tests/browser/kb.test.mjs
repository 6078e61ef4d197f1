// kb.test.mjs - the knowledge base, the global search and the service-language checker in
// Debian's Chromium against kefu serve: a supervisor writes a standard answer in Chinese,
// submits it and approves it; an agent finds it from the header search by a Chinese word
// (the drop-down, then the full results page), opens it, copies it, marks it used and rates
// it; an admin adds a forbidden phrase to the lexicon and a supervisor sees it flagged in the
// "check a text" box. Creates all its data through the UI; screenshots in out/kb-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, newContext, pickOption, shot, watchPage } from './lib.mjs';

/** The API as the page's user (its session cookie and CSRF token). */
async function call(page, method, path, body) {
	const tok = await page.evaluate(() => sessionStorage.getItem('kefu.csrf'));
	const r = await page.request.fetch(`${BASE}${path}`, { method, headers: { 'X-CSRF-Token': tok || '' }, data: body });
	assert.ok(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`);
	return r.status() === 204 ? null : r.json();
}

// A word no demo record contains: four random characters of the heavenly stems and earthly
// branches (天干地支), searched as a Chinese phrase.
const STEMS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
const pick = () => STEMS[Math.floor(Math.random() * STEMS.length)];
const WORD = `${pick()}${pick()}${pick()}${pick()}`;
const TITLE = `${WORD}套餐通话断线怎么处理`;
const AGENT = 'agent02';
let agentName = '';
let agentId = 0;
const ANSWER = `非常抱歉给您带来不便。${WORD}套餐的通话断线多与所在位置的信号有关，我们会为您登记并安排工程师上门检测，24小时内回复您。感谢您的耐心！`;
// A house rule: a phrase no built-in rule knows.
const PHRASE = `${pick()}${pick()}暂时无解`;

let browser;
const problems = [];
let caseOfWord = 0; // the agent's case about WORD (its suggestions include the answer)
let answerPath = '';

async function open(user, password) {
	const ctx = await newContext(browser);
	await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
	const page = await ctx.newPage();
	problems.push(...watchPage(page));
	await login(page, user, password);
	return page;
}

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
	if (problems.length) console.log(problems.join('\n'));
});

describe('a supervisor', () => {
	let page;
	before(async () => {
		page = await open('zhuguan');
	});

	it('writes a standard answer in Chinese and submits it for review', async () => {
		await page.click('[data-test=nav-kb]');
		await page.waitForURL('**/kb');
		await page.waitForSelector('[data-test=kb-categories] [data-test=kb-cat-complaints]');
		await page.click('[data-test=kb-new]');
		await page.waitForURL('**/kb/new');
		// Saving an empty form: the errors show under the fields.
		await page.click('[data-test=kb-save-submit]');
		await page.waitForSelector('.el-form-item__error');
		assert.match(await page.locator('[data-test=kb-form]').innerText(), /请选择分类[\s\S]*请填写标题[\s\S]*请填写标准回答/);
		await pickOption(page, 'kb-field-category', '投诉处理');
		await page.fill('[data-test=kb-field-title]', TITLE);
		await page.fill('[data-test=kb-field-questions]', `电话老是断线\n一接电话就断线怎么办\n${WORD}信号不好`);
		await page.fill('[data-test=kb-field-answer]', ANSWER);
		const tag = page.locator('[data-test=kb-field-tags] input');
		await tag.fill('断线');
		await tag.press('Enter');
		await page.click('[data-test=kb-lint]');
		await page.waitForSelector('[data-test=lint-ok]');
		await shot(page, 'kb-01-editor');
		await page.click('[data-test=kb-save-submit]');
		await page.waitForURL(/\/kb\/\d+$/);
		answerPath = new URL(page.url()).pathname;
		await page.waitForSelector('[data-test=kb-pending]');
		assert.match(await page.locator('[data-test=kb-status]').innerText(), /草稿/);
		assert.match(await page.locator('[data-test=kb-pending]').innerText(), /第 1 版等待审核/);
	});

	it('finds it waiting for review from the workbench', async () => {
		await page.click('[data-test=nav-workbench]');
		const due = page.locator('[data-test=wb-kb-count]');
		await due.waitFor();
		assert.match(await due.innerText(), /待审核 [1-9]\d* 条/);
		await due.click();
		await page.waitForURL((u) => u.pathname === '/kb' && u.searchParams.get('status') === 'pending');
		await page.click(`[data-test=kb-list] a[href="${answerPath}"]`);
		await page.waitForSelector('[data-test=kb-approve]');
	});

	it('approves it: published, in the list of its category', async () => {
		await page.click('[data-test=kb-approve]');
		await page.waitForSelector('[data-test=kb-published]');
		assert.match(await page.locator('[data-test=kb-status]').innerText(), /已发布/);
		assert.equal(await page.locator('[data-test=kb-pending]').count(), 0);
		assert.equal((await page.locator('[data-test=kb-answer-text]').innerText()).trim(), ANSWER);
		assert.match(await page.locator('[data-test=kb-versions]').innerText(), /第 1 版[\s\S]*已发布/);
		assert.match(await page.locator('[data-test=kb-published] .tags').innerText(), /断线/);
		await shot(page, 'kb-02-published');
		await page.goto('/kb?category=2');
		await page.waitForSelector(`[data-test=kb-list] a[href="${answerPath}"]`);
	});

	it('edits it (version 2, shown as a difference) and rejects the edit with a reason', async () => {
		await page.goto(answerPath);
		await page.click('[data-test=kb-edit]');
		await page.waitForURL(`**${answerPath}/edit`);
		await page.waitForFunction(() => document.querySelector('[data-test=kb-field-answer]')?.value.length > 0);
		assert.equal(await page.inputValue('[data-test=kb-field-answer]'), ANSWER);
		await page.fill('[data-test=kb-field-answer]', ANSWER.replace('24小时内', '12小时内电话'));
		await page.fill('[data-test=kb-field-note]', '缩短回复时限');
		await page.click('[data-test=kb-save-submit]');
		await page.waitForURL(`**${answerPath}`);
		const pending = page.locator('[data-test=kb-pending]');
		await pending.waitFor();
		assert.match(await pending.innerText(), /第 2 版等待审核[\s\S]*缩短回复时限/);
		assert.match((await pending.locator('ins').allInnerTexts()).join(''), /电话/);
		assert.match((await pending.locator('del').allInnerTexts()).join(''), /4/);
		await shot(page, 'kb-02b-pending-diff');
		await page.click('[data-test=kb-reject]');
		await page.click('[data-test=kb-reject-confirm]');
		await page.locator('.el-dialog .el-form-item__error', { hasText: '请填写退回原因' }).waitFor();
		await page.fill('[data-test=kb-reject-input]', '时限需与售后部门确认后再改');
		await page.click('[data-test=kb-reject-confirm]');
		await page.locator('[data-test=kb-reject-reason]', { hasText: '时限需与售后部门确认后再改' }).waitFor();
		// the versions are read again after the answer (the reason) came back
		await page.locator('[data-test=kb-version-2]', { hasText: '已退回' }).waitFor({ timeout: 5000 });
		// The published text is still version 1.
		assert.equal((await page.locator('[data-test=kb-answer-text]').innerText()).trim(), ANSWER);
	});
});

describe('an agent', () => {
	let page;
	before(async () => {
		page = await open(AGENT);
		const me = await call(page, 'GET', '/api/me');
		agentName = me.display_name;
		agentId = me.id;
	});

	it('has a case about the word, and replies with negative phrasing (for the QA report)', async () => {
		const phone = `199${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
		const c = await call(page, 'POST', '/api/cases', {
			type: 'complaint',
			channel: 'phone',
			subject: `${WORD}套餐一接电话就断线`,
			description: '客户说手机这两天一接电话就断线',
			customer: { phone, name: `测试客户${phone.slice(-4)}` },
			assignee_id: agentId, // the agent's own case: visible to the agent whatever the routing
		});
		await call(page, 'POST', `/api/cases/${c.id}/events`, { kind: 'reply', body: '您好，我不能帮您退款，那是你手机的问题。' });
		// The case's suggestions include the new answer.
		const s = await call(page, 'GET', `/api/cases/${c.id}/suggestions`);
		assert.ok(s.items.some((x) => `/kb/${x.id}` === answerPath), 'the answer is not among the case suggestions');
		caseOfWord = c.id;
	});

	it('finds the answer from the header search by a Chinese word ("/" focuses the box)', async () => {
		await page.locator('body').press('/');
		const box = page.locator('[data-test=global-search-input]');
		assert.equal(await box.evaluate((el) => el === document.activeElement), true, '"/" did not focus the search box');
		await box.pressSequentially(WORD, { delay: 30 });
		const item = page.locator(`[data-test=global-search-group-kb] a[href="${answerPath}"]`);
		await item.waitFor();
		assert.equal(await item.locator('mark').first().innerText(), WORD);
		await shot(page, 'kb-03-header-search');
		await box.press('Enter');
		await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === WORD);
		// One tab per kind with its count (the agent's new case joins the cases once the index
		// has caught up with it: after a bulk load of demo data that takes a while).
		assert.match(await page.locator('[data-test=search-tab-kb]').innerText(), /知识库\s*1/);
		assert.match(await page.locator('[data-test=search-tab-customer]').innerText(), /客户\s*0/);
		await page.click('[data-test=search-tab-kb]');
		await page.waitForURL((u) => u.searchParams.get('type') === 'kb');
		const hit = page.locator(`[data-test=search-results] a[href="${answerPath}"]`);
		await hit.waitFor();
		assert.equal(await hit.locator('mark').first().innerText(), WORD);
		await shot(page, 'kb-04-search-page');
		await hit.click();
		await page.waitForURL(`**${answerPath}`);
		await page.waitForSelector('[data-test=kb-published]');
	});

	it('copies the answer, marks it used and rates it', async () => {
		await page.click('[data-test=kb-copy]');
		await page.waitForSelector('.el-message--success');
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ANSWER);
		await page.evaluate(() => navigator.clipboard.writeText(''));
		assert.equal((await page.locator('[data-test=kb-usage]').innerText()).trim(), '0');
		await page.click('[data-test=kb-use]');
		await page.waitForFunction(() => document.querySelector('[data-test=kb-usage]')?.textContent.trim() === '1');
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ANSWER);
		// Four stars.
		await page.locator('[data-test=kb-rate] .el-rate__item').nth(3).click();
		await page.waitForFunction(() => /4\.0 分（1 人评）/.test(document.querySelector('[data-test=kb-rating]')?.textContent || ''));
		assert.match(await page.locator('[data-test=kb-rate]').innerText(), /我的评分/);
		await shot(page, 'kb-05-used-rated');
		// Counted on the server: a reload shows the same.
		await page.reload();
		await page.waitForSelector('[data-test=kb-published]');
		assert.equal((await page.locator('[data-test=kb-usage]').innerText()).trim(), '1');
		assert.match(await page.locator('[data-test=kb-rating]').innerText(), /4\.0 分（1 人评）/);
	});

	it('puts the answer into the reply box of a case with one click ("used" on the suggestion)', async () => {
		const answerId = answerPath.split('/').pop();
		await page.goto(`/cases/${caseOfWord}`);
		await page.click(`[data-test=case-kb-use-${answerId}]`);
		const box = page.locator('[data-test=reply-text] textarea, textarea[data-test=reply-text]').first();
		await page.waitForFunction(() => (document.querySelector('[data-test=reply-text] textarea, textarea[data-test=reply-text]')?.value || '').trim().length > 0);
		assert.ok((await box.inputValue()).includes(WORD), 'the reply box holds the standard answer');
	});

	it('has no service-language settings (supervisors only)', async () => {
		assert.equal(await page.locator('[data-test=nav-service-language]').count(), 0);
		await page.goto('/settings/service-language');
		await page.waitForURL((u) => u.pathname === '/');
	});
});

describe('the service-language lexicon', () => {
	it('an admin adds a forbidden phrase with its positive form', async () => {
		const page = await open('admin', process.env.KEFU_ADMIN_PASSWORD);
		await page.click('[data-test=nav-service-language]');
		await page.click('[data-test=lint-tab-phrases]');
		await page.waitForSelector('[data-test=lint-phrase-form]');
		// Without the suggestion a house rule is refused: the error shows under that field.
		await page.fill('[data-test=lint-f-phrase]', PHRASE);
		await page.click('[data-test=lint-f-save]');
		await page.waitForSelector('[data-test=lint-phrase-form] .el-form-item__error');
		assert.match(await page.locator('[data-test=lint-phrase-form] .el-form-item.is-error').innerText(), /建议说法/);
		await page.fill('[data-test=lint-f-suggestion]', '我来帮您联系负责的同事，处理好后回复您');
		await page.click('[data-test=lint-f-save]');
		await page.locator('[data-test=lint-phrases]', { hasText: PHRASE }).waitFor();
		await shot(page, 'kb-06-lexicon');

		// Categories are the admin's too: a bad code is reported under the code field.
		await page.click('[data-test=nav-kb]');
		await page.click('[data-test=kb-cat-new]');
		const code = `t_${WORD.codePointAt(0).toString(16)}${Date.now() % 100000}`;
		await page.fill('[data-test=kb-cat-name-zh]', `测试分类${WORD}`);
		await page.fill('[data-test=kb-cat-name-en]', 'Test category');
		await page.fill('[data-test=kb-cat-code]', 'Bad Code');
		await page.click('[data-test=kb-cat-save]');
		await page.locator('[data-test=kb-cat-form] .el-form-item.is-error', { hasText: '代码' }).waitFor();
		await page.fill('[data-test=kb-cat-code]', code);
		await page.click('[data-test=kb-cat-save]');
		await page.locator(`[data-test=kb-cat-${code}]`, { hasText: `测试分类${WORD}` }).waitFor();
		await page.context().close();
	});

	it('a supervisor sees it flagged in the "check a text" box, with the built-in rules', async () => {
		const page = await open('zhuguan');
		await page.click('[data-test=nav-service-language]');
		await page.waitForURL('**/settings/service-language');
		await page.fill('[data-test=lint-input]', `您好，${PHRASE}，我不能帮您退款。`);
		await page.click('[data-test=lint-check]');
		await page.waitForSelector('[data-test=lint-result] [data-test=lint-text]');
		assert.equal(await page.locator('[data-test=lint-text] mark[data-rule=custom]').innerText(), PHRASE);
		assert.equal(await page.locator('[data-test=lint-text] mark[data-rule=cannot]').innerText(), '我不能');
		assert.match(await page.locator('[data-test=lint-finding-custom]').innerText(), /我来帮您联系负责的同事/);
		await shot(page, 'kb-07-check-text');
		// A harmless text stays clean.
		await page.fill('[data-test=lint-input]', '您好，我们不会再让您久等，马上为您处理。');
		await page.click('[data-test=lint-check]');
		await page.waitForSelector('[data-test=lint-ok]');
		await page.click('[data-test=lint-tab-rules]');
		await page.waitForSelector('[data-test=lint-rule-custom]');
		assert.match(await page.locator('[data-test=lint-rule-custom]').innerText(), new RegExp(PHRASE));
		await shot(page, 'kb-08-rules');
		// The QA report: the agent's reply counted under the agent, per rule.
		await page.click('[data-test=lint-tab-report]');
		const row = page.locator('[data-test=lint-report] tbody tr', { hasText: agentName });
		await row.waitFor();
		assert.match(await row.innerText(), /说“我不能”/);
		await shot(page, 'kb-09-report');
	});

	it('no page error on the way', () => {
		assert.deepEqual(problems, []);
	});
});
