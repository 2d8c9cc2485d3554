import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';

const domainDir = path.join(import.meta.dirname, '../../source/domain');
const forbidden = /from\s+'(react|ink|conf|node:fs|fs|node:child_process|child_process|node:process)'/;

test('source/domain imports nothing from React, Ink, conf or the file system', () => {
	const files = fs.readdirSync(domainDir).filter(file => file.endsWith('.ts'));
	expect(files.length).toBeGreaterThan(0);
	const offenders = files.filter(file => forbidden.test(fs.readFileSync(path.join(domainDir, file), 'utf8')));
	expect(offenders).toEqual([]);
});
