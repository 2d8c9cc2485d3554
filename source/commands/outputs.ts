/** The writers of standard output and standard error that every command prints through. */

import process from 'node:process';

/** Exit status of a command whose reader went away, as a shell reports one killed by SIGPIPE (which Node ignores). */
const brokenPipeStatus = 141;

/** Exit status of a command whose output could not be written (not `refused`: a change may have been saved). */
const outputFailedStatus = 1;

/**
 * Output that cannot be written ends the command at once. A reader that stops early (`edgenet route list
 * | head`) ends it quietly, as a closed pipe ends `cat`; any other failure (a full disk) is said on stderr.
 * A change is committed before anything about it is printed, so it is kept either way. Errors on stderr
 * itself are ignored: there is no one left to tell. Returns the writers of stdout and stderr; stderr's
 * stream is made when first written to (making it costs a few milliseconds most commands never need).
 */
export function outputs(): {readonly out: (text: string) => void; readonly err: (text: string) => void} {
	let stderr: NodeJS.WriteStream | undefined;
	const err = (text: string) => {
		if (!stderr) {
			stderr = process.stderr;
			stderr.on('error', () => {});
		}
		stderr.write(text);
	};
	const stdout = process.stdout;
	stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') {
			err(`edgenet: cannot write the output: ${error.message}. A change the command made is saved all the same; \`edgenet route list\` and \`edgenet status\` show the store.\n`);
		}
		process.exit(error.code === 'EPIPE' ? brokenPipeStatus : outputFailedStatus);
	});
	return {
		out(text) {
			stdout.write(text);
		},
		err,
	};
}
