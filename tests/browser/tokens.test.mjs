// tokens.test.mjs - 设置 · 令牌与订阅: an agent makes the calendar feed link (it answers an
// iCalendar document without any session) and an API token (it works as a Bearer token, and
// stops working once revoked); each secret is shown once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, newContext, rand, shot, watchPage } from './lib.mjs';

let browser;
let page;
const problems = [];

before(async () => {
	browser = await launch();
	const ctx = await newContext(browser);
	page = await ctx.newPage();
	problems.push(...watchPage(page));
	await login(page, 'agent03');
});
after(async () => {
	await browser?.close();
	if (problems.length) console.log(problems.join('\n'));
});

describe('an agent', () => {
	it('subscribes to the calendar feed by its secret link', async () => {
		await page.click('[data-test=nav-tokens]');
		await page.click('[data-test=calendar-make]');
		const link = (await page.locator('[data-test=token-secret] code').innerText()).trim();
		assert.match(link, /^http:\/\/.+\/api\/calendar\/mine\.ics\?token=/);
		const r = await fetch(link.replace(/^https?:\/\/[^/]+/, BASE));
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type') || '', /text\/calendar/);
		assert.match(await r.text(), /^BEGIN:VCALENDAR\r\n/);
		await page.waitForSelector('[data-test=calendar-feed] :text("已于")');
	});

	it('makes an API token, uses it, revokes it', async () => {
		const name = `脚本${rand(4)}`;
		await page.fill('[data-test=token-name] input', name);
		await page.click('[data-test=token-make]');
		// The secret box still shows the calendar link of the step before: wait for the API token.
		await page.waitForFunction(() => /^kf_/.test(document.querySelector('[data-test=token-secret] code')?.textContent.trim() || ''));
		const tok = (await page.locator('[data-test=token-secret] code').innerText()).trim();
		assert.ok(tok.length >= 32);
		const me = await fetch(`${BASE}/api/me`, { headers: { Authorization: `Bearer ${tok}` } });
		assert.equal(me.status, 200);
		assert.equal((await me.json()).username, 'agent03');
		await page.waitForSelector(`[data-test=tokens-table] .el-table__row:has-text("${name}")`);
		await shot(page, 'tokens');
		await page.locator(`[data-test=tokens-table] .el-table__row:has-text("${name}") button`).click();
		await page.click('.el-message-box .el-button--primary');
		await page.waitForSelector(`[data-test=tokens-table] .el-table__row:has-text("${name}")`, { state: 'detached' });
		assert.equal((await fetch(`${BASE}/api/me`, { headers: { Authorization: `Bearer ${tok}` } })).status, 401);
	});
});
