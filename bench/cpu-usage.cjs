// Preloaded (`node --require`) into every command the bench times, edgenet and reference alike: at exit,
// appends the process's CPU time (user + system, in milliseconds, microsecond resolution) and its peak
// resident memory (MB) as a JSON line to the file BENCH_USAGE_FILE names.
const fs = require('node:fs');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
	process.once('exit', () => {
		const usage = process.resourceUsage();
		fs.appendFileSync(file, `${JSON.stringify({cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: usage.maxRSS / 1024})}\n`);
	});
}
