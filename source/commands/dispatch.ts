/**
 * From the parsed global options to an exit code: `--version`, the help texts, a command, or the
 * dashboard flags handed to the front end that runs without a command.
 */

import {sanitize} from '../view-models/sanitize.js';
import {type Command, helpTopic} from './command.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError} from './context.js';
import {formatCommandHelp, formatGeneralHelp} from './help.js';
import {type DashboardFlags, type GlobalOptions, parseDashboardFlags} from './invocation.js';
import {didYouMean} from './parse.js';
import {commands, findCommand} from './registry.js';
import {refuse, reportUsage} from './report.js';

/** What the composition root gives the dispatch besides the command context. */
export type DispatchOptions = {
	/** The version `--version` prints. */
	readonly version: string;
	/** Runs edgenet without a command (the dashboard at a terminal). */
	readonly runWithoutCommand: (flags: DashboardFlags) => Promise<ExitCode>;
};

/** Runs what the invocation asks for and returns its exit code; a usage or store error is reported, not thrown. */
export async function dispatch(options: GlobalOptions, context: CommandContext, {version, runWithoutCommand}: DispatchOptions): Promise<ExitCode> {
	const {out, err} = context;
	const [name, ...args] = options.rest;

	if (options.version) {
		out(`edgenet ${version}\n`);
		return exitCodes.ok;
	}
	if (name === undefined || name === 'help' || name.startsWith('-')) {
		if (options.help || name === 'help') {
			const [topic, ...subtopic] = name === 'help' ? args : [];
			const command = topic === undefined ? undefined : findCommand(topic);
			out(command ? formatCommandHelp(helpTopic(command, subtopic)) : formatGeneralHelp());
			return exitCodes.ok;
		}
		let flags: DashboardFlags;
		try {
			flags = parseDashboardFlags(options.rest);
		} catch (error) {
			return reportFailure(error, context, 'edgenet --help');
		}
		return runWithoutCommand(flags);
	}
	const command = findCommand(name);
	if (!command) {
		const suggestion = didYouMean(name, commands.flatMap(candidate => [candidate.name, ...(candidate.aliases ?? [])]));
		err(`edgenet: unknown command "${sanitize(name)}"${suggestion ? `; ${suggestion}` : '.'} Commands: ${commands.map(candidate => candidate.name).join(', ')}. Run \`edgenet --help\` for usage.\n`);
		return exitCodes.usage;
	}
	if (options.help) {
		out(formatCommandHelp(helpTopic(command, args)));
		return exitCodes.ok;
	}
	return runCommand(command, args, context);
}

async function runCommand(command: Command, args: readonly string[], context: CommandContext): Promise<ExitCode> {
	try {
		return await command.run(args, context);
	} catch (error) {
		// A usage error of `route add` points at `edgenet route add --help`, which explains its options.
		const topic = helpTopic(command, args);
		return reportFailure(error, context, `edgenet ${command.name}${topic === command ? '' : ` ${topic.name}`} --help`);
	}
}

/** Reports a usage error (exit 2, pointing at `helpHint`) or a store error (exit 1); rethrows anything else. */
export function reportFailure(error: unknown, context: CommandContext, helpHint: string): ExitCode {
	if (error instanceof UsageError) {
		return reportUsage(context, error.message, helpHint);
	}
	if (context.isStoreError(error)) {
		return refuse(context, error.message);
	}
	throw error;
}
