// A minimal, independent reader of the report files: .xlsx (zip central directory + zlib
// inflate + the sheet XML) and CSV, so that tests compare the files' numbers with the API's.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';

/** The files of a zip archive: {name: Buffer}, read through the central directory. */
export function unzip(buf) {
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	assert.ok(eocd >= 0, 'zip: no end of central directory');
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const files = {};
	for (let k = 0; k < count; k++) {
		assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip: central directory entry');
		const method = buf.readUInt16LE(p + 10);
		const csize = buf.readUInt32LE(p + 20);
		const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.toString('utf8', p + 46, p + 46 + nlen);
		assert.equal(buf.readUInt32LE(local), 0x04034b50, `zip: local header of ${name}`);
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + csize);
		files[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
		p += 46 + nlen + xlen + clen;
	}
	return files;
}

function xmlText(s) {
	return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&');
}

/** The cells of sheet N as rows of values (numbers as numbers), row 1 first. */
export function sheetRows(files, n = 1) {
	const shared = [];
	if (files['xl/sharedStrings.xml']) {
		for (const m of files['xl/sharedStrings.xml'].toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g))
			shared.push(xmlText([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
	}
	const xml = files[`xl/worksheets/sheet${n}.xml`].toString('utf8');
	const rows = [];
	for (const m of xml.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
		const attrs = m[1], body = m[2] || '';
		const ref = /r="([A-Z]+)(\d+)"/.exec(attrs);
		const col = [...ref[1]].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
		const row = Number(ref[2]) - 1;
		const type = (/t="(\w+)"/.exec(attrs) || [])[1];
		let v = null;
		if (type === 'inlineStr')
			v = xmlText([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
		else if (type === 's')
			v = shared[Number(/<v>(.*?)<\/v>/.exec(body)[1])];
		else if (type === 'str')
			v = xmlText(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
		else if (/<v>/.test(body))
			v = Number(/<v>(.*?)<\/v>/.exec(body)[1]);
		(rows[row] ||= [])[col] = v;
	}
	return rows;
}

/** Parses CSV text (after the BOM) into rows of strings. */
export function parseCsv(text) {
	const rows = [];
	let row = [], cell = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (q) {
			if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (ch === '"') q = false;
			else cell += ch;
		} else if (ch === '"') q = true;
		else if (ch === ',') { row.push(cell); cell = ''; }
		else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
		else cell += ch;
	}
	if (cell || row.length)
		rows.push([...row, cell]);
	return rows;
}
