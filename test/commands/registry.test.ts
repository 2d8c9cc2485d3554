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

test('the general help lists every command by its usage, in registry order', () => {
	const lines = formatGeneralHelp().split('\n');
	const listed = lines.filter(line => commands.some(command => line.startsWith(`  ${command.usage} `)));
	expect(listed.map(line => line.trim().split(/\s{2,}/)[0])).toEqual(commands.map(command => command.usage));
});

test("a command's help starts with its usage and ends with --help, every option line aligned", () => {
	for (const command of commands) {
		const lines = formatCommandHelp(command).split('\n');
		expect(lines[0]).toBe(`Usage: edgenet ${command.usage}`);
		const options = lines.slice(lines.indexOf('Options:') + 1, -1);
		expect(options).toHaveLength(command.options.length + 1);
		expect(options.at(-1)).toMatch(/^ {2}--help +show this help$/);
		const column = options[0]!.length - command.options[0]![1].length;
		expect(options.every((line, index) => line.length - (command.options[index]?.[1] ?? 'show this help').length === column)).toBe(true);
	}
});
