// lib.mjs - shared by the browser tests: Debian's Chromium through playwright-core (never a
// browser download), the server under test, screenshots and metrics.
//
// Environment (set by run.sh):
//   KEFU_URL              the UI and API, e.g. http://127.0.0.1:41234
//   KEFU_DEMO_PASSWORD    password of zhuguan and agent01..agent08
//   KEFU_CUSTOMERS        how many demo customers the database holds
//   KEFU_CHROMIUM         the browser (default /usr/bin/chromium)
//   KEFU_BROWSER_OUT      where screenshots and metrics.jsonl go (default tests/browser/out)
import { createRequire } from 'node:module';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
// playwright-core is a devDependency of web/ (one lockfile for everything npm).
const require = createRequire(path.join(ROOT, 'web', 'package.json'));
export const { chromium } = require('playwright-core');

export const BASE = process.env.KEFU_URL || 'http://127.0.0.1:8080';
export const PASSWORD = process.env.KEFU_DEMO_PASSWORD || 'Agent-pass-1';
export const CUSTOMERS = Number(process.env.KEFU_CUSTOMERS || 0);
export const OUT = path.resolve(process.env.KEFU_BROWSER_OUT || path.join(HERE, 'out'));
mkdirSync(OUT, { recursive: true });

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--no-first-run',
	'--disable-sync',
	'--disable-quic',
];

export function launch() {
	return chromium.launch({
		executablePath: process.env.KEFU_CHROMIUM || '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
		headless: true,
	});
}

/** A context like an agent's desk: 1440×900, Chinese, no motion (ECharts animation off). */
export function newContext(browser, opts = {}) {
	return browser.newContext({
		viewport: { width: 1440, height: 900 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		reducedMotion: 'reduce',
		baseURL: BASE,
		...opts,
	});
}

/** Fails the test on uncaught page errors; collects console errors for the report. */
export function watchPage(page) {
	const problems = [];
	page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' && !/status of 40[19]|status of 42[29]/.test(m.text())) problems.push(`console: ${m.text()}`);
	});
	return problems;
}

export async function shot(page, name) {
	// Wait for loads in flight (the list marks itself aria-busy) and the last frame.
	await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'), null, { timeout: 5000 }).catch(() => {});
	await page.waitForTimeout(150);
	await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

export function metric(obj) {
	const line = JSON.stringify({ ...obj, at: new Date().toISOString() });
	appendFileSync(path.join(OUT, 'metrics.jsonl'), `${line}\n`);
	console.log(line);
}

export async function login(page, username, password = PASSWORD) {
	if (!page.url().includes('/login')) await page.goto('/login');
	await page.fill('#kf-user', username);
	await page.fill('#kf-pass', password);
	await page.click('[data-test=login-submit]');
	await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Picks an option of an Element Plus select found by its data-test attribute. */
export async function pickOption(page, testId, label) {
	await page.click(`[data-test=${testId}] .el-select__wrapper`);
	const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first();
	await option.click();
}

export function rand(n = 4) {
	return Math.random().toString(36).slice(2, 2 + n);
}

export const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
