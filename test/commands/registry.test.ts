import {expect, test} from 'vitest';
import {formatCommandHelp, formatGeneralHelp} from '../../source/commands/help.js';
import {commands, findCommand} from '../../source/commands/registry.js';

test('every command has a name of its own, whatever its case', () => {
	const names = commands.flatMap(command => [command.name, ...(command.aliases ?? [])].map(name => name.toLowerCase()));
	expect(new Set(names).size).toBe(names.length);
});

test('a command is found by its name in any case, and nothing else is', () => {
	expect(findCommand('add-hcsnetroute')?.name).toBe('Add-HcsNetRoute');
	expect(findCommand('ROUTE')?.name).toBe('route');
	expect(findCommand('routes')).toBeUndefined();
});

/** The text with every run of spaces and line breaks made one space: what wrapping leaves alone. */
const flat = (text: string) => text.replaceAll(/\s+/g, ' ');

test('the general help lists every command by its usage, in registry order, each with its summary', () => {
	const help = flat(formatGeneralHelp());
	const positions = commands.map(command => help.indexOf(` ${command.usage} ${command.summary} `));
	expect(positions.every(position => position > 0)).toBe(true);
	expect(positions).toEqual([...positions].sort((a, b) => a - b));
});

/** Every command's help topic and every subcommand's. */
const topics = commands.flatMap(command => [command, ...(command.subcommands ?? [])]);

test("a command's or subcommand's help starts with its usage and lists every option with its text, --help last, then its rules", () => {
	for (const topic of topics) {
		const help = formatCommandHelp(topic);
		expect(flat(help).startsWith(`Usage: ${flat(`edgenet ${topic.usage}`)} `)).toBe(true);
		const [options = '', rules] = help.slice(help.indexOf('\nOptions:\n')).split('\nRules:\n');
		for (const [flag, text] of topic.options) {
			expect(flat(options)).toContain(` ${flag} ${text} `);
		}
		expect(options.trimEnd().split('\n').at(-1)).toMatch(/^ {2}--help +show this help$/);
		expect(rules === undefined ? [] : flat(rules).trim().split(' - ').map(rule => rule.replace(/^- /, ''))).toEqual(topic.rules ?? []);
	}
});

test('every help text fits 80 columns, descriptions wrapped under their column', () => {
	for (const help of [formatGeneralHelp(), ...topics.map(topic => formatCommandHelp(topic))]) {
		const lines = help.split('\n');
		expect(lines.filter(line => line.length > 80)).toEqual([]);
	}
	const lines = formatGeneralHelp().split('\n');
	const status = lines.findIndex(line => line.startsWith('  status [--json]'));
	const column = lines[status]!.indexOf('print every layer');
	expect(lines[status + 1]).toMatch(new RegExp(`^ {${column}}\\S`));
});
