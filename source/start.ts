/**
 * The program's entry (dist/cli.js): answers `edgenet --version` without loading anything else, turns on
 * Node's module compile cache, and then loads and runs the composition root (cli.tsx), whose code the
 * cache then serves already compiled.
 */

import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import packageJson from '../package.json' with {type: 'json'};
import {outputs} from './commands/outputs.js';

/**
 * Whether the invocation is one that only prints the version: `--version` anywhere, as takeGlobalOptions
 * reads it, and no `--store`, the only global option whose value can make the invocation a usage error.
 */
function asksOnlyForVersion(argv: readonly string[]): boolean {
	return argv.includes('--version') && !argv.some(argument => argument === '--store' || argument.startsWith('--store='));
}

/**
 * The per-user cache directory for edgenet: `$XDG_CACHE_HOME/edgenet` or `~/.cache/edgenet` (an unset,
 * empty or relative XDG_CACHE_HOME is ignored, as for the config directory), `~/Library/Caches/edgenet` on macOS.
 */
function cacheDir(env: NodeJS.ProcessEnv): string {
	const home = env['HOME'] || os.homedir();
	if (process.platform === 'darwin') {
		return path.join(home, 'Library', 'Caches', 'edgenet');
	}
	const xdg = env['XDG_CACHE_HOME'];
	return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'edgenet') : path.join(home, '.cache', 'edgenet');
}

/**
 * Keeps the compiled code of the modules loaded from here on in the cache directory, so the next start
 * does not parse and compile them again (NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE still decide
 * when set). A cache that cannot be used (no home, a read-only disk) costs only the time it would save.
 */
function enableCompileCache(): void {
	try {
		module.enableCompileCache(cacheDir(process.env));
	} catch {
		// The cache only saves time.
	}
}

if (asksOnlyForVersion(process.argv.slice(2))) {
	outputs().out(`edgenet ${packageJson.version}\n`);
} else {
	enableCompileCache();
	await import('../cli.js');
}
