import {expect, test} from 'vitest';
import {exitCodes} from '../../source/commands/context.js';
import {refuse, refuseChange, reportUsage} from '../../source/commands/report.js';

function capture() {
	const written: string[] = [];
	return {written, context: {err: (text: string) => written.push(text)}};
}

test('refuse says the reason on stderr and exits 1', () => {
	const {written, context} = capture();
	expect(refuse(context, 'no such namespace')).toBe(exitCodes.refused);
	expect(written.join('')).toBe('edgenet: no such namespace\n');
});

test('refuseChange puts one reason on its line, several each on a line of its own', () => {
	const one = capture();
	expect(refuseChange(one.context, 'the input is not JSON')).toBe(exitCodes.refused);
	expect(one.written.join('')).toBe('edgenet: refused, nothing changed: the input is not JSON\n');
	const several = capture();
	refuseChange(several.context, ['next hop: not on the subnet', 'metric: not a number']);
	expect(several.written.join('')).toBe('edgenet: refused, nothing changed:\n  next hop: not on the subnet\n  metric: not a number\n');
});

test('reportUsage points at the help and exits 2', () => {
	const {written, context} = capture();
	expect(reportUsage(context, 'live needs diff or apply', 'edgenet live --help')).toBe(exitCodes.usage);
	expect(written.join('')).toBe('edgenet: live needs diff or apply\nRun `edgenet live --help` for usage.\n');
});

test('a refusal or usage error that quotes data shows its control and bidi characters, keeping only its own line breaks', () => {
	const refusal = capture();
	refuse(refusal.context, 'ip printed: "x\u001B]0;pwned\u0007"\nsecond line \u202Eevil');
	expect(refusal.written.join('')).toBe('edgenet: ip printed: "x␛]0;pwned␇"\nsecond line <U+202E>evil\n');
	const usage = capture();
	reportUsage(usage.context, '--vm must be master or worker, got "\u009B2J"', 'edgenet live --help');
	expect(usage.written.join('')).toBe('edgenet: --vm must be master or worker, got "<U+009B>2J"\nRun `edgenet live --help` for usage.\n');
});
