// files.mjs - test files as spreadsheets write them: GBK CSV (through glibc's iconv, as
// Chinese Excel saves "CSV"), UTF-8 with BOM, and minimal .xlsx workbooks (a stored zip of
// the XML parts), plus readers for what kefu exports.
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';

/** Text in GB18030 (a superset of GBK), as Chinese Excel writes CSV. */
export function gbk(text) {
	return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
}

export function utf8Bom(text) {
	return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

function csvCell(v) {
	const s = String(v ?? '');
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(rows) {
	return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------- zip

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive of {name: string|Buffer}, entries deflated. */
export function zip(files) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const [name, content] of Object.entries(files)) {
		const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
		const comp = zlib.deflateRawSync(data);
		const nameBuf = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(comp.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBuf.length, 26);
		locals.push(local, nameBuf, comp);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(comp.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBuf.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, nameBuf);
		offset += 30 + nameBuf.length + comp.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(Object.keys(files).length, 8);
	end.writeUInt16LE(Object.keys(files).length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

/** The entries of a zip archive (deflated or stored), {name: Buffer}. */
export function unzip(buf) {
	const out = {};
	let eocd = buf.length - 22;
	while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50)
		eocd--;
	if (eocd < 0)
		throw new Error('not a zip archive');
	const n = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	for (let i = 0; i < n; i++) {
		const method = buf.readUInt16LE(p + 10);
		const csize = buf.readUInt32LE(p + 20);
		const nlen = buf.readUInt16LE(p + 28), elen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
		const off = buf.readUInt32LE(p + 42);
		const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
		const lnlen = buf.readUInt16LE(off + 26), lelen = buf.readUInt16LE(off + 28);
		const data = buf.subarray(off + 30 + lnlen + lelen, off + 30 + lnlen + lelen + csize);
		out[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
		p += 46 + nlen + elen + clen;
	}
	return out;
}

// ---------------------------------------------------------------- xlsx

function xmlEscape(s) {
	return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function colName(i) {
	let s = '';
	for (i++; i > 0; i = Math.floor((i - 1) / 26))
		s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
	return s;
}

/**
 * A one-sheet workbook. Cells: strings go to the shared-string table, numbers are
 * numbers, {inline: 'x'} is an inline string, null leaves the cell out.
 */
export function xlsx(rows) {
	const sst = [];
	const index = new Map();
	const sheetRows = rows.map((row, ri) => {
		const cells = row.map((v, ci) => {
			if (v === null || v === undefined)
				return '';
			const ref = `${colName(ci)}${ri + 1}`;
			if (typeof v === 'number')
				return `<c r="${ref}"><v>${v}</v></c>`;
			if (typeof v === 'object' && v.inline !== undefined)
				return `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(v.inline)}</t></is></c>`;
			if (!index.has(v)) {
				index.set(v, sst.length);
				sst.push(v);
			}
			return `<c r="${ref}" t="s"><v>${index.get(v)}</v></c>`;
		}).join('');
		return `<row r="${ri + 1}">${cells}</row>`;
	}).join('');
	const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	return zip({
		'[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
		'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}"><sheets><sheet name="客户" sheetId="1"/></sheets></workbook>`,
		'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}" count="${sst.length}" uniqueCount="${sst.length}">${sst.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('')}</sst>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheetRows}</sheetData></worksheet>`,
	});
}

/** The first sheet of an .xlsx as rows of strings (enough for kefu's exports). */
export function readXlsx(buf) {
	const files = unzip(buf);
	const sst = [];
	const sstXml = files['xl/sharedStrings.xml']?.toString('utf8') || '';
	for (const m of sstXml.matchAll(/<si>([\s\S]*?)<\/si>/g))
		sst.push([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unxml(t[1])).join(''));
	const sheet = files['xl/worksheets/sheet1.xml'].toString('utf8');
	const rows = [];
	for (const m of sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
		const row = [];
		for (const c of m[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
			let col = 0;
			for (const ch of c[1])
				col = col * 26 + ch.charCodeAt(0) - 64;
			const t = /t="(\w+)"/.exec(c[2])?.[1];
			const v = /<v>([\s\S]*?)<\/v>/.exec(c[3] || '')?.[1];
			const is = /<t[^>]*>([\s\S]*?)<\/t>/.exec(c[3] || '')?.[1];
			row[col - 1] = t === 's' ? sst[Number(v)] : t === 'inlineStr' ? unxml(is) : t === 'str' ? unxml(v ?? '') : v ?? '';
		}
		rows.push(Array.from(row, (x) => x ?? ''));
	}
	return rows;
}

function unxml(s) {
	return String(s ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Parses CSV text (as kefu writes it) into rows. */
export function parseCsv(text) {
	if (text.charCodeAt(0) === 0xfeff)
		text = text.slice(1);
	const rows = [];
	let row = [], cell = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
		} else if (c === '"') q = true;
		else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(cell); rows.push(row); row = []; cell = '';
		} else cell += c;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows;
}
